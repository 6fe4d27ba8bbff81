"""The `deskmate` command (also `python -m bot`): parse, then run the one command asked for.

Each command group lives in a module of its own here, with `add_parser(commands)` that
defines its arguments and the function that runs it (`handler`). Parsing imports nothing
heavy: `deskmate --help` answers at once, and each command loads only what it uses when it
runs (the settings, the database, the search, Slack's SDK).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from bot.entry.cli import cse, db, doctor, figures, init, jobs, kb, kudos, logs, manifest, serve

GROUPS = (kb, serve, manifest, logs, kudos, figures, cse, jobs, db, init, doctor)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="deskmate",
        description="The approved answer for contact-centre staff while the caller waits.",
        epilog="With no COMMAND, deskmate runs the bot: in Socket Mode when SLACK_BOT_TOKEN "
        "and SLACK_APP_TOKEN are set, otherwise as a local console where you can try /answer "
        "on this computer.",
    )
    # A command runs long only when its group says so (`serve`, `jobs scheduler`): one left
    # unmarked is a one-off, whose own output is the point, so its log stays at WARNING.
    parser.set_defaults(handler=serve.run_bot, needs_settings=True, long_running=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in GROUPS:
        group.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error argparse has already printed
        return exc.code if isinstance(exc.code, int) else 0
    from bot.logs import LoggingSetupError, configure_logging

    try:
        configure_logging(default_level=logging.INFO if _runs_long(args) else logging.WARNING)
    except LoggingSetupError as exc:
        print(f"deskmate: {exc}", file=sys.stderr)
        return 2
    if not args.needs_settings:
        return args.handler(args, None)
    from bot.config.settings import SettingsError, load_settings

    try:
        settings = load_settings()
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    return _run(args, settings)


def _run(args: argparse.Namespace, settings) -> int:
    """The command, with each kind of failure told in a line (never a traceback)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    from bot.entry.modes import RunError
    from knowledge.loader import LoadError

    try:
        return args.handler(args, settings)
    except RunError as exc:
        print(f"deskmate: {exc}", file=sys.stderr)
        return 2
    except LoadError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    except SQLAlchemyError as exc:
        url = make_url(settings.database.url).render_as_string(hide_password=True)
        reason = getattr(exc, "orig", None) or exc
        print(f"deskmate: database problem with {url}: {reason}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader went away (`| head`); stop quietly rather than print a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except (ValueError, OSError) as exc:
        print(f"deskmate: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _runs_long(args: argparse.Namespace) -> bool:
    """Whether this command runs for a long time (Socket Mode, HTTP mode, the scheduler),
    whose log at INFO is how an admin follows it; one-off commands and the console only
    warn, as their own output is the point."""
    if args.command is not None:
        return args.long_running
    # No command: the bot itself, in Socket Mode when both tokens are set.
    from bot.entry.modes import RunError, choose_mode

    try:
        return choose_mode() == "socket"
    except RunError:
        return False  # running it says what is missing
