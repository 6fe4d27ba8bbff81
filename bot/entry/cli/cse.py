"""`deskmate cse report`: the Customer Service Excellence evidence pack, a printable,
self-contained HTML page an assessor reads (bot.cse)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.entry.cli.args import command_group, date

if TYPE_CHECKING:
    from bot.config.settings import Settings


def add_parser(commands: argparse._SubParsersAction) -> None:
    cse_commands = command_group(commands, "cse", help="Customer Service Excellence evidence")
    report = cse_commands.add_parser(
        "report",
        help="write the evidence pack for a period as one printable HTML page",
        description="Write the evidence Deskmate holds for each of the five criteria, from "
        "FROM to TO (both included, in app.yaml's time zone), as DIR/cse-evidence-FROM-to-TO"
        ".html: one self-contained page, charts included, to print or send to an assessor.",
    )
    report.add_argument("--from", dest="start", type=date, required=True, metavar="FROM")
    report.add_argument("--to", dest="end", type=date, required=True, metavar="TO")
    report.add_argument("--out", type=Path, required=True, metavar="DIR", help="a folder")
    report.add_argument(
        "--centre", help="the centre's name, for the title (default: our contact centre)"
    )
    report.set_defaults(handler=write_report, needs_settings=True)


def write_report(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cse.evidence import gather
    from bot.cse.page import DEFAULT_CENTRE, render
    from bot.store import kb
    from bot.store.models import utcnow

    if args.end < args.start:
        print(f"deskmate: --to ({args.end}) is before --from ({args.start})", file=sys.stderr)
        return 2
    if args.out.exists() and not args.out.is_dir():
        print(f"deskmate: {args.out} is a file; --out takes a folder", file=sys.stderr)
        return 2
    engine = kb.open_database(settings)
    evidence = gather(engine, settings, start=args.start, end=args.end)
    page = render(
        evidence, centre=args.centre or DEFAULT_CENTRE, made=utcnow().astimezone(settings.tz)
    )
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"cse-evidence-{args.start}-to-{args.end}.html"
    # Written beside, then moved: a failed write never leaves half a report.
    partial = path.with_name(path.name + ".partial")
    partial.write_text(page, encoding="utf-8")
    partial.replace(path)
    print(f"wrote {path}")
    return 0
