"""load_articles on Markdown: single files and folders, and every way they can be wrong.

Each problem must come back as `path:line: reason`; a source with any problem returns nothing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from knowledge.article import Article
from knowledge.loader import MAX_BODY_CHARS, load_articles

from .loader_helpers import BODY, only_problem, problems_of, write


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
    # The title is the front matter's third line (after "---" and the id).
    problem = only_problem(file, line=3, says="not UTF-8")
    assert problem.reason.endswith("save the file as UTF-8")


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
        (str(not_utf8), 3, "not"),  # the title, on line 3
        (str(dup), 1, "duplicate"),
    }


def test_one_bad_file_among_good_ones_returns_nothing(tmp_path):
    for n in range(5):
        write_article(tmp_path, f"good-{n}.md", id=f"good-{n}")
    bad = write_article(tmp_path, "nested/bad.md", id="bad", body="")
    only_problem(tmp_path, at=bad, line=6, says="no body text")
