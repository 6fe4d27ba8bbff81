"""load_articles: Markdown folders, single files and CSVs, and every way they can be wrong.

Each problem must come back as `path:line: reason`; a source with any problem returns nothing.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path

import pytest

from knowledge import BUNDLED_ARTICLES
from knowledge.article import Article, to_markdown
from knowledge.loader import MAX_BODY_CHARS, LoadError, Problem, load_articles

BODY = textwrap.dedent(
    """\
    Say: "You can apply online and we will write to you within 10 working days."
    - You need proof of identity.
    - The decision letter explains how to appeal.
    Next step: Send the caller the online form link."""
)


def write(path: Path, text: str | bytes) -> Path:
    """Write a file (dedenting text), creating its folders, and return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def article_md(
    id: str = "housing-example",
    title: str = "An example article",
    category: str = "housing",
    extra: str = "",
    body: str = BODY,
) -> str:
    """A valid article file: `---` is line 1, id 2, title 3, category 4, then `extra` lines."""
    front = f"id: {id}\ntitle: {title}\ncategory: {category}\n{extra}"
    if front and not front.endswith("\n"):
        front += "\n"
    return f"---\n{front}---\n{body}\n"


def write_article(folder: Path, name: str, **fields: str) -> Path:
    """Write a valid article to folder/name (name may hold sub-folders)."""
    return write(folder / name, article_md(**fields))


def problems_of(path: Path) -> list[Problem]:
    """The problems load_articles reports for path; fails the test if it loads."""
    with pytest.raises(LoadError) as caught:
        load_articles(path)
    problems = caught.value.problems
    assert problems, "LoadError raised without any problem"
    # The message is exactly the problems, one `path:line: reason` a line.
    assert str(caught.value) == "\n".join(f"{p.path}:{p.line}: {p.reason}" for p in problems)
    for line in str(caught.value).splitlines():
        assert re.fullmatch(r".+:\d+: .+", line), line
    return problems


def only_problem(path: Path, *, at: Path | None = None, line: int, says: str) -> Problem:
    """Assert load_articles reports exactly one problem, at (path, line), mentioning `says`."""
    problems = problems_of(path)
    assert len(problems) == 1, [str(p) for p in problems]
    [problem] = problems
    assert problem.path == str(at or path)
    assert problem.line == line, str(problem)
    assert says in problem.reason, str(problem)
    assert str(problem) == f"{at or path}:{line}: {problem.reason}"
    return problem


# --- Markdown: the good paths -------------------------------------------------------------


def test_single_markdown_file_loads_every_field(tmp_path):
    file = write_article(
        tmp_path,
        "benefits-spd.md",
        id="benefits-spd",
        title="Council Tax single person discount",
        category="benefits",
        extra=(
            "keywords: [SPD, living alone, 25% discount]\n"
            "owner: Revenues team\n"
            "reviewed: 2026-09-01\n"
        ),
    )
    assert load_articles(file) == [
        Article(
            id="benefits-spd",
            title="Council Tax single person discount",
            category="benefits",
            body=BODY,
            keywords=("SPD", "living alone", "25% discount"),
            owner="Revenues team",
            reviewed=dt.date(2026, 9, 1),
        )
    ]


def test_optional_fields_default_to_empty(tmp_path):
    [article] = load_articles(write_article(tmp_path, "a.md", id="a"))
    assert (article.keywords, article.owner, article.reviewed) == ((), None, None)


def test_path_may_be_given_as_text(tmp_path):
    file = write_article(tmp_path, "a.md", id="a")
    assert [a.id for a in load_articles(str(file))] == ["a"]


@pytest.mark.parametrize(
    "reviewed",
    ["'2026-09-01'", '"2026-09-01"', "2026-09-01T10:30:00"],
    ids=["single-quoted", "double-quoted", "datetime"],
)
def test_reviewed_as_iso_text_or_datetime_is_a_date(tmp_path, reviewed):
    file = write_article(tmp_path, "a.md", id="a", extra=f"reviewed: {reviewed}")
    [article] = load_articles(file)
    assert article.reviewed == dt.date(2026, 9, 1)
    assert type(article.reviewed) is dt.date


def test_keywords_written_as_text_are_split(tmp_path):
    file = write_article(tmp_path, "a.md", id="a", extra="keywords: SPD; living alone, discount")
    [article] = load_articles(file)
    assert article.keywords == ("SPD", "living alone", "discount")


