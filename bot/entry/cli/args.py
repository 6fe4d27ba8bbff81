"""The checks `deskmate`'s arguments share: argparse calls each with the text typed and shows
its message, naming the option, when the text will not do."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable


def whole_number(low: int, high: int, *, noun: str = "number") -> Callable[[str], int]:
    """A whole number from `low` to `high`; `noun` names it ("port") in the messages."""

    def check(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            kind = "a whole number" if noun == "number" else f"a {noun} number"
            raise argparse.ArgumentTypeError(f"expected {kind}, got {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"expected a {noun} from {low} to {high}, got {value}")
        return value

    return check


def fraction(text: str) -> float:
    """A number from 0 to 1 (a share of questions)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"expected a number between 0 and 1, got {value}")
    return value


def date(text: str) -> dt.date:
    """A calendar date written YYYY-MM-DD."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a date such as 2026-09-01, got {text!r}"
        ) from None


def command_group(
    commands: argparse._SubParsersAction, name: str, *, help: str
) -> argparse._SubParsersAction:
    """A group of commands (`deskmate kb ...`), whose subcommands are added to what this
    returns; given without one, it shows its help and exits 2."""
    group = commands.add_parser(name, help=help)
    group.set_defaults(handler=usage(group), needs_settings=False)
    return group.add_subparsers(dest=f"{name}_command", metavar="COMMAND")


def usage(parser: argparse.ArgumentParser) -> Callable[..., int]:
    """The handler of a command group given without its subcommand: its help, exit 2."""

    def show(*_: object) -> int:
        parser.print_help(sys.stderr)
        return 2

    return show
