"""load_articles on CSV files, and every way they can be wrong.

Each problem must come back as `path:line: reason`; a source with any problem returns nothing.
"""

from __future__ import annotations

import datetime as dt

import pytest

from knowledge.article import Article
from knowledge.loader import load_articles

from .loader_helpers import only_problem, problems_of, write

# --- CSV -----------------------------------------------------------------------------------

HEADER = "id,title,category,keywords,owner,reviewed,body\n"


def test_csv_good_path(tmp_path):
    file = write(
        tmp_path / "kb.csv",
        HEADER
        + 'benefits-spd,Single person discount,benefits,"SPD; living alone ;25% discount",'
        + 'Revenues team,2026-09-01,"Say: ""You may get 25% off.""\n- Fact one, with a comma\n'
        + '- Fact two\nNext step: Apply online"\n'
        + "housing-repairs,Repairs,housing,,,,Say: We fix it\n",
    )
    spd, repairs = load_articles(file)
    assert spd == Article(
        id="benefits-spd",
        title="Single person discount",
        category="benefits",
        body='Say: "You may get 25% off."\n- Fact one, with a comma\n- Fact two\n'
        "Next step: Apply online",
        keywords=("SPD", "living alone", "25% discount"),
        owner="Revenues team",
        reviewed=dt.date(2026, 9, 1),
    )
    assert spd.say == "You may get 25% off."
    assert spd.facts == ["Fact one, with a comma", "Fact two"]
    assert repairs == Article(
        id="housing-repairs", title="Repairs", category="housing", body="Say: We fix it"
    )


def test_csv_with_only_the_required_columns_in_another_order(tmp_path):
    file = write(tmp_path / "kb.csv", "body,category,title,id\nSay: hi,housing,Title,x-1\n")
    assert load_articles(file) == [
        Article(id="x-1", title="Title", category="housing", body="Say: hi")
    ]