@pytest.mark.parametrize(
    ("extra", "field", "written"),
    [
        ("keywords: [no, on, off]", "keywords", ("no", "on", "off")),
        ("owner: X", "id", "0123"),
    ],
    ids=["keywords-yes-no", "octal-id"],
)
def test_yaml_scalars_are_not_silently_rewritten(tmp_path, extra, field, written):
    text = article_md(id="0123" if field == "id" else "a", extra=extra)
    [article] = load_articles(write(tmp_path / "a.md", text))
    assert getattr(article, field) == written


def test_folder_is_read_recursively_and_other_files_ignored(tmp_path):
    write_article(tmp_path, "top.md", id="top")
    write_article(tmp_path, "housing/a.md", id="housing-a")
    write_article(tmp_path, "housing/deeper/still/b.md", id="housing-b")
    write_article(tmp_path, "billing/c.md", id="billing-c", category="billing")
    write(tmp_path / "README.txt", "not an article")
    write(tmp_path / "housing" / "notes.csv", "id,title\n")
    articles = load_articles(tmp_path)
    assert sorted(a.id for a in articles) == ["billing-c", "housing-a", "housing-b", "top"]
    assert {a.id: a.category for a in articles}["billing-c"] == "billing"


def test_byte_order_mark_and_windows_line_endings_are_accepted(tmp_path):
    text = article_md(id="a", extra="owner: Revenues team").replace("\n", "\r\n")
    file = write(tmp_path / "a.md", b"\xef\xbb\xbf" + text.encode("utf-8"))
    [article] = load_articles(file)
    assert (article.id, article.owner, article.body) == ("a", "Revenues team", BODY)


def test_body_of_exactly_the_limit_is_accepted(tmp_path):
    body = "Say: x\n" + "y" * (MAX_BODY_CHARS - len("Say: x\n"))
    [article] = load_articles(write_article(tmp_path, "a.md", id="a", body=body))
    assert len(article.body) == MAX_BODY_CHARS


# --- Markdown: one problem each ---------------------------------------------------------


def test_missing_first_separator(tmp_path):
    file = write(
        tmp_path / "a.md",
        """\
        id: a
        title: T
        category: housing
        ---
        Body
        """,
    )
    only_problem(file, line=1, says="first line must be '---'")


def test_empty_file_has_no_front_matter(tmp_path):
    file = write(tmp_path / "a.md", "")
    only_problem(file, line=1, says="missing front matter")


def test_unclosed_front_matter(tmp_path):
    file = write(
        tmp_path / "a.md",
        """\
        ---
        id: a
        title: T
        category: housing
        Body without a closing line
        """,
    )
    only_problem(file, line=1, says="not closed")


FRONT = ["---", "id: a", "title: T", "category: housing", "keywords: [a, b]", "---", BODY]


@pytest.mark.parametrize(
    ("line", "bad"),
    [(3, "title: Council tax: SPD"), (5, "owner: Revenues: team")],
    ids=["line-3", "line-5"],
)
def test_invalid_yaml_points_at_the_bad_line(tmp_path, line, bad):
    lines = list(FRONT)
    lines[line - 1] = bad
    file = write(tmp_path / "a.md", "\n".join(lines) + "\n")
    only_problem(file, line=line, says="not valid YAML: mapping values are not allowed")


def test_invalid_yaml_tab_indent(tmp_path):
    file = write(tmp_path / "a.md", "---\nid: a\ntitle: T\ncategory: housing\n\tbad\n---\nBody\n")
    only_problem(file, line=5, says="not valid YAML: found character '\\t'")


@pytest.mark.parametrize(
    "front",
    ["- id: a\n- title: T", "just a sentence", ""],
    ids=["list", "text", "empty"],
)
def test_front_matter_that_is_not_a_mapping(tmp_path, front):
    file = write(tmp_path / "a.md", f"---\n{front}\n---\nBody\n")
    only_problem(file, line=2, says="'key: value' lines")


def test_unknown_field_reports_the_line_of_that_key(tmp_path):
    file = write_article(tmp_path, "a.md", id="a", extra="owner: X\ncolour: blue\n")
    problem = only_problem(file, line=6, says="unknown field 'colour'")
    assert "id, title, category" in problem.reason  # says what is expected


@pytest.mark.parametrize("field", ["id", "title", "category"])
def test_missing_required_field(tmp_path, field):
    lines = ["---", "id: a", "title: T", "category: housing", "---", BODY]
    lines = [line for line in lines if not line.startswith(f"{field}:")]
    file = write(tmp_path / "a.md", "\n".join(lines) + "\n")
    only_problem(file, line=1, says=f"'{field}' is required")


