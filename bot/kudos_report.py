"""What was given, from the stored kudos: the leaderboard, what one person received and
their totals, the CSV export for HR and Customer Service Excellence evidence, the weekly
digest (built here; the scheduler posts it), and the kudos whose posting Slack stopped, for
an admin to put right."""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal, TextIO

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.kudos import Given, aware, given_from
from bot.store.models import Kudos, KudosRecipient, utcnow

Period = Literal["week", "month", "all"]
PERIODS: tuple[Period, ...] = ("week", "month", "all")


# -- what an admin must put right -----------------------------------------------------------


@dataclass(frozen=True)
class Stopped:
    """Kudos waiting in `channel` because Slack refused their posts for good with `error`."""

    channel: str
    error: str
    count: int


def stopped(engine: Engine) -> list[Stopped]:
    """Every channel and Slack error that has stopped kudos being posted, most kudos first."""
    with Session(engine) as session:
        rows = session.exec(
            select(Kudos.channel, Kudos.post_stopped, func.count())
            .where(col(Kudos.posted_ts).is_(None), col(Kudos.post_stopped).is_not(None))
            .group_by(Kudos.channel, Kudos.post_stopped)
        ).all()
    found = [Stopped(channel, error, count) for channel, error, count in rows]
    return sorted(found, key=lambda s: (-s.count, s.channel, s.error))


# -- what was given ------------------------------------------------------------------------


def period_start(period: Period, *, tz: dt.tzinfo, now: dt.datetime | None = None):
    """When `period` began (UTC): this week from Monday, this month from the 1st, in `tz`;
    None for all time."""
    if period == "all":
        return None
    local = aware(now or utcnow()).astimezone(tz)
    day = local.date()
    day = day - dt.timedelta(days=day.weekday()) if period == "week" else day.replace(day=1)
    return dt.datetime.combine(day, dt.time(), tzinfo=tz).astimezone(dt.UTC)


@dataclass(frozen=True)
class Standing:
    rank: int  # equal counts share a rank: 1, 2, 2, 4
    user_id: str
    count: int


@dataclass(frozen=True)
class Leaderboard:
    period: Period
    received: list[Standing]
    given: list[Standing]


def _standings(rows: Iterable[tuple[str, int, dt.datetime]], limit: int) -> list[Standing]:
    """Most first. A tie shares its rank and, within it, whoever reached the count first
    is listed first; the user id only settles an exact tie of both."""
    ordered = sorted(rows, key=lambda row: (-row[1], aware(row[2]), row[0]))
    standings: list[Standing] = []
    for position, (user_id, count, _) in enumerate(ordered, 1):
        tied = standings and standings[-1].count == count
        rank = standings[-1].rank if tied else position
        if rank > limit:
            break
        standings.append(Standing(rank=rank, user_id=user_id, count=count))
    return standings


def leaderboard(
    engine: Engine,
    period: Period = "week",
    *,
    tz: dt.tzinfo,
    now: dt.datetime | None = None,
    limit: int = 10,
) -> Leaderboard:
    """Kudos received and given in `period`; top `limit` ranks of each (a tie at the
    last rank is shown whole)."""
    since = period_start(period, tz=tz, now=now)
    received = (
        select(KudosRecipient.user_id, func.count(), func.max(Kudos.created_at))
        .join(Kudos, col(Kudos.id) == col(KudosRecipient.kudos_id))
        .group_by(KudosRecipient.user_id)
    )
    given = select(Kudos.giver_id, func.count(), func.max(Kudos.created_at)).group_by(
        Kudos.giver_id
    )
    if since is not None:
        received = received.where(col(Kudos.created_at) >= since)
        given = given.where(col(Kudos.created_at) >= since)
    with Session(engine) as session:
        return Leaderboard(
            period=period,
            received=_standings(session.exec(received).all(), limit),
            given=_standings(session.exec(given).all(), limit),
        )


def received(engine: Engine, user_id: str, *, limit: int = 20) -> list[Given]:
    """The kudos `user_id` received, newest first."""
    with Session(engine) as session:
        rows = session.exec(
            select(Kudos)
            .join(KudosRecipient, col(KudosRecipient.kudos_id) == col(Kudos.id))
            .where(KudosRecipient.user_id == user_id)
            .order_by(col(Kudos.created_at).desc(), col(Kudos.id).desc())
            .limit(limit)
        ).all()
        return given_from(session, rows)


