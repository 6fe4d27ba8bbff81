"""The contact centre's own measures, imported from its phone system's and survey's CSV
exports (`deskmate figures import FILE`). Core: no Slack in it.

A file is read whole and checked before anything is stored: every bad row is reported as
`path:line: reason`, and one bad row means nothing is stored. Then it is stored in one
transaction, each row by its own key (an agent's day; a survey card's call), so importing
the same file twice adds nothing and a corrected file updates only what changed. Agents are
kept under the phone system's own ID, matched or not: rows are never dropped for want of a
Slack user, and count once the agent is matched. Survey comments pass through the same
redaction as search logs.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.config.figures import AGENT_DAY, FIELDS, ExportFormat
from bot.redact import redact
from bot.store.models import AgentDay, AgentMatch, SurveyCard, utcnow

MAX_KEY_CHARS = 200
CHUNK = 2_000  # rows compared and written at a time; the progress bar moves by these
_DURATION = re.compile(r"^(?:(\d+):)?(\d+):(\d{1,2}(?:\.\d+)?)$")
# An agent-day row's stored columns, in the order FIELDS names them.
_AGENT_DAY_COLUMNS = (
    "calls",
    "handle_seconds",
    "after_call_seconds",
    "resolved_first",
    "transfers",
)


class ImportRefused(ValueError):
    """The file cannot be imported as it is; `problems` says where and why, one a line."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Export:
    """A file read and checked: each row's key and values, ready to store."""

    path: Path
    format: str
    kind: str
    rows: dict[tuple, dict[str, Any]]  # key -> the row's values

    @property
    def agents(self) -> set[str]:
        return {row["agent"] for row in self.rows.values()}


@dataclass
class Imported:
    format: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    agents: set[str] = field(default_factory=set)

    def __str__(self) -> str:
        return (
            f"{self.format}: added {self.added}, updated {self.updated}, unchanged {self.unchanged}"
        )


# -- reading -------------------------------------------------------------------------------


def read_export(
    path: str | Path, *, formats: Mapping[str, ExportFormat], name: str | None = None
) -> Export:
    """Read and check a whole export; raises ImportRefused with every problem found."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            lines = list(csv.reader(handle))
    except FileNotFoundError:
        raise ImportRefused([f"{path}: no such file"]) from None
    except UnicodeDecodeError:
        raise ImportRefused([f"{path}: not UTF-8 text (save the export as CSV UTF-8)"]) from None
    except (OSError, csv.Error) as error:
        raise ImportRefused([f"{path}: cannot be read ({error})"]) from None
    if not lines or not any(cell.strip() for cell in lines[0]):
        raise ImportRefused([f"{path}: empty (expected a header row, then one row a line)"])
    header = [cell.strip() for cell in lines[0]]
    name = name or _detect(path, header, formats)
    if name not in formats:
        raise ImportRefused([f"{path}: no export format called {name!r} ({_known(formats)})"])
    shape = formats[name]
    where = _columns(path, header, name, shape)
    rows: dict[tuple, dict[str, Any]] = {}
    first_line: dict[tuple, int] = {}
    problems: list[str] = []
    for number, cells in enumerate(lines[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue  # a blank line (often the last)
        try:
            values = _row(cells, where, shape)
        except ValueError as error:
            problems.append(f"{path}:{number}: {error}")
            continue
        key = _key(shape.kind, values)
        if key in rows:
            problems.append(
                f"{path}:{number}: {_twice(shape.kind, values)} (first on line {first_line[key]})"
            )
            continue
        rows[key], first_line[key] = values, number
    if problems:
        raise ImportRefused(problems)
    if not rows:
        raise ImportRefused([f"{path}: no rows under the header"])
    return Export(path=path, format=name, kind=shape.kind, rows=rows)


def _known(formats: Mapping[str, ExportFormat]) -> str:
    return "known: " + ", ".join(sorted(formats))


def _detect(path: Path, header: list[str], formats: Mapping[str, ExportFormat]) -> str:
    """The format whose required columns the header has (the one naming most of its
    columns, when several do)."""
    fits = []
    for name, shape in formats.items():
        required = [shape.columns[f] for f, needed in FIELDS[shape.kind] if needed]
        if all(column in header for column in required):
            fits.append((sum(c in header for c in shape.columns.values()), name))
    fits.sort(reverse=True)
    if not fits or (len(fits) > 1 and fits[0][0] == fits[1][0]):
        what = "matches no export format" if not fits else "matches more than one format"
        raise ImportRefused(
            [
                f"{path}:1: the header {what} ({_known(formats)}); name one with --format, "
                "or describe yours under figures.formats in app.yaml"
            ]
        )
    return fits[0][1]


def _columns(path: Path, header: list[str], name: str, shape: ExportFormat) -> dict[str, int]:
    """Each of our fields' position in the row; a required column missing refuses the file."""
    where = {}
    missing = []
    for our, needed in FIELDS[shape.kind]:
        column = shape.columns.get(our)
        if column is not None and column in header:
            where[our] = header.index(column)
        elif needed:
            missing.append(f"no {column!r} column (the {name} format's {our})")
    if missing:
        raise ImportRefused([f"{path}:1: {problem}" for problem in missing])
    return where


