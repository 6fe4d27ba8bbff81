"""The monthly figures: a summary with a chart to the supervisors, and each CSR's own by DM."""

from __future__ import annotations

import datetime as dt
import logging

from bot.figures import monthly as figures
from bot.figures.targets import Report, report
from bot.slack.blocks.figures import personal, summary
from scheduler.delivery import JobContext, Send, deliver_all, post

log = logging.getLogger(__name__)


def monthly_figures(ctx: JobContext, scheduled_for: dt.datetime) -> None:
    """Last month's figures: a summary with a chart to the supervisors, and each CSR who did
    anything their own by DM. Each post is sent once; a failed one fails the run after the
    others are sent, so the retry sends only that one."""
    job = "monthly_figures"
    first = figures.previous_month(ctx.local_date(scheduled_for))
    month = _month(ctx, first)
    before = _month(ctx, figures.previous_month(first))
    posts: list[tuple[str, Send]] = []
    channel = ctx.settings.channels.supervisors
    if channel is None:
        log.warning("%s: channels.supervisors is not set in app.yaml; no summary posted", job)
    elif not month.people or channel.startswith("#"):
        if month.people:
            # files.completeUploadExternal takes a channel ID only; the text still goes.
            log.warning("%s: the chart needs channels.supervisors as an ID, not %s", job, channel)
        note = summary(month)
        posts.append((f"supervisors {channel}", post(ctx, channel=channel, text=note, mrkdwn=True)))
    else:
        comment = summary(month)
        png = figures.chart_png(month)
        posts.append(
            (
                f"supervisors {channel}",
                # Uploads carry no metadata to look for: one Slack did not answer is
                # not sent again (its delivery row stays).
                lambda _key: ctx.client.files_upload_v2(
                    channel=channel,
                    file=png,
                    filename=f"figures-{first:%Y-%m}.png",
                    title=f"Monthly figures, {month.label}",
                    initial_comment=comment,
                ),
            )
        )
    for user_id in month.people:
        text, blocks = personal(month, user_id, _report(ctx, month, before, user_id))
        posts.append((f"dm {user_id}", post(ctx, channel=user_id, text=text, blocks=blocks)))
    deliver_all(ctx, job, scheduled_for, posts)


def _month(ctx: JobContext, first: dt.date) -> figures.Month:
    settings = ctx.settings
    return figures.monthly_figures(
        ctx.engine,
        month=first,
        tz=settings.tz,
        agents=settings.figures.agents,
        teams=settings.teams,
    )


def _report(ctx: JobContext, month: figures.Month, before: figures.Month, user_id: str) -> Report:
    """How this CSR did against the targets, beside their team (the whole centre when they
    are in none) and last month."""
    team = ctx.settings.team_of(user_id)
    compared = (team.name, month.teams[team.name]) if team else ("the centre", month.team)
    return report(
        ctx.engine,
        user_id=user_id,
        yours=month.people[user_id],
        team=compared,
        last_month=before.people.get(user_id),
        targets=ctx.settings.targets,
        month=month.first,
        tz=ctx.settings.tz,
    )
