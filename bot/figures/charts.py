"""The supervisors' charts as PNG bytes (drawn in memory with matplotlib; no display needed):
a month's figures person by person, and a team's measures over the last months."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

from bot.figures.monthly import TEAM, Figures, Month


def _figure(width: float, height: float):
    import matplotlib

    matplotlib.use("Agg")  # before pyplot: a server has no display
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100)


def _png(figure) -> bytes:
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def chart_png(
    month: Month, *, people: Sequence[str] | None = None, names: Mapping[str, str] | None = None
) -> bytes:
    """A bar chart of each person's looked up, gaps and kudos received, and their helpful
    ratio and quiz accuracy. `people` (everyone active, when not given) in that order, each
    labelled by their display name from `names`, else their Slack user ID."""
    people = list(people if people is not None else month.people) or [TEAM]
    rows = [month.people.get(user, Figures()) for user in people]
    figure = _figure(max(6.0, 0.9 * len(people) + 2), 6.5)
    counts, ratios = figure.subplots(2, 1, sharex=True)
    width = 0.27
    positions = range(len(people))
    for offset, (title, values) in enumerate(
        (
            ("Answers looked up", [row.looked_up for row in rows]),
            ("Gaps found", [row.gaps for row in rows]),
            ("Kudos received", [row.kudos_received for row in rows]),
        )
    ):
        counts.bar([p + (offset - 1) * width for p in positions], values, width, label=title)
    counts.set_title(f"Monthly figures, {month.label}")
    counts.legend(loc="upper right", fontsize="small")
    for offset, (title, values) in enumerate(
        (
            ("Helpful ratio", [row.helpful_ratio for row in rows]),
            ("Quiz accuracy", [row.quiz_accuracy for row in rows]),
        )
    ):
        shown = [100 * value if value is not None else 0 for value in values]
        ratios.bar([p + (offset - 0.5) * width for p in positions], shown, width, label=title)
    ratios.set_ylim(0, 100)
    ratios.set_ylabel("%")
    ratios.legend(loc="upper right", fontsize="small")
    labels = [(names or {}).get(user) or user for user in people]
    ratios.set_xticks(list(positions), labels, rotation=30, ha="right")
    return _png(figure)


TREND_MEASURES = (
    ("Survey cards rated 5", lambda f: f.satisfaction),
    ("Resolved on first contact", lambda f: f.first_contact_resolution),
    ("Answers marked helpful", lambda f: f.helpful_ratio),
    ("Quiz accuracy", lambda f: f.quiz_accuracy),
)


def trend_png(months: Sequence[tuple[str, Figures]], *, title: str) -> bytes:
    """A team's shares (top) and average handle time (below) month by month, oldest first:
    `months` is (label, the team's figures) for each."""
    figure = _figure(7.5, 6.0)
    shares, handle = figure.subplots(2, 1, sharex=True)
    labels = [label for label, _ in months]
    for name, measure in TREND_MEASURES:
        points = [(x, measure(f)) for x, (_, f) in enumerate(months) if measure(f) is not None]
        if points:
            shares.plot(
                [x for x, _ in points], [100 * v for _, v in points], marker="o", label=name
            )
    shares.set_ylim(0, 100)
    shares.set_ylabel("%")
    shares.set_title(title)
    if shares.get_legend_handles_labels()[0]:
        shares.legend(loc="lower left", fontsize="small")
    points = [(x, f.handle_minutes) for x, (_, f) in enumerate(months) if f.handle_minutes]
    handle.plot([x for x, _ in points], [v for _, v in points], marker="o", color="#d4351c")
    handle.set_ylabel("Average handle time (min)")
    handle.set_xticks(range(len(labels)), labels)
    return _png(figure)
