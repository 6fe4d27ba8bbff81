"""How well a knowledge base answers a labelled set of caller questions (`deskmate kb check`)."""

from __future__ import annotations

import csv
import dataclasses
import functools
from dataclasses import dataclass, field
from pathlib import Path

from knowledge import OFF_TOPIC_CONFIRM, OFF_TOPIC_QUERIES
from knowledge.article import Article
from knowledge.loader import LoadError, Problem
from knowledge.search import SearchIndex

QUERY_COLUMNS = ("query", "question", "text")
EXPECTED_COLUMNS = ("expected", "expected_id", "article_id", "article", "id", "answer")
MAX_FALSE = 0.10  # out-of-scope questions a chosen threshold may answer
NO_ANSWER = {"", "-", "none", "null", "n/a", "out_of_scope", "out-of-scope"}


@dataclass(frozen=True)
class LabelledQuery:
    query: str
    expected: frozenset[str]  # empty: no article should answer
    kind: str = ""
    line: int = 0


@dataclass
class Miss:
    item: LabelledQuery
    got: list[str]


@dataclass
class Report:
    answerable: int = 0
    out_of_scope: int = 0
    hit1: int = 0
    hit3: int = 0
    reciprocal_ranks: float = 0.0
    false_answers: int = 0
    misses: list[Miss] = field(default_factory=list)
    by_kind: dict[str, list[int]] = field(default_factory=dict)

    @property
    def hit_at_1(self) -> float:
        return self.hit1 / self.answerable if self.answerable else 0.0

    @property
    def hit_at_3(self) -> float:
        return self.hit3 / self.answerable if self.answerable else 0.0

    @property
    def mrr(self) -> float:
        return self.reciprocal_ranks / self.answerable if self.answerable else 0.0

    @property
    def false_answer_rate(self) -> float:
        return self.false_answers / self.out_of_scope if self.out_of_scope else 0.0


def _column(header: list[str], names: tuple[str, ...]) -> str | None:
    lowered = {h.strip().lower(): h for h in header}
    return next((lowered[n] for n in names if n in lowered), None)