def _row(cells: list[str], where: dict[str, int], shape: ExportFormat) -> dict[str, Any]:
    """One row's values; ValueError naming every cell that will not do."""
    problems: list[str] = []

    def cell(our: str) -> str:
        index = where.get(our)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    def read(parse: Callable[..., Any], *args: Any, **options: Any) -> Any:
        try:
            return parse(*args, **options)
        except ValueError as error:
            problems.append(str(error))
            return None

    values: dict[str, Any] = {
        "agent": (read(_key_text, cell("agent"), "agent") or "").lower(),
        "day": read(_date, cell("date"), shape.date_format),
    }
    if shape.kind == AGENT_DAY:
        calls = read(_count, cell("calls"), "calls", required=True)
        values.update(
            calls=calls,
            handle_seconds=read(_duration, cell("handle_time"), "handle time", required=True),
            after_call_seconds=read(_duration, cell("after_call_work"), "after-call work"),
            resolved_first=read(
                _count, cell("resolved_first"), "first-contact resolved", most=calls
            ),
            transfers=read(_count, cell("transfers"), "transfers"),
        )
    else:
        values.update(
            call=read(_key_text, cell("call"), "call ID"),
            rating=read(_rating, cell("rating")),
            comment=redact(cell("comment")).strip() or None,
        )
    if problems:
        raise ValueError("; ".join(problems))
    return values


def _key(kind: str, values: dict[str, Any]) -> tuple:
    return (values["agent"], values["day"]) if kind == AGENT_DAY else (values["call"],)


def _twice(kind: str, values: dict[str, Any]) -> str:
    if kind == AGENT_DAY:
        return f"a second row for agent {values['agent']} on {values['day']:%Y-%m-%d}"
    return f"a second card for call {values['call']}"


def _key_text(text: str, what: str) -> str:
    if not text:
        raise ValueError(f"the {what} is empty")
    if len(text) > MAX_KEY_CHARS:
        raise ValueError(f"the {what} is longer than {MAX_KEY_CHARS} characters")
    return text


def _date(text: str, pattern: str) -> dt.date:
    try:
        return dt.datetime.strptime(text, pattern).date()
    except ValueError:
        example = dt.date(2026, 9, 1).strftime(pattern)
        raise ValueError(f"{text or 'nothing'!r} is not a date like {example}") from None


def _count(text: str, what: str, *, required: bool = False, most: int | None = None) -> int | None:
    if not text:
        if required:
            raise ValueError(f"{what} is empty")
        return None
    if not text.isdigit():
        raise ValueError(f"{what} {text!r} is not a whole number")
    value = int(text)
    if most is not None and value > most:
        raise ValueError(f"{what} {value} is more than the {most} calls handled")
    return value


