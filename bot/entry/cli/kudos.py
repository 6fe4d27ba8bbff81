"""`deskmate kudos ...`: the kudos commands of the command line."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.entry.cli.args import command_group, date

if TYPE_CHECKING:
    from bot.config.settings import Settings


def add_parser(commands: argparse._SubParsersAction) -> None:
    kudos_commands = command_group(commands, "kudos", help="the kudos people have given")
    export = kudos_commands.add_parser(
        "export",
        help="write kudos as CSV, one row per recipient, for HR and CSE evidence",
        description="Write every kudos given since DATE (from midnight in app.yaml's time "
        "zone) as CSV: kudos_id, created_at (UTC), giver, recipient, value, message, "
        "from_supervisor, posted. People are Slack member IDs, each with their name from "
        "Slack beside it (giver_name, recipient_name) when SLACK_BOT_TOKEN is set.",
    )
    export.add_argument("--since", type=date, required=True, metavar="DATE", help="YYYY-MM-DD")
    export.add_argument("--out", metavar="FILE", help="write to FILE (default: standard output)")
    retry = kudos_commands.add_parser(
        "retry",
        help="post the kudos Slack refused for good, once the cause is fixed",
        description="Kudos whose post Slack refused in a way trying again would not change "
        "(Deskmate not in the channel, the channel archived, the token revoked) wait until "
        "this is run: the next retry pass (within a few minutes, or the next kudos given) "
        "posts them, once each. Fix the cause first (the log and /readyz say what it is).",
    )
    export.set_defaults(handler=export_kudos, needs_settings=True, long_running=False)
    retry.set_defaults(handler=retry_stopped, needs_settings=True)


def export_kudos(args: argparse.Namespace, settings: Settings) -> int:
    from bot.kudos_report import export_csv
    from bot.store import kb

    engine = kb.open_database(settings)
    names = _names(settings)
    lookup = names.name if names is not None else None
    if args.out is None:
        export_csv(engine, sys.stdout, since=args.since, tz=settings.tz, names=lookup)
    else:
        out = Path(args.out)
        # Write beside the target, then move: a failed export never leaves half a file.
        partial = out.with_name(out.name + ".partial")
        with partial.open("w", encoding="utf-8", newline="") as handle:
            count = export_csv(engine, handle, since=args.since, tz=settings.tz, names=lookup)
        partial.replace(out)
        print(f"exported {count} kudos since {args.since.isoformat()} to {out}", file=sys.stderr)
    if names is None:
        print(
            "names were not looked up (SLACK_BOT_TOKEN is not set): the name columns are empty",
            file=sys.stderr,
        )
    elif names.failed is not None:
        print(
            f"names were not all looked up (Slack said: {names.failed}); run "
            "`deskmate doctor` to see why",
            file=sys.stderr,
        )
    return 0


def _names(settings: Settings):
    """People's names from Slack (users.info, each once), or None without a bot token."""
    token = os.environ.get("SLACK_BOT_TOKEN", "").strip()
    if not token:
        return None
    from bot.slack.client import make_client
    from bot.slack.users import Names

    return Names(make_client(token, timeout=settings.slack.timeout_seconds))


def retry_stopped(args: argparse.Namespace, settings: Settings) -> int:
    from bot.kudos import resume_stopped
    from bot.store import kb

    count = resume_stopped(kb.open_database(settings))
    if count:
        print(f"{count} kudos will be posted by the next retry pass, within a few minutes")
    else:
        print("No kudos are waiting: none was stopped by Slack")
    return 0
