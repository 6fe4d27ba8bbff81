"""The monthly figures in Slack: the supervisors' summary (the comment on the chart) and
each CSR's own figures by direct message. Pure functions of a `bot.figures.monthly.Month`."""

from __future__ import annotations

from bot.figures.monthly import Figures, Month, percent
from bot.slack.blocks.base import FALLBACK_CHARS, Blocks, context, fit, header, section

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
    for position, (user_id, figures) in enumerate(month.people.items()):
        line = f"• <@{user_id}>: {_line(figures)}"
        if len("\n".join([*lines, line])) > SUMMARY_CHARS - 40:
            lines.append(f"…and {count - position} more (see the chart)")
            break
        lines.append(line)
    return "\n".join(lines)


def personal(month: Month, user_id: str) -> tuple[str, Blocks]:
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
    text = f"Your figures for {month.label}: " + _line(figures)
    blocks = [
        header(f"Your figures for {month.label}"),
        section("\n".join(rows)),
        context("Only you and the supervisors see these. Thank you for your work this month."),
    ]
    return fit(text, FALLBACK_CHARS), blocks
