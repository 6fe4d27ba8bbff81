"""The training curriculum: the bundled programme, and every way a bad file is reported."""

from __future__ import annotations

import re
import textwrap
from collections import Counter
from pathlib import Path

import pytest

from knowledge import BUNDLED_ARTICLES, BUNDLED_CURRICULUM
from knowledge.loader import LoadError, load_articles
from knowledge.training import (
    MAX_TEXT_CHARS,
    Prompt,
    for_articles,
    load_curriculum,
    prompt_for_day,
)

SERVICE_CATEGORIES = ("housing", "benefits", "planning", "licensing", "billing")
CALL_CRAFT = (
    "callcraft-greeting",
    "callcraft-empathy",
    "callcraft-hold",
    "callcraft-transfer",
    "callcraft-difficult-callers",
    "callcraft-closing",
)
ARTICLES = {a.id: a for a in load_articles(BUNDLED_ARTICLES)}

# --- the bundled curriculum ----------------------------------------------------------


@pytest.fixture(scope="module")
def bundled() -> list[Prompt]:
    return load_curriculum(article_ids=ARTICLES)


def test_default_path_is_the_bundled_file(bundled):
    assert BUNDLED_CURRICULUM.is_file()
    assert load_curriculum() == load_curriculum(BUNDLED_CURRICULUM) == bundled


def test_bundled_curriculum_fills_the_ten_week_programme(bundled):
    assert len(bundled) >= 50
    assert [p.day for p in bundled] == list(range(1, len(bundled) + 1))


def test_bundled_curriculum_alternates_tip_and_quiz(bundled):
    assert [p.kind for p in bundled] == [
        "tip" if day % 2 else "quiz" for day in range(1, len(bundled) + 1)
    ]


def test_bundled_prompts_point_at_real_articles_in_every_area(bundled):
    categories = Counter(ARTICLES[p.article].category for p in bundled)
    assert {c: categories[c] for c in SERVICE_CATEGORIES if categories[c] < 4} == {}
    # Roughly one day in three is call craft.
    assert len(bundled) / 4 <= categories["callcraft"] <= len(bundled) / 2
    assert set(CALL_CRAFT) <= {p.article for p in bundled}


def test_bundled_programme_starts_with_the_call_itself(bundled):
    assert bundled[0].article == "callcraft-greeting"
    assert all(ARTICLES[p.article].category == "callcraft" for p in bundled[:10])


def test_bundled_quizzes_are_answerable(bundled):
    quizzes = [p for p in bundled if p.is_quiz]
    assert quizzes
    for quiz in quizzes:
        assert 2 <= len(quiz.options) <= 4, quiz.day
        assert quiz.answer is not None and 0 <= quiz.answer < len(quiz.options), quiz.day
        assert len(set(quiz.options)) == len(quiz.options), quiz.day
        assert quiz.explain, quiz.day
    # The right answer is not always in the same place.
    assert len({q.answer for q in quizzes}) >= 3


def test_bundled_tips_are_short_and_have_no_options(bundled):
    for tip in (p for p in bundled if not p.is_quiz):
        assert tip.options == () and tip.answer is None and tip.explain is None
        assert 0 < len(tip.text) <= MAX_TEXT_CHARS


# --- prompt_for_day ----------------------------------------------------------------------


def test_prompt_for_day_counts_from_one_and_wraps_round(bundled):
    n = len(bundled)
    assert prompt_for_day(bundled, 1).day == 1
    assert prompt_for_day(bundled, n).day == n
    assert prompt_for_day(bundled, n + 1).day == 1
    assert prompt_for_day(bundled, 2 * n + 3).day == 3
    assert prompt_for_day(list(reversed(bundled)), 2).day == 2


def test_for_articles_keeps_the_days_whose_article_is_there_in_day_order(bundled):
    council = {a for a, article in ARTICLES.items() if article.category != "billing"}

    kept = for_articles(list(reversed(bundled)), council)

    assert [p.day for p in kept] == sorted(p.day for p in kept)
    assert {p.article for p in kept} <= council
    assert {p.day for p in bundled if p not in kept} == {44, 45, 46, 47, 48, 49}  # billing
    assert prompt_for_day(kept, len(kept) + 1) == kept[0]  # what is left wraps round
    assert for_articles(bundled, set()) == ()