def read_queries(path: str | Path) -> list[LabelledQuery]:
    """Rows of `query,expected[,kind]`; several right answers may be split by `;` or `|`."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise LoadError([Problem(str(path), 0, f"cannot read the file ({exc})")]) from exc
    reader = csv.DictReader(text.splitlines(keepends=True))
    header = list(reader.fieldnames or [])
    query_col = _column(header, QUERY_COLUMNS)
    expected_col = _column(header, EXPECTED_COLUMNS)
    kind_col = _column(header, ("kind", "type", "category"))
    if not query_col or not expected_col:
        raise LoadError(
            [Problem(str(path), 1, "expected a header with 'query' and 'expected' columns")]
        )
    items = []
    line = 2
    for row in reader:
        row_line, line = line, reader.line_num + 1
        query = (row.get(query_col) or "").strip()
        if not query:
            continue
        raw = (row.get(expected_col) or "").strip()
        expected = frozenset(
            part.strip()
            for part in raw.replace("|", ";").split(";")
            if part.strip().lower() not in NO_ANSWER
        )
        kind = (row.get(kind_col) or "").strip() if kind_col else ""
        items.append(
            LabelledQuery(
                query, expected, kind or ("out_of_scope" if not expected else ""), row_line
            )
        )
    if not items:
        raise LoadError([Problem(str(path), 1, "no queries in the file")])
    return items


@dataclass(frozen=True)
class Outcome:
    item: LabelledQuery
    got: list[str]  # best first, whatever the confidence
    confidence: float


def rank_all(index: SearchIndex, items: list[LabelledQuery]) -> list[Outcome]:
    outcomes = []
    for item in items:
        ranking = index.rank(item.query, limit=5)
        got = [hit.article.id for hit in ranking.hits]
        outcomes.append(Outcome(item, got, ranking.confidence))
    return outcomes


def evaluate(
    index: SearchIndex, items: list[LabelledQuery], *, outcomes: list[Outcome] | None = None
) -> Report:
    """The figures at the index's threshold (a question is answered when the first hit is
    confident; the others are its Other matches)."""
    report = Report()
    for outcome in outcomes or rank_all(index, items):
        item = outcome.item
        got = outcome.got if outcome.got and outcome.confidence >= index.threshold else []
        tally = report.by_kind.setdefault(item.kind or "-", [0, 0])
        tally[1] += 1
        if not item.expected:
            report.out_of_scope += 1
            if got:
                report.false_answers += 1
                report.misses.append(Miss(item, got))
            else:
                tally[0] += 1
            continue
        report.answerable += 1
        rank = next(
            (n for n, article_id in enumerate(got, start=1) if article_id in item.expected), None
        )
        if rank == 1:
            report.hit1 += 1
            tally[0] += 1
        else:
            report.misses.append(Miss(item, got))
        if rank is not None and rank <= 3:
            report.hit3 += 1
        if rank is not None:
            report.reciprocal_ranks += 1 / rank
    return report


def first_right(outcomes: list[Outcome]) -> float:
    """The share of answerable questions whose first hit is right, however unsure."""
    answerable = [o for o in outcomes if o.item.expected]
    right = sum(1 for o in answerable if o.got and o.got[0] in o.item.expected)
    return right / len(answerable) if answerable else 0.0


def learn_half(
    index: SearchIndex, items: list[LabelledQuery]
) -> tuple[list[Article], list[LabelledQuery], int]:
    """Teach every other answerable question the search does not already answer right to
    its article, as CSRs do (they choose the right one from Other matches); return the
    articles with those phrasings, the questions left to measure with, and how many were
    taught."""
    half = [item for item in items if item.expected][0::2]
    learned: dict[str, list[str]] = {}
    for item in half:
        answers = index.rank(item.query).answers
        if not answers or answers[0].article.id not in item.expected:
            learned.setdefault(sorted(item.expected)[0], []).append(item.query)
    articles = [
        dataclasses.replace(a, phrasings=(*a.phrasings, *learned.get(a.id, ())))
        for a in index.articles
    ]
    taught = sum(map(len, learned.values()))
    return articles, [item for item in items if item not in half], taught


def off_topic(index: SearchIndex) -> list[Outcome]:
    """The shipped questions about other organisations' business (banks, airlines,
    parcels, employers), ranked: what any council's or utility's knowledge base should
    decline, whatever it covers. A centre's own labelled file seldom holds questions it does
    not cover; these stand in for them when the threshold is chosen."""
    return rank_all(index, [*_read_off_topic()])


@functools.cache
def _read_off_topic() -> tuple[LabelledQuery, ...]:
    return tuple(
        item for path in (OFF_TOPIC_QUERIES, OFF_TOPIC_CONFIRM) for item in read_queries(path)
    )


@dataclass(frozen=True)
class CalibrationRow:
    threshold: float
    hit_at_1: float
    false_answer_rate: float
    off_topic: float | None = None  # share of the off-topic questions answered


def _answered(outcomes: list[Outcome], threshold: float) -> float:
    return sum(1 for o in outcomes if o.got and o.confidence >= threshold) / len(outcomes)


def calibrate(
    outcomes: list[Outcome], *, off_topic: list[Outcome] | None = None
) -> list[CalibrationRow]:
    """hit@1 and out-of-scope answered at each threshold from 0 to 0.95, and with
    `off_topic` (`off_topic(index)`) the share of those answered."""
    answerable = [o for o in outcomes if o.item.expected]
    unanswerable = [o for o in outcomes if not o.item.expected]
    rows = []
    for step in range(0, 20):
        threshold = step / 20
        hits = sum(
            1
            for o in answerable
            if o.got and o.confidence >= threshold and o.got[0] in o.item.expected
        )
        rows.append(
            CalibrationRow(
                threshold,
                hits / len(answerable) if answerable else 0.0,
                _answered(unanswerable, threshold) if unanswerable else 0.0,
                _answered(off_topic, threshold) if off_topic else None,
            )
        )
    return rows


def choose_threshold(rows: list[CalibrationRow], *, max_false: float = MAX_FALSE) -> float:
    """The threshold with the best hit@1 that answers at most `max_false` of the
    out-of-scope questions, and of the off-topic ones when the rows count them (the lowest
    such, so as few callers as possible wait). Without the off-topic column a file with no
    out-of-scope questions would choose 0: every question answered."""
    allowed = [
        row
        for row in rows
        if row.false_answer_rate <= max_false
        and (row.off_topic is None or row.off_topic <= max_false)
    ] or rows[-1:]
    best = max(row.hit_at_1 for row in allowed)
    return min(row.threshold for row in allowed if row.hit_at_1 == best)


def format_calibration(
    rows: list[CalibrationRow], *, current: float, hits: bool = True, out_of_scope: bool = True
) -> str:
    """The table `kb check` prints; without `hits` (a file of out-of-scope questions alone)
    it has no hit@1 column, and the cut it would choose is the lowest within MAX_FALSE.
    Rows that count the off-topic questions get a column for them; without `out_of_scope`
    (a file with none) the choice rests on that column alone, and the table says so."""
    chosen = choose_threshold(rows)
    best = "best hit@1" if hits else "the lowest"
    strays = rows[0].off_topic is not None
    wrong_label = "out-of-scope answered" if hits else "answered"
    lines = [
        "threshold  "
        + ("hit@1  " if hits else "")
        + wrong_label
        + ("  off-topic answered" if strays else "")
    ]
    for row in rows:
        marks = []
        if abs(row.threshold - current) < 1e-9:
            marks.append("in use")
        if row.threshold == chosen:
            marks.append(f"would choose ({best} with at most {MAX_FALSE:.0%} answered)")
        note = f"  <- {', '.join(marks)}" if marks else ""
        hit = f"  {row.hit_at_1:5.3f}" if hits else ""
        wrong = f"{row.false_answer_rate:.1%}" if out_of_scope else "-"
        stray = f"  {row.off_topic:>18.1%}" if row.off_topic is not None else ""
        lines.append(f"{row.threshold:9.2f}{hit}  {wrong:>{len(wrong_label)}}{stray}{note}")
    if all(abs(row.threshold - current) > 1e-9 for row in rows):
        lines.append(f"in use: {current:.2f}")
    if strays:
        lines.append(
            f"off-topic: {OFF_TOPIC_QUERIES.name} and {OFF_TOPIC_CONFIRM.name}, questions about "
            "other organisations' business that no council or utility covers"
        )
        if not out_of_scope:
            lines.append(
                "the file has no out-of-scope questions: the threshold is chosen on the "
                "off-topic ones alone (add questions your articles do not cover to measure "
                "your own)"
            )
    return "\n".join(lines)


def format_report(report: Report, *, show_misses: bool = True) -> str:
    lines = [f"answerable queries  {report.answerable}"]
    if report.answerable:  # a file of out-of-scope questions alone has no hits to count
        lines += [
            f"hit@1               {report.hit_at_1:.3f}",
            f"hit@3               {report.hit_at_3:.3f}",
            f"MRR                 {report.mrr:.3f}",
        ]
    lines += [
        f"out-of-scope        {report.out_of_scope}, answered wrongly: {report.false_answers}"
        f" ({report.false_answer_rate:.1%})",
        "by kind             "
        + ", ".join(f"{k} {ok}/{n}" for k, (ok, n) in sorted(report.by_kind.items())),
    ]
    if show_misses and report.misses:
        lines.append("")
        lines.append(f"misses ({len(report.misses)}):")
        for miss in report.misses:
            want = ";".join(sorted(miss.item.expected)) or "(no answer)"
            got = ", ".join(miss.got[:3]) or "(no answer)"
            lines.append(f"  line {miss.item.line}: {miss.item.query!r}  want {want}  got {got}")
    return "\n".join(lines)
