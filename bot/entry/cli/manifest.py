"""`deskmate manifest`: the Slack app manifest to paste into Slack (no settings needed)."""

from __future__ import annotations

import argparse
import sys


def add_parser(commands: argparse._SubParsersAction) -> None:
    show = commands.add_parser("manifest", help="print the Slack app manifest to paste into Slack")
    show.add_argument("--json", action="store_true", help="JSON instead of YAML")
    show.add_argument(
        "--request-url",
        metavar="URL",
        help="for HTTP mode: the public https://.../slack/events address of `deskmate serve "
        "--http` (default: Socket Mode)",
    )
    show.set_defaults(handler=print_manifest, needs_settings=False)


def print_manifest(args: argparse.Namespace, _settings: None) -> int:
    from bot.slack import manifest

    url = args.request_url
    if url is not None:
        try:
            manifest.check_request_url(url)
        except ValueError as exc:
            print(f"deskmate: {exc}", file=sys.stderr)
            return 2
    sys.stdout.write(manifest.render(as_json=args.json, request_url=url))
    return 0