def test_prompt_for_day_refuses_day_zero_and_an_empty_curriculum(bundled):
    with pytest.raises(ValueError):
        prompt_for_day(bundled, 0)
    with pytest.raises(ValueError):
        prompt_for_day([], 1)


# --- bad files: every problem, with its line ----------------------------------------------

TIP = """\
  - day: {day}
    kind: tip
    article: callcraft-hold
    text: Ask before you put anyone on hold.
"""
QUIZ = """\
  - day: {day}
    kind: quiz
    article: billing-autopay
    text: Does autopay cost anything by ACH?
    options: ["No", "Yes, $2.95 a month"]
    answer: 0
    explain: ACH autopay is free.
"""
IDS = {"callcraft-hold", "billing-autopay"}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "curriculum.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems(path: Path, **kwargs) -> list[str]:
    """The problems as `line: reason`, after checking the message is `path:line: reason`."""
    with pytest.raises(LoadError) as caught:
        load_curriculum(path, **kwargs)
    found = caught.value.problems
    assert found
    assert str(caught.value) == "\n".join(str(p) for p in found)
    for problem in found:
        assert problem.path == str(path)
        assert re.fullmatch(rf"{re.escape(str(path))}(:[1-9]\d*)?: .+", str(problem))
    return [f"{p.line}: {p.reason}" for p in found]


def test_a_small_valid_file_loads(tmp_path):
    path = write(tmp_path, "days:\n" + TIP.format(day=1) + QUIZ.format(day=2))
    tip, quiz = load_curriculum(path, article_ids=IDS)
    assert tip == Prompt(1, "tip", "callcraft-hold", "Ask before you put anyone on hold.")
    assert quiz == Prompt(
        2,
        "quiz",
        "billing-autopay",
        "Does autopay cost anything by ACH?",
        ("No", "Yes, $2.95 a month"),
        0,
        "ACH autopay is free.",
    )
    assert not tip.is_quiz and quiz.is_quiz


def test_days_may_be_listed_in_any_order(tmp_path):
    path = write(tmp_path, "days:\n" + QUIZ.format(day=2) + TIP.format(day=1))
    assert [p.day for p in load_curriculum(path)] == [1, 2]


def test_explain_is_optional_and_article_ids_are_checked_only_when_given(tmp_path):
    quiz = QUIZ.format(day=1).replace("    explain: ACH autopay is free.\n", "")
    path = write(tmp_path, "days:\n" + quiz.replace("billing-autopay", "not-an-article"))
    [prompt] = load_curriculum(path)
    assert prompt.explain is None and prompt.article == "not-an-article"


def test_unknown_keys(tmp_path):
    text = "title: Year one\ndays:\n" + TIP.format(day=1) + "    colour: blue\n"
    assert problems(write(tmp_path, text)) == [
        "1: unknown key 'title' (expected: days)",
        "7: unknown key 'colour' (expected: day, kind, article, text, options, answer, explain)",
    ]


def test_missing_fields_are_reported_at_the_day(tmp_path):
    text = """\
    days:
      - day: 1
        kind: tip
      - kind: tip
        article: callcraft-hold
        text: Hold.
    """
    assert problems(write(tmp_path, text)) == [
        "2: 'article' is required",
        "2: 'text' is required",
        "4: 'day' is required",
    ]


def test_wrong_kind(tmp_path):
    text = "days:\n" + TIP.format(day=1).replace("kind: tip", "kind: tips")
    assert problems(write(tmp_path, text)) == ["3: 'kind' must be tip or quiz, not 'tips'"]


def test_days_must_start_at_one_and_leave_no_gaps(tmp_path):
    text = "days:\n" + TIP.format(day=2) + QUIZ.format(day=3) + TIP.format(day=5)
    assert problems(write(tmp_path, text)) == [
        "2: day 1 is missing: days must run 1, 2, 3 ... with no gaps",
        "13: day 4 is missing: days must run 1, 2, 3 ... with no gaps",
    ]


