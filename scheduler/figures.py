"""The monthly figures: a summary with a chart to the supervisors' channel, each team's table
with its charts to that team's supervisors by DM, and each CSR's own by DM. Nobody is sent
another CSR's figures unless they supervise that CSR's team (or the whole centre)."""

from __future__ import annotations

import datetime as dt
import logging

from bot.figures import monthly as figures
from bot.figures.charts import chart_png, trend_png
from bot.figures.targets import Report, report
from bot.slack.blocks.figures import personal, summary, team_summary
from bot.slack.users import Names
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
    # The charts' labels are read by people: names, each person asked of Slack once.
    looked_up = Names(ctx.client)
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
        png = chart_png(month, names={user: looked_up.name(user) for user in month.people})
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
    posts += _team_posts(ctx, [before, month], looked_up)
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


TREND_MONTHS = 6


def _team_posts(
    ctx: JobContext, latest: list[figures.Month], looked_up: Names
) -> list[tuple[str, Send]]:
    """Each team's table, with the month's chart of its members and the trend of its last
    six months, to each of its supervisors in their own DM. `latest` is last month and the
    one before, already counted."""
    teams = [team for team in ctx.settings.teams if team.supervisors]
    if not teams:
        return []
    month = latest[-1]
    history = _history(ctx, latest)
    posts: list[tuple[str, Send]] = []
    for team in teams:
        members = list(team.members)
        comment = team_summary(month, team=team.name, members=members)
        active = [user for user in members if user in month.people]
        names = {user: looked_up.name(user) for user in active}
        chart = chart_png(month, people=active, names=names) if active else None
        trend = trend_png(
            [(f"{m.first:%b %Y}", m.teams.get(team.name, figures.Figures())) for m in history],
            title=f"{team.name}: the last {len(history)} months",
        )
        for supervisor in team.supervisors:
            posts.append(
                (
                    f"team {team.name[:150]} {supervisor}",
                    _upload(ctx, supervisor, comment, chart, trend, month, team.name),
                )
            )
    return posts


def _history(ctx: JobContext, latest: list[figures.Month]) -> list[figures.Month]:
    """TREND_MONTHS months ending with `latest`, oldest first (only the earlier ones counted
    here)."""
    firsts = [latest[0].first]
    while len(firsts) < TREND_MONTHS - len(latest) + 1:
        firsts.insert(0, figures.previous_month(firsts[0]))
    return [_month(ctx, first) for first in firsts[:-1]] + latest


def _upload(
    ctx: JobContext,
    supervisor: str,
    comment: str,
    chart: bytes | None,
    trend: bytes,
    month: figures.Month,
    team: str,
) -> Send:
    # Uploads carry no metadata to look for: one Slack did not answer is not sent again
    # (its delivery row stays).
    def send(_key: str) -> object:
        dm = ctx.client.conversations_open(users=supervisor)["channel"]["id"]
        stem = f"{team}-{month.first:%Y-%m}".replace(" ", "-").lower()
        files = [{"content": trend, "filename": f"trend-{stem}.png", "title": f"{team}: trend"}]
        if chart is not None:
            files.insert(
                0,
                {
                    "content": chart,
                    "filename": f"figures-{stem}.png",
                    "title": f"{team}: {month.label}",
                },
            )
        return ctx.client.files_upload_v2(channel=dm, file_uploads=files, initial_comment=comment)

    return send
