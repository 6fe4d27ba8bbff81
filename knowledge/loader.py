"""Read articles from a folder of Markdown files (recursively) or from a CSV file.

Every problem is collected and reported as `path:line: reason`; nothing is returned unless
the whole source is valid, so an import built on this either takes everything or nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from knowledge.article import FIELDS, MAX_PHRASING_CHARS, Article

CSV_COLUMNS = ("id", "title", "category", "keywords", "owner", "reviewed", "body", "phrasings")
REQUIRED = ("id", "title", "category")
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
MAX_BODY_CHARS = 20_000
_KEEP_TAGS = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:null"}


class _FrontMatterLoader(yaml.SafeLoader):
    """YAML as people write it: `id: 0123` stays text and `keywords: [no, on]` stays words;
    only dates and empty values are read as other types."""


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag in _KEEP_TAGS]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    reason: str

    def __str__(self) -> str:
        # Line 0 is the whole file (missing, unreadable, empty): no line to point at.
        if self.line == 0:
            return f"{self.path}: {self.reason}"
        return f"{self.path}:{self.line}: {self.reason}"


class LoadError(Exception):
    """Raised with every problem found; nothing from the source should be used."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def load_articles(path: str | Path) -> list[Article]:
    """Articles from a folder of `.md` files (searched recursively), one `.md` file or a CSV."""
    path = Path(path)
    problems: list[Problem] = []
    if path.is_dir():
        files = sorted(path.rglob("*.md"))
        if not files:
            raise LoadError([Problem(str(path), 0, "no .md article files found in this folder")])
        articles = []
        for file in files:
            article = _read_markdown(file, problems)
            if article is not None:
                articles.append((article, file, 1))
    elif path.is_file() and path.suffix.lower() == ".csv":
        articles = _read_csv(path, problems)
    elif path.is_file() and path.suffix.lower() == ".md":
        article = _read_markdown(path, problems)
        articles = [(article, path, 1)] if article else []
    elif path.exists():
        raise LoadError([Problem(str(path), 0, "expected a folder of .md files, a .md or a .csv")])
    else:
        raise LoadError([Problem(str(path), 0, "no such file or folder")])

    seen: dict[str, tuple[Path, int]] = {}
    for article, file, line in articles:
        if article.id in seen:
            first, first_line = seen[article.id]
            problems.append(
                Problem(
                    str(file), line, f"duplicate id '{article.id}' (also in {first}:{first_line})"
                )
            )
        else:
            seen[article.id] = (file, line)
    if problems:
        raise LoadError(problems)
    return [article for article, _, _ in articles]


def _read_text(path: Path, problems: list[Problem]) -> str | None:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(str(path), 0, f"cannot read the file ({exc.strerror})"))
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # Most often a spreadsheet saved as plain "CSV" on Windows: a "£" or an accent in
        # its own code page. Say where, and how to save it so it imports.
        line = raw.count(b"\n", 0, exc.start) + 1
        how = "CSV UTF-8" if path.suffix.lower() == ".csv" else "UTF-8"
        problems.append(
            Problem(
                str(path),
                line,
                f"not UTF-8 text (byte 0x{raw[exc.start]:02X}): save the file as {how}",
            )
        )
    return None


def _read_markdown(path: Path, problems: list[Problem]) -> Article | None:
    text = _read_text(path, problems)
    if text is None:
        return None
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        problems.append(Problem(str(path), 1, "missing front matter: the first line must be '---'"))
        return None
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        problems.append(Problem(str(path), 1, "front matter is not closed with a '---' line"))
        return None
    front_text = "\n".join(lines[1:end])
    try:
        front = yaml.load(front_text, Loader=_FrontMatterLoader)  # noqa: S506 - a safe loader
    except ValueError as exc:  # a date that does not exist, such as 2026-02-30
        line = next((n for n, t in enumerate(lines[1:end], start=2) if t.startswith("reviewed")), 2)
        reason = f"'reviewed' must be a date like 2026-09-01 ({exc})"
        problems.append(Problem(str(path), line, reason))
        return None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        reason = getattr(exc, "problem", None) or str(exc)
        problems.append(Problem(str(path), line, f"front matter is not valid YAML: {reason}"))
        return None
    if not isinstance(front, dict):
        problems.append(Problem(str(path), 2, "front matter must be 'key: value' lines"))
        return None

    def line_of(key: str) -> int:
        for number, line in enumerate(lines[1:end], start=2):
            if re.match(rf"^{re.escape(str(key))}\s*:", line):
                return number
        return 1

    body = "\n".join(lines[end + 1 :]).strip()
    return _build(front, body, str(path), line_of, end + 2, problems)