@pytest.mark.parametrize(("field", "line"), [("id", 2), ("title", 3), ("category", 4)])
def test_empty_required_field_reports_its_line(tmp_path, field, line):
    lines = list(FRONT)
    lines[line - 1] = f"{field}: ''"
    file = write(tmp_path / "a.md", "\n".join(lines) + "\n")
    only_problem(file, line=line, says=f"'{field}' is required")


@pytest.mark.parametrize("value", ["[a, b]", "{a: 1}"], ids=["list", "mapping"])
def test_non_text_id(tmp_path, value):
    file = write(tmp_path / "a.md", article_md(id=value))
    only_problem(file, line=2, says="'id' must be text")


def test_non_text_title_reports_its_line(tmp_path):
    file = write(tmp_path / "a.md", article_md(id="a", title="[one, two]"))
    only_problem(file, line=3, says="'title' must be text")


@pytest.mark.parametrize("bad_id", ["council tax", "benefits/spd", "-leading-dash", "café"])
def test_bad_id_characters(tmp_path, bad_id):
    file = write(tmp_path / "a.md", article_md(id=f"'{bad_id}'"))
    only_problem(file, line=2, says="'id' may hold only letters, digits")


@pytest.mark.parametrize(
    "value", ["{a: 1}", "[[nested, list]]", "[a, {b: c}]"], ids=["map", "nest", "mix"]
)
def test_keywords_not_a_list_of_words(tmp_path, value):
    file = write_article(tmp_path, "a.md", id="a", extra=f"owner: X\nkeywords: {value}")
    only_problem(file, line=6, says="'keywords' must be a list")


def test_owner_not_text(tmp_path):
    file = write_article(tmp_path, "a.md", id="a", extra="owner: [a, b]")
    only_problem(file, line=5, says="'owner' must be text")


@pytest.mark.parametrize(
    "value",
    [
        "next tuesday",
        "2026-9-1",
        "5",
        "[2026, 9, 1]",
        "2026-13-01",
        "2026-02-30",
    ],
)
def test_bad_reviewed_date(tmp_path, value):
    file = write_article(tmp_path, "a.md", id="a", extra=f"reviewed: {value}")
    only_problem(file, line=5, says="'reviewed' must be a date like 2026-09-01")


@pytest.mark.parametrize("body", ["", "   \n\n  "], ids=["nothing", "blank-lines"])
def test_empty_body_reports_the_line_after_the_front_matter(tmp_path, body):
    file = write(tmp_path / "a.md", f"---\nid: a\ntitle: T\ncategory: housing\n---\n{body}")
    only_problem(file, line=6, says="no body text")


def test_over_long_body(tmp_path):
    body = "Say: x\n" + "y" * MAX_BODY_CHARS
    file = write_article(tmp_path, "a.md", id="a", extra="owner: X", body=body)
    only_problem(file, line=7, says=f"longer than {MAX_BODY_CHARS:,} characters")


def test_non_utf8_file(tmp_path):
    text = article_md(id="a", title="Caf\u00e9 licence").encode("latin-1")
    file = write(tmp_path / "a.md", text)
    only_problem(file, line=1, says="not UTF-8")


def test_unreadable_file_in_a_folder(tmp_path):
    write_article(tmp_path, "good.md", id="good")
    dangling = tmp_path / "gone.md"
    dangling.symlink_to(tmp_path / "does-not-exist.md")
    only_problem(tmp_path, at=dangling, line=0, says="cannot read the file")


def test_missing_path(tmp_path):
    missing = tmp_path / "nowhere"
    only_problem(missing, line=0, says="no such file or folder")


def test_empty_folder(tmp_path):
    write(tmp_path / "notes.txt", "no articles here")
    only_problem(tmp_path, line=0, says="no .md article files")


@pytest.mark.parametrize("name", ["articles.txt", "articles.json", "article.yaml"])
def test_file_of_the_wrong_type(tmp_path, name):
    file = write(tmp_path / name, article_md(id="a"))
    only_problem(file, line=0, says="expected a folder of .md files, a .md or a .csv")


def test_duplicate_ids_across_two_files(tmp_path):
    first = write_article(tmp_path, "housing/a.md", id="same-id")
    second = write_article(tmp_path, "planning/b.md", id="same-id", category="planning")
    problem = only_problem(tmp_path, at=second, line=1, says="duplicate id 'same-id'")
    assert f"{first}:1" in problem.reason


# --- Markdown: many problems at once, and all-or-nothing ----------------------------------


