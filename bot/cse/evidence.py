"""The evidence Deskmate holds for each of the Customer Service Excellence standard's five
criteria, over a period (core, no Slack). Every figure names its source and the period, so
an assessor can see where it comes from; callers' words appear only as the search log and
survey keep them (redacted before they were stored).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.config.settings import Settings
from bot.figures.monthly import Figures, day_figures
from bot.kudos import local_day
from bot.kudos_praise import CUSTOMER
from bot.reviews import review_overdue
from bot.store.models import (
    AgentDay,
    Article,
    Feedback,
    Kudos,
    KudosRecipient,
    SearchLog,
    SurveyCard,
)

CRITERIA = (
    "Customer Insight",
    "Culture of the Organisation",
    "Information and Access",
    "Delivery",
    "Timeliness and Quality of Service",
)
LISTED = 10  # rows in a table of the most asked, the gaps, the comments


@dataclass(frozen=True)
class Fact:
    label: str
    value: str
    source: str


@dataclass(frozen=True)
class Table:
    title: str
    headers: tuple[str, ...]
    rows: list[tuple[str, ...]]
    source: str


@dataclass(frozen=True)
class Trend:
    """A measure month by month, for a chart."""

    title: str
    months: list[str]
    values: list[float | None]
    unit: str  # "%" or "min"
    source: str


@dataclass
class Criterion:
    name: str
    summary: str
    facts: list[Fact] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    trends: list[Trend] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return self.name.lower().replace(" ", "-")


@dataclass(frozen=True)
class Evidence:
    start: dt.date
    end: dt.date  # inclusive
    criteria: list[Criterion]

    @property
    def period(self) -> str:
        return f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "no data"


def _bounds(start: dt.date, end: dt.date, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    first = dt.datetime.combine(start, dt.time(), tzinfo=tz)
    after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    return first.astimezone(dt.UTC), after.astimezone(dt.UTC)


def gather(engine: Engine, settings: Settings, *, start: dt.date, end: dt.date) -> Evidence:
    """Everything the report shows for `start` to `end` (inclusive, local dates)."""
    if end < start:
        raise ValueError(f"the period ends ({end}) before it starts ({start})")
    tz = settings.tz
    lo, hi = _bounds(start, end, tz)
    period = f"{start:%-d %b %Y} to {end:%-d %b %Y}"
    with Session(engine) as session:
        searches = session.exec(
            select(SearchLog).where(SearchLog.created_at >= lo, SearchLog.created_at < hi)
        ).all()
        feedback = session.exec(
            select(Feedback).where(Feedback.created_at >= lo, Feedback.created_at < hi)
        ).all()
        kudos = session.exec(
            select(Kudos).where(Kudos.created_at >= lo, Kudos.created_at < hi)
        ).all()
        recipients = session.exec(
            select(KudosRecipient).where(col(KudosRecipient.kudos_id).in_([k.id for k in kudos]))
        ).all()
        articles = session.exec(select(Article)).all()
        days = session.exec(
            select(AgentDay).where(AgentDay.day >= start, AgentDay.day <= end)
        ).all()
        cards = session.exec(
            select(SurveyCard).where(SurveyCard.day >= start, SurveyCard.day <= end)
        ).all()
    titles = {article.id: article.title for article in articles}
    gaps = _gaps(searches, tz)  # the Customer Insight table and the days to close each
    return Evidence(
        start=start,
        end=end,
        criteria=[
            _insight(searches, gaps, cards, titles, period),
            _culture(kudos, recipients, settings, period),
            _access(searches, articles, end, period),
            _delivery(searches, feedback, days, period),
            _timeliness(gaps, articles, days, cards, end, period),
        ],
    )


def _gaps(
    searches: Iterable[SearchLog], tz: dt.tzinfo
) -> list[tuple[str, int, dt.date, dt.date | None]]:
    """Each question nothing answered: (question, times, first asked, first answered after)."""
    by_query: dict[str, list[SearchLog]] = defaultdict(list)
    for search in sorted(searches, key=lambda s: s.created_at):
        by_query[search.query.strip().lower()].append(search)
    found = []
    for query, asked in by_query.items():
        missed = [s for s in asked if not s.answered]
        if not missed:
            continue
        first = missed[0].created_at
        answered = next((s for s in asked if s.answered and s.created_at > first), None)
        day = local_day(first, tz)
        found.append(
            (query, len(missed), day, local_day(answered.created_at, tz) if answered else None)
        )
    found.sort(key=lambda gap: (-gap[1], gap[2]))
    return found


def _insight(searches, gaps, cards, titles, period: str) -> Criterion:
    source = f"Deskmate's search log, {period}"
    answered = Counter(s.result_ids[0] for s in searches if s.answered and s.result_ids)
    ratings = [card.rating for card in cards]
    survey = f"survey cards imported from the survey, {period}"
    criterion = Criterion(
        "Customer Insight",
        "What callers asked, what the knowledge base could not yet answer and when it could, "
        "and what customers said on their survey cards.",
        facts=[
            Fact("Questions looked up by CSRs during calls", str(len(searches)), source),
            Fact("Questions no article answered (gaps)", str(sum(g[1] for g in gaps)), source),
            Fact(
                "Of those questions, answered later in the period",
                f"{sum(1 for g in gaps if g[3])} of {len(gaps)}",
                source,
            ),
            Fact("Survey cards", str(len(ratings)), survey),
            Fact("Survey cards rated 5", _share(ratings.count(5), len(ratings)), survey),
        ],
    )
    criterion.tables.append(
        Table(
            "What callers asked about most",
            ("Article", "Times answered"),
            [(titles.get(a, a), str(n)) for a, n in answered.most_common(LISTED)],
            source,
        )
    )
    criterion.tables.append(
        Table(
            "Gaps found, and when they were answered",
            ("Question (as logged, redacted)", "Times", "First asked", "First answered"),
            [
                (q, str(n), f"{first:%-d %b %Y}", f"{done:%-d %b %Y}" if done else "not yet")
                for q, n, first, done in gaps[:LISTED]
            ],
            source,
        )
    )
    comments = [c for c in sorted(cards, key=lambda c: c.day, reverse=True) if c.comment]
    criterion.tables.append(
        Table(
            "What customers wrote (newest first, redacted)",
            ("Date", "Rating", "Comment"),
            [(f"{c.day:%-d %b %Y}", str(c.rating), c.comment or "") for c in comments[:LISTED]],
            survey,
        )
    )
    return criterion


def _culture(kudos, recipients, settings: Settings, period) -> Criterion:
    source = f"kudos given with /kudos, {period}"
    by_value = Counter(k.value or "(no value)" for k in kudos)
    givers = {k.id: k.giver_id for k in kudos}
    team_of = {u: t.name for t in settings.teams for u in t.members}
    by_team: Counter = Counter()
    across = 0
    for row in recipients:
        team = team_of.get(row.user_id, "(no team)")
        by_team[team] += 1
        giver_team = team_of.get(givers.get(row.kudos_id, ""))
        across += giver_team is not None and team_of.get(row.user_id) not in (None, giver_team)
    criterion = Criterion(
        "Culture of the Organisation",
        "How colleagues, supervisors and customers recognise good service.",
        facts=[
            Fact("Kudos given", str(len(kudos)), source),
            Fact("Of those, from supervisors", str(sum(k.from_supervisor for k in kudos)), source),
            Fact(
                "Of those, from customers (survey cards rated 5)",
                str(sum(k.giver_id == CUSTOMER for k in kudos)),
                source,
            ),
            Fact("People recognised", str(len({r.user_id for r in recipients})), source),
            Fact("Kudos across teams", str(across), source + "; teams as in app.yaml"),
        ],
    )
    criterion.tables.append(
        Table("Recognition by value", ("Value", "Kudos"), list(_rows(by_value)), source)
    )
    criterion.tables.append(
        Table("Recognition by team received", ("Team", "Kudos"), list(_rows(by_team)), source)
    )
    return criterion


def _rows(counts: Counter) -> Iterable[tuple[str, str]]:
    return ((name, str(count)) for name, count in counts.most_common())


def _access(searches, articles, end: dt.date, period) -> Criterion:
    source = f"Deskmate's search log, {period}"
    kb = f"the knowledge base on {end:%-d %b %Y}"
    by_category = Counter(article.category for article in articles)
    on_time = sum(not review_overdue(a.reviewed, end) for a in articles)
    answered = sum(s.answered for s in searches)
    criterion = Criterion(
        "Information and Access",
        "How much of what callers ask the approved answers cover, and whether they are kept "
        "up to date.",
        facts=[
            Fact("Articles in the knowledge base", str(len(articles)), kb),
            Fact("Questions answered confidently", _share(answered, len(searches)), source),
            Fact(
                "Articles reviewed within the last twelve months",
                _share(on_time, len(articles)),
                kb,
            ),
            Fact(
                "Questions learned from CSRs (phrasings)",
                str(sum(len(a.phrasings) for a in articles)),
                kb,
            ),
        ],
    )
    criterion.tables.append(
        Table("Articles by service area", ("Area", "Articles"), list(_rows(by_category)), kb)
    )
    return criterion


def _phone(days) -> Figures:
    """The phone system's days summed as the monthly figures sum them (bot.figures)."""
    return sum((day_figures(day) for day in days), Figures())