def test_duplicate_day(tmp_path):
    text = "days:\n" + TIP.format(day=1) + QUIZ.format(day=2) + TIP.format(day=2)
    assert problems(write(tmp_path, text)) == ["13: day 2 is given twice (also line 6)"]


@pytest.mark.parametrize("value", ["one", "1.5", "true", "[1]"])
def test_day_must_be_a_whole_number(tmp_path, value):
    text = "days:\n" + TIP.format(day=value)
    [problem] = problems(write(tmp_path, text))
    assert problem.startswith("2: 'day' must be a whole number")


def test_day_zero(tmp_path):
    text = "days:\n" + TIP.format(day=0)
    assert problems(write(tmp_path, text)) == ["2: 'day' must be 1 or more, not 0"]


def test_quiz_without_options_or_answer(tmp_path):
    quiz = QUIZ.format(day=1)
    quiz = quiz.replace('    options: ["No", "Yes, $2.95 a month"]\n', "")
    quiz = quiz.replace("    answer: 0\n", "")
    assert problems(write(tmp_path, "days:\n" + quiz)) == [
        "2: a quiz needs 'options': 2 to 4 answers",
        "2: a quiz needs 'answer': the index of the right option, from 0",
    ]


@pytest.mark.parametrize(
    ("options", "count"),
    [('["Only one"]', 1), ('["a", "b", "c", "d", "e"]', 5), ("[]", 0)],
)
def test_quiz_needs_two_to_four_options(tmp_path, options, count):
    quiz = QUIZ.format(day=1).replace('["No", "Yes, $2.95 a month"]', options)
    assert problems(write(tmp_path, "days:\n" + quiz)) == [
        f"6: a quiz needs 2 to 4 options, not {count}"
    ]


def test_options_must_be_a_list_of_distinct_short_texts(tmp_path):
    long = "x" * 76
    quiz = QUIZ.format(day=1).replace(
        '    options: ["No", "Yes, $2.95 a month"]\n',
        f'    options:\n      - "No"\n      - ""\n      - "No"\n      - "{long}"\n',
    )
    assert problems(write(tmp_path, "days:\n" + quiz)) == [
        "8: 'option' is empty",
        "9: option 'No' is given twice",
        "10: 'option' is 76 characters long (at most 75)",
    ]
    quiz = QUIZ.format(day=1).replace('["No", "Yes, $2.95 a month"]', "No or yes")
    assert problems(write(tmp_path, "days:\n" + quiz)) == [
        '6: \'options\' must be a list like ["yes", "no"]'
    ]


@pytest.mark.parametrize("answer", ["2", "-1"])
def test_answer_out_of_range(tmp_path, answer):
    quiz = QUIZ.format(day=1).replace("answer: 0", f"answer: {answer}")
    assert problems(write(tmp_path, "days:\n" + quiz)) == [
        f"7: 'answer' is {answer}, but it counts options from 0, so it must be 0 to 1 for 2 options"
    ]


def test_answer_must_be_a_number(tmp_path):
    quiz = QUIZ.format(day=1).replace("answer: 0", 'answer: "No"')
    assert problems(write(tmp_path, "days:\n" + quiz)) == [
        "7: 'answer' must be a whole number, not 'No'"
    ]


def test_tip_with_quiz_fields(tmp_path):
    tip = TIP.format(day=1) + '    options: ["a", "b"]\n    answer: 0\n    explain: Why.\n'
    assert problems(write(tmp_path, "days:\n" + tip)) == [
        "6: a tip has no 'options' (only a quiz has)",
        "7: a tip has no 'answer' (only a quiz has)",
        "8: a tip has no 'explain' (only a quiz has)",
    ]


def test_unknown_article_when_ids_are_given(tmp_path):
    text = "days:\n" + TIP.format(day=1).replace("callcraft-hold", "callcraft-holds")
    text += QUIZ.format(day=2).replace("billing-autopay", "zzz")
    assert problems(write(tmp_path, text), article_ids=IDS) == [
        "4: unknown article 'callcraft-holds' (did you mean 'callcraft-hold'?)",
        "8: unknown article 'zzz'",
    ]