@dataclass(frozen=True)
class Totals:
    week: int
    month: int
    all: int
    given: int


def totals(engine: Engine, user_id: str, *, tz: dt.tzinfo, now: dt.datetime | None = None):
    """How many kudos `user_id` received this week, this month and ever, and gave ever."""
    counts = {}
    with Session(engine) as session:
        for period in PERIODS:
            statement = (
                select(func.count())
                .select_from(KudosRecipient)
                .join(Kudos, col(Kudos.id) == col(KudosRecipient.kudos_id))
                .where(KudosRecipient.user_id == user_id)
            )
            since = period_start(period, tz=tz, now=now)
            if since is not None:
                statement = statement.where(col(Kudos.created_at) >= since)
            counts[period] = session.exec(statement).one()
        given = session.exec(
            select(func.count()).select_from(Kudos).where(Kudos.giver_id == user_id)
        ).one()
    return Totals(week=counts["week"], month=counts["month"], all=counts["all"], given=given)


def between(engine: Engine, start: dt.datetime, end: dt.datetime | None = None) -> list[Given]:
    """Every kudos given from `start` (and before `end`), oldest first."""
    statement = select(Kudos).where(col(Kudos.created_at) >= start)
    if end is not None:
        statement = statement.where(col(Kudos.created_at) < end)
    with Session(engine) as session:
        return given_from(session, session.exec(statement.order_by(Kudos.created_at, Kudos.id)))


# -- for HR and the weekly post ------------------------------------------------------------

EXPORT_COLUMNS = (
    "kudos_id",
    "created_at",
    "giver",
    "giver_name",
    "recipient",
    "recipient_name",
    "value",
    "message",
    "from_supervisor",
    "posted",
)


def _cell(text: str) -> str:
    # A spreadsheet would run a cell that starts like a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_csv(
    engine: Engine,
    out: TextIO,
    *,
    since: dt.date,
    tz: dt.tzinfo,
    names: Callable[[str], str] | None = None,
) -> int:
    """One row per kudos and recipient from the start of `since` in `tz`; returns the
    number of kudos written. `names` gives a person's name by member ID (HR reads names,
    not IDs); without it the name columns are empty."""
    names = names or (lambda _user_id: "")
    start = dt.datetime.combine(since, dt.time(), tzinfo=tz).astimezone(dt.UTC)
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    kudos = between(engine, start)
    for given in kudos:
        for recipient in given.recipients:
            writer.writerow(
                [
                    given.id,
                    given.created_at.astimezone(dt.UTC).isoformat(timespec="seconds"),
                    given.giver_id,
                    _cell(names(given.giver_id)),
                    recipient,
                    _cell(names(recipient)),
                    given.value or "",
                    _cell(given.message),
                    "yes" if given.from_supervisor else "no",
                    "yes" if given.posted_ts else "no",
                ]
            )
    return len(kudos)


@dataclass(frozen=True)
class Digest:
    """A week's kudos for the weekly post: grouped by value (in the order app.yaml lists
    them, untagged last), and the givers to thank, most generous first."""

    start: dt.date
    end: dt.date  # the last day included
    groups: list[tuple[str | None, list[Given]]] = field(default_factory=list)
    givers: list[tuple[str, int]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(len(kudos) for _, kudos in self.groups)


def weekly_digest(
    engine: Engine, *, week_start: dt.date, tz: dt.tzinfo, values: Sequence[str] = ()
) -> Digest:
    """The seven days from `week_start` (midnight in `tz`)."""
    start = dt.datetime.combine(week_start, dt.time(), tzinfo=tz)
    end = dt.datetime.combine(week_start + dt.timedelta(days=7), dt.time(), tzinfo=tz)
    kudos = between(engine, start.astimezone(dt.UTC), end.astimezone(dt.UTC))
    order = {value: number for number, value in enumerate(values)}
    by_value: dict[str | None, list[Given]] = {}
    for given in kudos:
        by_value.setdefault(given.value, []).append(given)
    groups = sorted(
        by_value.items(),
        key=lambda item: (item[0] is None, order.get(item[0], len(order)), item[0] or ""),
    )
    counts = Counter(given.giver_id for given in kudos)
    first = {}
    for given in kudos:
        first.setdefault(given.giver_id, given.created_at)
    givers = sorted(counts.items(), key=lambda item: (-item[1], first[item[0]]))
    return Digest(
        start=week_start,
        end=week_start + dt.timedelta(days=6),
        groups=groups,
        givers=givers,
    )