def test_csv_from_excel_with_bom_and_crlf(tmp_path):
    text = HEADER + 'a,T,housing,k1;k2,,,"Say: x\n- f"\n' + "b,T,housing,,,,y\n"
    file = write(tmp_path / "kb.csv", b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    a, b = load_articles(file)
    assert a.id == "a" and a.keywords == ("k1", "k2") and a.facts == ["f"]
    assert b.id == "b"


@pytest.mark.parametrize(
    ("header", "says"),
    [
        ("id,title,keywords,body", "missing column(s) category"),
        ("id,title,category", "missing column(s) body"),
        ("title,category,body", "missing column(s) id"),
    ],
)
def test_csv_missing_required_column(tmp_path, header, says):
    file = write(tmp_path / "kb.csv", header + "\nx,y,z,w\n")
    problem = only_problem(file, line=1, says=says)
    assert "expected id,title,category,keywords,owner,reviewed,body" in problem.reason


def test_csv_column_names_in_any_case(tmp_path):
    # As a spreadsheet heads its columns.
    file = write(tmp_path / "kb.csv", " ID,Title,CATEGORY,Keywords,Body\na,T,housing,k1;k2,B\n")
    assert load_articles(file) == [
        Article(id="a", title="T", category="housing", body="B", keywords=("k1", "k2"))
    ]


def test_csv_column_given_twice_in_two_cases(tmp_path):
    file = write(tmp_path / "kb.csv", "id,title,Title,category,body\na,T,U,housing,B\n")
    only_problem(file, line=1, says="column(s) given twice title")


def test_csv_unknown_column(tmp_path):
    file = write(tmp_path / "kb.csv", "id,title,category,body,Colour\na,T,housing,B,red\n")
    only_problem(file, line=1, says="unknown column(s) Colour")  # as the file writes it


@pytest.mark.parametrize(("separator", "named"), [(";", "semicolons"), ("\t", "tabs")])
def test_csv_saved_with_another_separator_says_how_to_save_it(tmp_path, separator, named):
    # Excel saves ";" where a comma is the decimal mark; ";" already separates keywords.
    row = separator.join(["a", "T", "housing", "k1, k2", "Body"])
    header = separator.join(["ID", "Title", "Category", "Keywords", "Body"])
    file = write(tmp_path / "kb.csv", f"{header}\n{row}\n")
    only_problem(file, line=1, says=f"the columns are separated by {named}, not commas")


def test_csv_one_unknown_column_with_a_semicolon_is_still_unknown(tmp_path):
    file = write(tmp_path / "kb.csv", "notes;more\nx\n")
    only_problem(file, line=1, says="missing column(s) id, title, category, body")


def test_csv_bad_row_reports_its_line(tmp_path):
    file = write(
        tmp_path / "kb.csv",
        HEADER + "a,T,housing,,,,Body\nb,T,,,,,Body\nc,T,housing,,,,Body\n",
    )
    only_problem(file, line=3, says="'category' is required")


def test_csv_bad_row_after_a_multi_line_row_reports_its_own_line(tmp_path):
    file = write(
        tmp_path / "kb.csv",
        HEADER
        + 'a,T,housing,,,,"Say: one\n- two\n- three\nNext step: four"\n'  # lines 2-5
        + "b,T,housing,,,soon,Body\n"  # line 6
        + 'c,T,housing,,,,"x\ny"\n'  # lines 7-8
        + "'bad id',T,housing,,,,Body\n",  # line 9
    )
    problems = problems_of(file)
    assert [(p.path, p.line) for p in problems] == [(str(file), 6), (str(file), 9)]
    assert "'reviewed' must be a date" in problems[0].reason
    assert "'id' may hold only" in problems[1].reason


def test_csv_bad_row_after_a_blank_line_reports_its_own_line(tmp_path):
    file = write(tmp_path / "kb.csv", HEADER + "a,T,housing,,,,Body\n\nb,T,,,,,Body\n")
    only_problem(file, line=4, says="'category' is required")


def test_csv_row_with_an_extra_value(tmp_path):
    file = write(tmp_path / "kb.csv", HEADER + "a,T,housing,,,,Body\nb,T,housing,,,,Body,extra\n")
    only_problem(file, line=3, says="more values than columns")


def test_csv_header_only(tmp_path):
    file = write(tmp_path / "kb.csv", HEADER)
    only_problem(file, line=1, says="header but no articles")


def test_csv_empty_file(tmp_path):
    file = write(tmp_path / "kb.csv", "")
    only_problem(file, line=1, says="missing column(s) id, title, category, body")


def test_csv_duplicate_id_names_both_rows(tmp_path):
    file = write(tmp_path / "kb.csv", HEADER + "a,T,housing,,,,B\nb,T,housing,,,,B\na,T,x,,,,B\n")
    problem = only_problem(file, line=4, says="duplicate id 'a'")
    assert f"{file}:2" in problem.reason


def test_csv_not_utf8_says_which_line_and_how_to_save_it(tmp_path):
    # Excel's plain "CSV" on Windows: the accent in its own code page, on the third line.
    text = HEADER + "a,Cafe,housing,,,,B\nb,Caf\u00e9,housing,,,,B\n"
    file = write(tmp_path / "kb.csv", text.encode("cp1252"))
    problem = only_problem(file, line=3, says="not UTF-8")
    assert "0xE9" in problem.reason and "save the file as CSV UTF-8" in problem.reason


def test_csv_several_bad_rows_all_reported(tmp_path):
    file = write(
        tmp_path / "kb.csv",
        HEADER + ",T,housing,,,,B\na,T,housing,,,,\nb,T,housing,,,,B\nc,,housing,,,,B,x\n",
    )
    problems = problems_of(file)
    assert [(p.line, p.reason.split(" ")[0]) for p in problems] == [
        (2, "'id'"),
        (3, "the"),  # the article has no body text
        (5, "more"),
    ]