def _duration(text: str, what: str, *, required: bool = False) -> float | None:
    """Seconds, from `245`, `245.5`, `4:05` or `0:04:05`."""
    if not text:
        if required:
            raise ValueError(f"{what} is empty")
        return None
    try:
        seconds = float(text)
    except ValueError:
        match = _DURATION.match(text)
        if not match or float(match.group(3)) >= 60:
            raise ValueError(
                f"{what} {text!r} is not a time such as 245 (seconds), 4:05 or 0:04:05"
            ) from None
        hours, minutes, rest = match.groups()
        seconds = int(hours or 0) * 3600 + int(minutes) * 60 + float(rest)
    if seconds < 0 or seconds != seconds:  # negative, or NaN
        raise ValueError(f"{what} {text!r} is not a time such as 245 (seconds), 4:05 or 0:04:05")
    return seconds


def _rating(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 5:
        raise ValueError(f"rating {text or 'nothing'!r} is outside 1-5")
    return int(text)


# -- storing -------------------------------------------------------------------------------


def store_export(
    engine: Engine,
    export: Export,
    *,
    progress: Callable[[int, int], None] | None = None,
    now: dt.datetime | None = None,
) -> Imported:
    """Store every row in one transaction: new keys added, changed ones updated, the same
    ones left alone."""
    table = AgentDay if export.kind == AGENT_DAY else SurveyCard
    columns = (
        _AGENT_DAY_COLUMNS if export.kind == AGENT_DAY else ("agent", "day", "rating", "comment")
    )
    result = Imported(format=export.format, agents=export.agents)
    keys = list(export.rows)
    now = now or utcnow()
    with Session(engine) as session, session.begin():
        for start in range(0, len(keys), CHUNK):
            chunk = keys[start : start + CHUNK]
            stored = _stored(session, export.kind, chunk)
            new, changed = [], []
            for key in chunk:
                row = export.rows[key]
                old = stored.get(key)
                if old is None:
                    new.append({**row, "imported_at": now})
                elif any(old[name] != row[name] for name in columns):
                    changed.append((old["id"], {name: row[name] for name in columns}))
                else:
                    result.unchanged += 1
            if new:
                session.execute(insert(table), new)
            for row_id, values in changed:
                session.execute(
                    update(table).where(table.id == row_id).values(**values, imported_at=now)
                )
            result.added += len(new)
            result.updated += len(changed)
            if progress is not None:
                progress(start + len(chunk), len(keys))
    return result


def _stored(session: Session, kind: str, keys: list[tuple]) -> dict[tuple, dict[str, Any]]:
    """The stored rows for `keys`, by key."""
    if kind == AGENT_DAY:
        agents = {agent for agent, _ in keys}
        days = [day for _, day in keys]
        query = select(AgentDay).where(
            col(AgentDay.agent).in_(agents), AgentDay.day >= min(days), AgentDay.day <= max(days)
        )
        found = {(row.agent, row.day): row for row in session.exec(query)}
    else:
        calls = [call for (call,) in keys]
        query = select(SurveyCard).where(col(SurveyCard.call).in_(calls))
        found = {(row.call,): row for row in session.exec(query)}
    return {key: row.model_dump() for key, row in found.items()}


# -- agents and people ---------------------------------------------------------------------


def agent_users(engine: Engine, *, agents: Mapping[str, str]) -> dict[str, str]:
    """Each matched agent's Slack user: app.yaml's `figures.agents` first, then those
    matched by e-mail."""
    with Session(engine) as session:
        matched = {row.agent: row.user_id for row in session.exec(select(AgentMatch))}
    return {**matched, **agents}


def unmatched_agents(
    engine: Engine, *, agents: Mapping[str, str], among: Iterable[str] | None = None
) -> list[str]:
    """Agents with figures stored but no Slack user yet (only `among`, when given)."""
    with Session(engine) as session:
        known = set(session.exec(select(AgentDay.agent).distinct()))
        known |= set(session.exec(select(SurveyCard.agent).distinct()))
    if among is not None:
        known &= set(among)
    return sorted(known - set(agent_users(engine, agents=agents)))


def record_matches(engine: Engine, matches: Mapping[str, str]) -> None:
    """Remember agents found to be Slack users (by e-mail), replacing an earlier match."""
    with Session(engine) as session, session.begin():
        for agent, user_id in matches.items():
            row = session.get(AgentMatch, agent)
            if row is None:
                session.add(AgentMatch(agent=agent, user_id=user_id))
            else:
                row.user_id, row.matched_at = user_id, utcnow()
