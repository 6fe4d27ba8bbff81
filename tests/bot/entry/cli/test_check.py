"""`deskmate kb check`: the figures, the floors, the calibration table, the knowledge base
without its keywords and what learned phrasings are worth (bot/cli_check.py)."""

from __future__ import annotations

import re

import pytest

SPD = "benefits-single-person-discount"


@pytest.fixture
def half_right(tmp_path):
    """Two questions, one labelled with an article that does not exist: hit@1 is 0.5."""
    path = tmp_path / "queries.csv"
    path.write_text(
        f"query,expected,kind\nsingle person discount,{SPD},plain\n"
        "single person discount,no-such-article,plain\n"
    )
    return path


def test_check_passes_at_or_above_the_minimum(cli, half_right):
    code, out, err = cli("kb", "check", str(half_right), "--min-hit1", "0.5")

    assert code == 0
    assert "hit@1               0.500" in out
    assert "misses (1):" in out
    assert "'no-such-article' is not in the knowledge base" in err


def test_check_fails_below_the_minimum_and_says_why(cli, half_right):
    code, out, err = cli("kb", "check", str(half_right), "--min-hit1", "0.6", "--quiet")

    assert code == 1
    assert "hit@1" in out and "misses" not in out
    assert "hit@1 is 0.500, below the required 0.600" in err


def test_check_with_articles_does_not_touch_the_database(cli, half_right, tmp_path):
    from knowledge import BUNDLED_ARTICLES

    code, out, _ = cli("kb", "check", str(half_right), "--articles", str(BUNDLED_ARTICLES))

    assert code == 0
    assert "hit@1               0.500" in out
    assert not list(tmp_path.rglob("*.db"))


def test_check_defaults_to_the_bundled_queries(cli):
    code, out, _ = cli("kb", "check", "--quiet")

    assert code == 0
    assert out.startswith("answerable queries")
    assert "MRR" in out and "out-of-scope" in out


def test_check_of_a_missing_file_fails_cleanly(cli, tmp_path):
    code, _, err = cli("kb", "check", str(tmp_path / "nope.csv"))

    assert code == 1
    assert "nope.csv" in err


def test_check_prints_a_calibration_table_and_the_threshold_it_would_choose(cli, half_right):
    code, out, _ = cli("kb", "check", str(half_right), "--quiet")

    assert code == 0
    header = "threshold  hit@1  out-of-scope answered  off-topic answered\n"
    table = out.split(header)[1].splitlines()
    assert [line.split()[0] for line in table[:3]] == ["0.00", "0.05", "0.10"]
    assert sum("would choose" in line for line in table) == 1
    assert sum("in use" in line for line in table) == 1


def test_check_of_a_file_with_no_out_of_scope_questions_chooses_on_the_off_topic_ones(
    cli, half_right
):
    # A centre's own file seldom holds questions its articles do not cover: with nothing
    # wrong to count, the best hit@1 was at 0, where every question gets an answer.
    code, out, _ = cli("kb", "check", str(half_right), "--quiet")

    assert code == 0
    rows = [line.split() for line in out.splitlines() if re.match(r" +0\.\d\d  ", line)]
    assert len(rows) == 20
    assert all(row[2] == "-" for row in rows)  # no out-of-scope questions to count
    strays = {row[0]: float(row[3].rstrip("%")) for row in rows}
    chosen = next(row[0] for row in rows if "would" in row)
    assert strays["0.00"] > 30.0
    assert float(chosen) > 0.0 and strays[chosen] <= 10.0
    # The lowest such: one step lower answers more than a tenth of them.
    lower = f"{float(chosen) - 0.05:.2f}"
    assert strays[lower] > 10.0
    assert "the threshold is chosen on the off-topic ones alone" in out


def test_check_fails_when_too_many_out_of_scope_questions_are_answered(cli, tmp_path):
    path = tmp_path / "queries.csv"
    # Asked in the words of an article's own title, but labelled as covered by nothing.
    path.write_text("query,expected\nsingle person discount,\n")

    code, _, err = cli("kb", "check", str(path), "--max-answered", "0", "--quiet")

    assert code == 1
    assert "100.0% of out-of-scope questions answered, above the allowed 0.0%" in err


def test_check_without_keywords_measures_the_same_articles_stripped(cli, tmp_path):
    path = tmp_path / "queries.csv"
    # "single occupancy" is a keyword of the single person discount article only.
    path.write_text(f"query,expected\nsingle occupancy,{SPD}\n")

    _, with_keywords, _ = cli("kb", "check", str(path), "--quiet")
    _, without, _ = cli("kb", "check", str(path), "--without-keywords", "--quiet")

    assert "hit@1               1.000" in with_keywords
    assert "hit@1               0.000" in without


def test_check_learn_half_reports_the_gain(cli, tmp_path):
    from knowledge import EVAL_SETS

    articles, queries = EVAL_SETS["harbourside"]
    code, out, _ = cli("kb", "check", str(queries), "--articles", str(articles), "--learn-half")

    assert code == 0
    # One half is 155 answerable questions; only those the search missed are taught.
    taught = re.match(r"learned (\d+) phrasings .*; measured on the other 199 questions", out)
    assert taught and 0 < int(taught[1]) < 155
    rows = {line[:12].strip(): line[12:].split() for line in out.splitlines()[2:6]}
    assert list(rows) == ["hit@1", "hit@3", "out-of-scope", "first right"]
    for name, (before, after, gain) in rows.items():
        # Each of the three is rounded to three places on its own, so the printed gain may
        # differ from the printed difference by up to one and a half thousandths.
        assert float(gain) == pytest.approx(float(after) - float(before), abs=0.0015), name
    # What the phrasings gain is a figure of the set, not a promise (README: from two
    # questions lost to three gained on the labelled sets' other halves); a question asked
    # again finding its article is tested through Slack (test_phrasings_dispatch.py).


def test_check_of_out_of_scope_questions_alone_counts_what_is_answered(cli, tmp_path):
    # As knowledge/eval/offtopic.csv is checked: no hit@1 to give, only the share answered.
    path = tmp_path / "offtopic.csv"
    path.write_text("query,expected\nsingle person discount,\nquantum chromodynamics,\n")

    code, out, err = cli("kb", "check", str(path), "--quiet", "--max-answered", "0.4")

    assert code == 1
    assert "hit@1" not in out and "MRR" not in out
    assert "out-of-scope        2, answered wrongly: 1 (50.0%)" in out
    assert "threshold  answered" in out
    assert "would choose (the lowest with at most 10% answered)" in out
    assert "50.0% of out-of-scope questions answered, above the allowed 40.0%" in err
