"""`deskmate figures import FILE`: the phone system's or survey's CSV export, stored (or,
with a bad row anywhere, nothing stored and every bad row named as `path:line: reason`)."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

from bot.entry.cli.args import command_group

if TYPE_CHECKING:
    from bot.config.settings import Settings

PROGRESS_ABOVE = 5_000  # rows; smaller files finish before a bar would help


def add_parser(commands: argparse._SubParsersAction) -> None:
    figures_commands = command_group(commands, "figures", help="the contact centre's own measures")
    do_import = figures_commands.add_parser(
        "import",
        help="import a phone-system or survey CSV export (the same file twice adds nothing)",
        description="Import FILE, a CSV export from the phone system (one row per agent per "
        "day) or the customer survey (one row per call). The format is found from the "
        "header (the built-in agent_daily and survey_cards, or one described under "
        "figures.formats in app.yaml), or named with --format.",
    )
    do_import.add_argument("path", metavar="FILE")
    do_import.add_argument("--format", metavar="NAME", help="the export format's name")
    do_import.set_defaults(handler=import_figures, needs_settings=True)


def import_figures(args: argparse.Namespace, settings: Settings) -> int:
    from bot.entry.cli.progress import ProgressBar
    from bot.figures.imports import ImportRefused, read_export, store_export, unmatched_agents
    from bot.store import kb

    formats = settings.figures.all_formats()
    try:
        export = read_export(args.path, formats=formats, name=args.format)
    except ImportRefused as refused:
        for problem in refused.problems:
            print(problem, file=sys.stderr)
        print("Nothing was imported.", file=sys.stderr)
        return 1
    engine = kb.open_database(settings)
    show = len(export.rows) > PROGRESS_ABOVE or sys.stderr.isatty()
    progress = ProgressBar("importing") if show else None
    result = store_export(engine, export, progress=progress)
    print(result)
    _match_by_email(engine, settings, export.agents)
    _praise(engine, settings)
    unmatched = unmatched_agents(engine, agents=settings.figures.agents, among=export.agents)
    if unmatched:
        shown = ", ".join(unmatched[:20]) + (
            f" and {len(unmatched) - 20} more" if len(unmatched) > 20 else ""
        )
        print(
            f"{len(unmatched)} agent{'s' if len(unmatched) != 1 else ''} not yet matched to a "
            f"Slack user (kept, and counted once matched): {shown}. List them under "
            "figures.agents in app.yaml (agent ID or e-mail: Slack user ID)."
        )
    return 0


def _match_by_email(engine, settings: Settings, agents: set[str]) -> None:
    """Agents given by e-mail, matched to Slack users with users.lookupByEmail when
    Deskmate has a Slack token (scope users:read.email)."""
    token = os.environ.get("SLACK_BOT_TOKEN", "").strip()
    waiting = [a for a in agents if "@" in a and a not in settings.figures.agents]
    if not token or not waiting:
        return
    from bot.figures.imports import agent_users, record_matches
    from bot.slack.client import make_client
    from bot.slack.users import SlackUnavailable, user_by_email

    known = agent_users(engine, agents=settings.figures.agents)
    client = make_client(token, timeout=settings.slack.timeout_seconds)
    found = {}
    for agent in sorted(set(waiting) - set(known)):
        try:
            user_id = user_by_email(client, agent)
        except SlackUnavailable as error:
            print(f"deskmate: could not look agents up by e-mail: {error}", file=sys.stderr)
            break
        if user_id is not None:
            found[agent] = user_id
    if found:
        record_matches(engine, found)
        print(f"matched {len(found)} agent{'s' if len(found) != 1 else ''} to Slack by e-mail")


def _praise(engine, settings: Settings) -> None:
    from scheduler.kudos import praise_customers

    if settings.kudos.customer_praise and settings.channels.kudos is None:
        print(
            "Survey praise is not posted: kudos.customer_praise needs channels.kudos in app.yaml.",
            file=sys.stderr,
        )
        return
    made = praise_customers(engine, settings)
    if made:
        print(
            f"{made} survey card{'s' if made != 1 else ''} rated 5 with a comment became "
            "kudos from a customer; Deskmate posts them within a few minutes"
        )
