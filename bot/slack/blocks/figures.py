"""The monthly figures in Slack: the supervisors' summary (the comment on the chart) and
each CSR's own figures by direct message. Pure functions of a `bot.figures.monthly.Month`."""

from __future__ import annotations

from collections.abc import Sequence

from bot.figures.monthly import Figures, Month, percent
from bot.figures.targets import Line, Report
from bot.slack.blocks.base import FALLBACK_CHARS, Blocks, context, escape, fit, header, section

SUMMARY_CHARS = 3_500  # inside what Slack shows of a file's comment without folding it


def _line(figures: Figures) -> str:
    quiz = (
        f"quiz {percent(figures.quiz_accuracy)} ({figures.quiz_right} of {figures.quiz_answered})"
        if figures.quiz_answered
        else "no quiz answers"
    )
    return (
        f"{figures.looked_up} looked up, {figures.gaps} gaps, "
        f"helpful {percent(figures.helpful_ratio)} (of {figures.feedback} feedback), "
        f"kudos {figures.kudos_given} given / {figures.kudos_received} received, {quiz}"
    )


def _calls(figures: Figures) -> str:
    """The phone and survey measures, when there are any."""
    parts = []
    if figures.calls:
        parts.append(f"{figures.calls} calls, handle time {figures.handle_minutes:.1f} min")
    if figures.resolution_calls:
        parts.append(f"resolved first time {percent(figures.first_contact_resolution)}")
    if figures.cards:
        parts.append(f"rated 5 {percent(figures.satisfaction)} of {figures.cards} cards")
    return "; " + ", ".join(parts) if parts else ""


def team_summary(month: Month, *, team: str, members: Sequence[str]) -> str:
    """A team supervisor's post: their team's figures, then each member's (only theirs)."""
    active = [user for user in members if user in month.people]
    title = f"*{escape(team)}: monthly figures, {month.label}*"
    if not active:
        return f"{title}\nNo activity was recorded for the team this month."
    lines = [
        title,
        f"*Team* ({len(active)} of {len(members)} active): "
        + _line(month.teams.get(team, Figures()))
        + _calls(month.teams.get(team, Figures())),
    ]
    people = [f"• <@{u}>: {_line(month.people[u])}{_calls(month.people[u])}" for u in active]
    return _within(lines, people)


def _within(lines: list[str], people: list[str]) -> str:
    """`lines`, then as many of `people` as fit what Slack shows of a file's comment."""
    for position, line in enumerate(people):
        if len("\n".join([*lines, line])) > SUMMARY_CHARS - 40:
            lines.append(f"…and {len(people) - position} more (see the chart)")
            break
        lines.append(line)
    return "\n".join(lines)


def summary(month: Month) -> str:
    """The supervisors' post: the team's figures, then each person's."""
    if not month.people:
        return f"*Monthly figures, {month.label}*\nNo activity was recorded this month."
    count = len(month.people)
    lines = [
        f"*Monthly figures, {month.label}*",
        f"*Team* (everyone; {count} {'person' if count == 1 else 'people'} active): "
        + _line(month.team),
    ]
    return _within(lines, [f"• <@{user}>: {_line(f)}" for user, f in month.people.items()])


def _change(line: Line) -> str:
    change = line.change
    if change is None:
        return "new this month"
    if line.measure.key == "handle_minutes":
        amount = f"{abs(change):.1f} min"
    else:
        amount = f"{abs(change) * 100:.0f} points"
    if float(amount.split()[0]) == 0:  # nothing that shows at this precision
        return "about the same as last month"
    better = (change > 0) == line.measure.higher_is_better
    return f"{'up' if change > 0 else 'down'} {amount} on last month{'' if better else ' (worse)'}"


def _measure(line: Line, team: str) -> str:
    show = line.measure.show
    parts = [f"*{line.measure.label}:* {show(line.yours) if line.yours is not None else '–'}"]
    parts.append(f"{team} {show(line.team) if line.team is not None else '–'}")
    if line.target is not None:
        parts.append(f"target {show(line.target)}")
    parts.append(_change(line))
    mark = " :warning: below target" if line.below_target else ""
    return " · ".join(parts) + mark


def measures(report: Report) -> Blocks:
    """Each measure beside the team's and the target, then one thing to try for each
    below target."""
    if not report.lines:
        return []
    rows = [_measure(line, report.team) for line in report.lines]
    blocks = [section("*How you are doing*\n" + "\n".join(rows))]
    if report.suggestions:
        labels = {line.measure.key: line.measure.label for line in report.lines}
        tips = [f"• *{labels[key]}:* {escape(text)}" for key, text in report.suggestions.items()]
        blocks.append(section("*One thing to try for each below target*\n" + "\n".join(tips)))
    return blocks


def personal(month: Month, user_id: str, report: Report | None = None) -> tuple[str, Blocks]:
    """(fallback text, blocks) for one CSR's own figures, sent to them privately."""
    figures = month.people[user_id]
    rows = [
        f"*Answers looked up:* {figures.looked_up}",
        f"*Gaps found* (no confident answer): {figures.gaps}",
        f"*Helpful ratio:* {percent(figures.helpful_ratio)} "
        f"({figures.helpful} of {figures.feedback} feedback you gave)",
        f"*Kudos:* {figures.kudos_given} given, {figures.kudos_received} received",
        f"*Quiz accuracy:* {percent(figures.quiz_accuracy)} "
        f"({figures.quiz_right} of {figures.quiz_answered} right)",
    ]
    if figures.calls:
        rows.append(f"*Calls handled:* {figures.calls}, {figures.transfers} transferred")
    if figures.cards:
        rows.append(f"*Survey cards:* {figures.cards}, {figures.fives} rated 5")
    text = f"Your figures for {month.label}: " + _line(figures)
    blocks = [
        header(f"Your figures for {month.label}"),
        section("\n".join(rows)),
        *(measures(report) if report is not None else []),
        context(
            "Only you and your team's supervisors see these. Thank you for your work this month."
        ),
    ]
    return fit(text, FALLBACK_CHARS), blocks