def _read_csv(path: Path, problems: list[Problem]) -> list[tuple[Article, Path, int]]:
    text = _read_text(path, problems)
    if text is None:
        return []
    reader = csv.reader(text.splitlines(keepends=True))
    written = [name.strip() for name in next(reader, [])]
    # "Title" as a spreadsheet heads it is the title column: names are read in any case.
    header = [name.lower() for name in written]
    if len(written) == 1 and (other := _other_separator(header[0])):
        # A spreadsheet saved with another separator (Excel does so where a comma is the
        # decimal mark). Not read as such: `;` already separates keywords within a cell.
        problems.append(
            Problem(
                str(path),
                1,
                f"the columns are separated by {other}, not commas: save the file as CSV"
                " with commas (in Excel, 'CSV UTF-8 (Comma delimited)')",
            )
        )
        return []
    missing = [c for c in (*REQUIRED, "body") if c not in header]
    unknown = [w for w, c in zip(written, header, strict=True) if c not in CSV_COLUMNS]
    twice = sorted({c for c in header if c in CSV_COLUMNS and header.count(c) > 1})
    if missing or unknown or twice:
        parts = []
        if missing:
            parts.append("missing column(s) " + ", ".join(missing))
        if unknown:
            parts.append("unknown column(s) " + ", ".join(unknown))
        if twice:
            parts.append("column(s) given twice " + ", ".join(twice))
        expected = ",".join(CSV_COLUMNS)
        problems.append(Problem(str(path), 1, "; ".join(parts) + f" (expected {expected})"))
        return []
    articles = []
    row_line = reader.line_num + 1
    for values in reader:
        # A row starts on the line after the previous one ended (rows may span lines).
        this_line, row_line = row_line, reader.line_num + 1
        if not values:
            continue
        if len(values) > len(header):
            problems.append(Problem(str(path), this_line, "more values than columns"))
            continue
        row = dict(zip(header, values, strict=False))
        front = {k: v.strip() for k, v in row.items() if k != "body" and v.strip()}
        for key in ("keywords", "phrasings"):
            if key in front:
                front[key] = [value.strip() for value in front[key].split(";")]
        body = row.get("body", "").strip()
        article = _build(front, body, str(path), lambda _key, n=this_line: n, this_line, problems)
        if article is not None:
            articles.append((article, path, this_line))
    if not articles and not problems:
        problems.append(Problem(str(path), 1, "the CSV has a header but no articles"))
    return articles


def _other_separator(heading: str) -> str | None:
    """How the columns of a one-column heading are run together ("semicolons", "tabs"),
    or None when it is not the expected columns run together at all."""
    for separator, name in ((";", "semicolons"), ("\t", "tabs")):
        if {part.strip() for part in heading.split(separator)} >= {*REQUIRED, "body"}:
            return name
    return None


def _build(front, body, path, line_of, body_line, problems) -> Article | None:
    found: list[Problem] = []
    for key in front:
        if key not in FIELDS:
            found.append(
                Problem(
                    path, line_of(key), f"unknown field '{key}' (expected: {', '.join(FIELDS)})"
                )
            )
    values: dict[str, object] = {}
    for key in REQUIRED:
        value = front.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            found.append(Problem(path, line_of(key), f"'{key}' is required"))
        elif not isinstance(value, str | int | float) or isinstance(value, bool):
            found.append(Problem(path, line_of(key), f"'{key}' must be text"))
        else:
            values[key] = str(value).strip()
    if "id" in values and not ID_PATTERN.match(values["id"]):
        found.append(
            Problem(path, line_of("id"), "'id' may hold only letters, digits, '-', '_' and '.'")
        )
    keywords = front.get("keywords")
    if keywords is None:
        values["keywords"] = ()
    elif isinstance(keywords, str):
        values["keywords"] = tuple(k.strip() for k in re.split(r"[;,]", keywords) if k.strip())
    elif isinstance(keywords, list) and all(isinstance(k, str | int | float) for k in keywords):
        values["keywords"] = tuple(str(k).strip() for k in keywords if str(k).strip())
    else:
        found.append(Problem(path, line_of("keywords"), "'keywords' must be a list of words"))
    phrasings = _phrasings(front.get("phrasings"))
    if isinstance(phrasings, str):
        found.append(Problem(path, line_of("phrasings"), phrasings))
    else:
        values["phrasings"] = phrasings
    owner = front.get("owner")
    if owner is not None and not isinstance(owner, str):
        found.append(Problem(path, line_of("owner"), "'owner' must be text"))
    values["owner"] = owner.strip() if isinstance(owner, str) and owner.strip() else None
    reviewed = front.get("reviewed")
    if isinstance(reviewed, dt.datetime):
        reviewed = reviewed.date()
    if isinstance(reviewed, str):
        try:
            reviewed = dt.date.fromisoformat(reviewed.strip())
        except ValueError:
            found.append(
                Problem(
                    path,
                    line_of("reviewed"),
                    f"'reviewed' must be a date like 2026-09-01, not '{reviewed}'",
                )
            )
            reviewed = None
    elif reviewed is not None and not isinstance(reviewed, dt.date):
        found.append(
            Problem(path, line_of("reviewed"), "'reviewed' must be a date like 2026-09-01")
        )
        reviewed = None
    values["reviewed"] = reviewed
    if not body:
        found.append(Problem(path, body_line, "the article has no body text"))
    elif len(body) > MAX_BODY_CHARS:
        found.append(
            Problem(path, body_line, f"the body is longer than {MAX_BODY_CHARS:,} characters")
        )
    if found:
        problems.extend(found)
        return None
    return Article(body=body, **values)


def _phrasings(value: object) -> tuple[str, ...] | str:
    """The phrasings, each on one line, or the reason they cannot be read. Split on `;`
    only: unlike keywords, a question may hold a comma."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = value.split(";")
    if not isinstance(value, list) or not all(isinstance(p, str | int | float) for p in value):
        return "'phrasings' must be a list of questions, such as [how do I apply, ctr form]"
    phrasings = tuple(" ".join(str(p).split()) for p in value if str(p).strip())
    longest = max(phrasings, key=len, default="")
    if len(longest) > MAX_PHRASING_CHARS:
        return (
            f"'phrasings' holds one longer than {MAX_PHRASING_CHARS} characters "
            f"('{longest[:40]}...'): a phrasing is a question as a CSR would type it"
        )
    return phrasings