def _delivery(searches, feedback, days, period) -> Criterion:
    calls = _phone(days)
    phone = f"phone-system figures imported, {period}"
    helpful = sum(f.helpful for f in feedback)
    return Criterion(
        "Delivery",
        "What was delivered: answers served during calls, whether they helped, and calls "
        "resolved first time.",
        facts=[
            Fact(
                "Answers served during calls",
                str(sum(s.answered for s in searches)),
                f"Deskmate's search log, {period}",
            ),
            Fact(
                "Answers marked helpful by CSRs",
                _share(helpful, len(feedback)),
                f"Helpful and Not helpful on answers, {period}",
            ),
            Fact("Calls handled", str(calls.calls), phone),
            Fact(
                "Resolved on first contact",
                _share(calls.resolved_first, calls.resolution_calls),
                phone,
            ),
        ],
    )


def _timeliness(gaps, articles, days, cards, end: dt.date, period: str) -> Criterion:
    phone = f"phone-system figures imported, {period}"
    handle = _phone(days).handle_minutes
    closed = [(done - first).days for _, _, first, done in gaps if done]
    overdue = sum(review_overdue(a.reviewed, end) for a in articles)
    months = sorted({d.day.replace(day=1) for d in days} | {c.day.replace(day=1) for c in cards})
    return Criterion(
        "Timeliness and Quality of Service",
        "How long calls take, how quickly gaps are closed and articles reviewed, and how "
        "satisfied customers are over time.",
        facts=[
            Fact(
                "Average handle time",
                f"{handle:.1f} minutes" if handle is not None else "no data",
                phone,
            ),
            Fact(
                "Days from a gap to its answer (median)",
                f"{statistics.median(closed):.0f}" if closed else "no gap answered yet",
                f"Deskmate's search log, {period}",
            ),
            Fact(
                "Articles overdue for review",
                str(overdue),
                f"the knowledge base on {end:%-d %b %Y}",
            ),
        ],
        trends=[
            Trend(
                "Survey cards rated 5, by month",
                [f"{m:%b %Y}" for m in months],
                [_month_share(cards, m) for m in months],
                "%",
                f"survey cards imported from the survey, {period}",
            ),
            Trend(
                "Average handle time, by month",
                [f"{m:%b %Y}" for m in months],
                [_month_handle(days, m) for m in months],
                "min",
                phone,
            ),
        ],
    )


def _month_share(cards, month: dt.date) -> float | None:
    ratings = [c.rating for c in cards if c.day.replace(day=1) == month]
    share = Figures(cards=len(ratings), fives=ratings.count(5)).satisfaction
    return None if share is None else 100 * share


def _month_handle(days, month: dt.date) -> float | None:
    return _phone(d for d in days if d.day.replace(day=1) == month).handle_minutes