def test_every_problem_in_every_file_is_reported_at_once(tmp_path):
    write_article(tmp_path, "a-good.md", id="good")
    no_start = write(tmp_path / "b.md", "id: b\n")
    two_faults = write(tmp_path / "c.md", "---\nid: 'bad id'\ncategory: housing\n---\nBody\n")
    nested = write_article(tmp_path, "sub/d.md", id="d", extra="colour: red")
    not_utf8 = write(tmp_path / "e.md", b"---\nid: e\ntitle: caf\xe9\ncategory: x\n---\nB\n")
    dup = write_article(tmp_path, "z.md", id="good")
    found = {(p.path, p.line, p.reason.split(" ")[0]) for p in problems_of(tmp_path)}
    assert found == {
        (str(no_start), 1, "missing"),
        (str(two_faults), 1, "'title'"),  # 'title' is required
        (str(two_faults), 2, "'id'"),  # 'id' may hold only ...
        (str(nested), 5, "unknown"),
        (str(not_utf8), 1, "not"),
        (str(dup), 1, "duplicate"),
    }


def test_one_bad_file_among_good_ones_returns_nothing(tmp_path):
    for n in range(5):
        write_article(tmp_path, f"good-{n}.md", id=f"good-{n}")
    bad = write_article(tmp_path, "nested/bad.md", id="bad", body="")
    only_problem(tmp_path, at=bad, line=6, says="no body text")


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


def test_csv_unknown_column(tmp_path):
    file = write(tmp_path / "kb.csv", "id,title,category,body,colour\na,T,housing,B,red\n")
    only_problem(file, line=1, says="unknown column(s) colour")


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


def test_csv_not_utf8(tmp_path):
    file = write(tmp_path / "kb.csv", (HEADER + "a,Caf\u00e9,housing,,,,B\n").encode("latin-1"))
    only_problem(file, line=1, says="not UTF-8")


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


# --- Article parsing ------------------------------------------------------------------------


def script_article(body: str, **fields) -> Article:
    return Article(id="a", title="T", category="housing", body=body, **fields)


def test_say_facts_and_next_step():
    article = script_article(BODY)
    assert article.say == "You can apply online and we will write to you within 10 working days."
    assert article.facts == [
        "You need proof of identity.",
        "The decision letter explains how to appeal.",
    ]
    assert article.next_step == "Send the caller the online form link."


def test_say_with_curly_quotes_and_lower_case_labels():
    article = script_article(
        "say: \u201cWe can help: here is how.\u201d\n"
        "  * Star fact\n"
        "  - Dash fact\n"
        "next step: Book it"
    )
    assert article.say == "We can help: here is how."
    assert article.facts == ["Star fact", "Dash fact"]
    assert article.next_step == "Book it"


def test_article_without_script_lines():
    article = script_article("Just some notes.\nNo list here.")
    assert (article.say, article.facts, article.next_step) == (None, [], None)


# --- to_markdown -> load round trip -----------------------------------------------------------

ROUND_TRIP = [
    pytest.param(
        Article(
            id="benefits-spd.v2",
            title='Council Tax: "single person" discount \u2014 25% off \u00a3 caf\u00e9',
            category="benefits",
            body=BODY,
            owner="Revenues: team \u00e9",
            reviewed=dt.date(2026, 9, 1),
        ),
        id="no-keywords",
    ),
    pytest.param(
        Article(id="a", title="T", category="housing", body=BODY, keywords=("SPD", "discount")),
        id="plain-keywords",
    ),
    pytest.param(
        Article(
            id="licensing-cafe",
            title="Pavement caf\u00e9 licence: fees",
            category="licensing",
            body=BODY,
            keywords=(
                "fee: \u00a3100",
                "tables, chairs",
                '"al fresco"',
                "it's",
                "caf\u00e9",
                "na\u00efve",
                "[draft]",
                "#1",
                "- dash",
                "yes",
                "no",
                "123",
                "a;b",
                "50% off",
                "@council",
            ),
            owner="Licensing team",
            reviewed=dt.date(2025, 1, 31),
        ),
        id="tricky-keywords",
    ),
]


@pytest.mark.parametrize("article", ROUND_TRIP)
def test_to_markdown_round_trip(tmp_path, article):
    file = write(tmp_path / "out.md", to_markdown(article))
    assert load_articles(file) == [article]


def test_every_bundled_article_survives_to_markdown(tmp_path):
    articles = load_articles(BUNDLED_ARTICLES)
    for article in articles:
        write(tmp_path / article.category / f"{article.id}.md", to_markdown(article))
    assert load_articles(tmp_path) == articles
