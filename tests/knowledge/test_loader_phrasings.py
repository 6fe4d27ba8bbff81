"""Phrasings in article files: the questions CSRs typed that were found to mean the article,
as a Markdown list or a CSV column split on `;`, and every way they can be wrong."""

from __future__ import annotations

import pytest

from knowledge.article import MAX_PHRASING_CHARS, Article, to_markdown
from knowledge.loader import load_articles

from .loader_helpers import BODY, only_problem, write

FRONT = "---\nid: a\ntitle: T\ncategory: housing\nowner: X\n"  # phrasings on line 6
HEADER = "id,title,category,keywords,owner,reviewed,body,phrasings\n"


@pytest.mark.parametrize(
    ("front", "phrasings"),
    [
        (
            "phrasings:\n  - how do I apply, quickly?\n  - 'yes'\n  - ctr   form\n",
            ("how do I apply, quickly?", "yes", "ctr form"),
        ),
        ("phrasings: [bin day changed, no]\n", ("bin day changed", "no")),
        # Written as text, split like a CSV cell: on `;` only, a question may hold a comma.
        (
            "phrasings: when, exactly, is bin day; bins late\n",
            ("when, exactly, is bin day", "bins late"),
        ),
        ("phrasings: []\n", ()),
        ("phrasings:\n", ()),
    ],
    ids=["block-list", "flow-list", "text", "empty-list", "empty"],
)
def test_markdown_phrasings_are_read(tmp_path, front, phrasings):
    file = write(tmp_path / "a.md", f"{FRONT}{front}---\n{BODY}\n")

    [article] = load_articles(file)

    assert article.phrasings == phrasings


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("{a: 1}", "'phrasings' must be a list of questions"),
        ("[[nested, list]]", "'phrasings' must be a list of questions"),
        ("[fine, {b: c}]", "'phrasings' must be a list of questions"),
        ("[2026-01-01]", "'phrasings' must be a list of questions"),
        ("[~]", "'phrasings' must be a list of questions"),
        (f"[{'x' * (MAX_PHRASING_CHARS + 1)}]", f"longer than {MAX_PHRASING_CHARS} characters"),
    ],
    ids=["map", "nest", "mix", "date", "null", "too-long"],
)
def test_markdown_bad_phrasings_report_path_and_line(tmp_path, value, says):
    file = write(tmp_path / "a.md", f"{FRONT}phrasings: {value}\n---\n{BODY}\n")

    only_problem(file, line=6, says=says)


def test_csv_phrasings_column_is_optional_and_split_on_semicolons(tmp_path):
    file = write(
        tmp_path / "kb.csv",
        HEADER
        + 'a,T,housing,k1;k2,,,Say: hi,"how do I apply, quickly? ; bins late;;"\n'
        + "b,T,housing,,,,Say: hi,\n",
    )

    a, b = load_articles(file)

    assert a.phrasings == ("how do I apply, quickly?", "bins late")
    assert a.keywords == ("k1", "k2")
    assert b.phrasings == ()


def test_csv_bad_phrasing_reports_its_row(tmp_path):
    long = "x" * (MAX_PHRASING_CHARS + 1)
    file = write(
        tmp_path / "kb.csv", HEADER + "a,T,housing,,,,B,fine\n" + f"b,T,housing,,,,B,{long}\n"
    )

    only_problem(file, line=3, says=f"longer than {MAX_PHRASING_CHARS} characters")


@pytest.mark.parametrize(
    "phrasings",
    [
        ("how do I apply, quickly?",),
        ("2026-01-01", "yes", "no", "null", "~", "- dash", "a: b", "[x]", "#1", "a;b"),
        ('"quoted"', "it's", "caf\u00e9 \u00a3100 50%", "@council <b> & co", "---"),
    ],
    ids=["plain", "yaml-lookalikes", "punctuation"],
)
def test_to_markdown_round_trip_keeps_phrasings_exactly(tmp_path, phrasings):
    article = Article(
        id="a", title="T", category="housing", body=BODY, keywords=("k",), phrasings=phrasings
    )
    text = to_markdown(article)
    file = write(tmp_path / "out.md", text)

    assert load_articles(file) == [article]
    assert text.count("\n---\n") == 1  # no phrasing ends the front matter early


def test_an_article_without_phrasings_writes_no_phrasings_line():
    article = Article(id="a", title="T", category="housing", body=BODY)

    assert "phrasings" not in to_markdown(article)