@pytest.mark.parametrize("value", ['""', "", "'   '"])
def test_empty_text(tmp_path, value):
    text = "days:\n" + TIP.format(day=1).replace("Ask before you put anyone on hold.", value)
    assert problems(write(tmp_path, text)) == ["5: 'text' is empty"]


def test_over_long_text_and_explain(tmp_path):
    quiz = QUIZ.format(day=1)
    quiz = quiz.replace("Does autopay cost anything by ACH?", "y" * (MAX_TEXT_CHARS + 1))
    quiz = quiz.replace("ACH autopay is free.", "z" * 600)
    assert problems(write(tmp_path, "days:\n" + quiz)) == [
        f"5: 'text' is {MAX_TEXT_CHARS + 1} characters long (at most {MAX_TEXT_CHARS})",
        f"8: 'explain' is 600 characters long (at most {MAX_TEXT_CHARS})",
    ]
    text = "days:\n" + TIP.format(day=1).replace("Ask before", "a" * 490 + " Ask before")
    assert problems(write(tmp_path, text))[0].startswith("5: 'text' is 525 characters long")


def test_text_must_not_be_a_list(tmp_path):
    text = "days:\n" + TIP.format(day=1).replace("Ask before you put anyone on hold.", "[a, b]")
    assert problems(write(tmp_path, text)) == ["5: 'text' must be text, not a list or mapping"]


def test_words_yaml_would_read_as_other_types_stay_text(tmp_path):
    text = "days:\n" + TIP.format(day=1).replace("Ask before you put anyone on hold.", "yes")
    [prompt] = load_curriculum(write(tmp_path, text))
    assert prompt.text == "yes"


def test_a_key_given_twice(tmp_path):
    text = "days:\n" + TIP.format(day=1) + "    text: Again.\n"
    assert problems(write(tmp_path, text)) == ["6: 'text' is given twice (also line 5)"]


def test_every_problem_in_the_file_is_reported_together(tmp_path):
    text = (
        "days:\n"
        + TIP.format(day=1).replace("kind: tip", "kind: hint")
        + QUIZ.format(day=2).replace("answer: 0", "answer: 5")
        + TIP.format(day=4)
    )
    assert problems(write(tmp_path, text)) == [
        "3: 'kind' must be tip or quiz, not 'hint'",
        "11: 'answer' is 5, but it counts options from 0, so it must be 0 to 1 for 2 options",
        "13: day 3 is missing: days must run 1, 2, 3 ... with no gaps",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "1: the file is empty: expected 'days:' and a list of prompts"),
        ("# only a comment\n", "1: the file is empty: expected 'days:' and a list of prompts"),
        ("- day: 1\n", "1: expected 'days:' and a list of prompts"),
        ("other: 1\n", "1: unknown key 'other' (expected: days)"),
        ("days:\n", "1: 'days' must be a list of prompts ('- day: 1' ...)"),
        ("days: []\n", "1: 'days' has no prompts"),
        (
            "days:\n  - just words\n",
            "2: each day must be 'day:', 'kind:', 'article:', 'text:' ... lines",
        ),
    ],
)
def test_wrong_shapes(tmp_path, text, expected):
    found = problems(write(tmp_path, text))
    assert found[0] == expected


def test_a_file_with_only_an_unknown_key_also_says_days_are_missing(tmp_path):
    assert problems(write(tmp_path, "other: 1\n")) == [
        "1: unknown key 'other' (expected: days)",
        "1: 'days' is required: a list of prompts",
    ]


def test_invalid_yaml_gives_the_line(tmp_path):
    text = "days:\n" + TIP.format(day=1) + TIP.format(day=2).replace("kind: tip", "kind: tip: x")
    assert problems(write(tmp_path, text)) == [
        "7: not valid YAML: mapping values are not allowed here"
    ]


def test_missing_file_and_bad_encoding(tmp_path):
    missing = tmp_path / "nope.yaml"
    assert problems(missing) == ["0: no such file"]
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes("days:\n  - text: caf\xe9\n".encode("latin-1"))
    [problem] = problems(bad)
    assert problem.startswith("1: not UTF-8 text")
