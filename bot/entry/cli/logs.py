"""`deskmate logs purge`: delete search logs past `logs.retention_days` now, as the nightly
search_log_purge job does."""

from __future__ import annotations

import argparse

from bot.entry.cli.args import command_group


def add_parser(commands: argparse._SubParsersAction) -> None:
    logs_commands = command_group(commands, "logs", help="look after the search logs")
    purge = logs_commands.add_parser(
        "purge", help="delete search logs older than logs.retention_days in app.yaml"
    )
    purge.set_defaults(handler=purge_logs, needs_settings=True)


def purge_logs(args: argparse.Namespace, settings) -> int:
    from bot.answer import purge_expired_search_logs
    from bot.store import kb

    engine = kb.open_database(settings)
    removed = purge_expired_search_logs(engine, settings)
    days = settings.logs.retention_days
    print(
        f"removed {removed} search log{'s' if removed != 1 else ''} older than "
        f"{days} day{'s' if days != 1 else ''}"
    )
    return 0
