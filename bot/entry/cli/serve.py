"""`deskmate` with no command (Socket Mode with both Slack tokens, else the local console)
and `deskmate serve` (Socket Mode, or HTTP mode under gunicorn with --http)."""

from __future__ import annotations

import argparse

from bot.entry.cli.args import whole_number

DEFAULT_PORT = 3000  # Bolt's usual port


def add_parser(commands: argparse._SubParsersAction) -> None:
    serve = commands.add_parser(
        "serve",
        help="run for Slack: HTTP mode with --http, otherwise Socket Mode",
        description="With --http: serve Slack's requests at /slack/events, health checks at "
        "/healthz and /readyz and Prometheus metrics at /metrics (needs SLACK_SIGNING_SECRET "
        "and SLACK_BOT_TOKEN). Without: Socket Mode (needs SLACK_BOT_TOKEN and "
        "SLACK_APP_TOKEN). LOG_FORMAT=json and LOG_LEVEL set the log.",
    )
    serve.add_argument("--http", action="store_true", help="HTTP mode (Events API)")
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    serve.add_argument(
        "--port",
        type=whole_number(0, 65535, noun="port"),
        default=DEFAULT_PORT,
        help="default: %(default)s",
    )
    serve.add_argument(
        "--workers",
        type=whole_number(1, 64),
        default=2,
        help="worker processes (default: %(default)s)",
    )
    serve.add_argument(
        "--threads",
        type=whole_number(1, 64),
        default=8,
        help="threads per worker, each running one whole request at a time (default: %(default)s)",
    )
    serve.set_defaults(handler=serve_slack, long_running=True)


def run_bot(args: argparse.Namespace, settings) -> int:
    """`deskmate`: Socket Mode with both Slack tokens, else the local console."""
    from bot.entry.modes import choose_mode

    if choose_mode() == "socket":
        from bot.entry.run import run_socket_mode

        return run_socket_mode(settings)
    from bot.entry.console import run_console

    return run_console(settings)


def serve_slack(args: argparse.Namespace, settings) -> int:
    from bot.entry.run import run_http, run_socket_mode

    if not args.http:
        return run_socket_mode(settings)
    return run_http(
        settings, host=args.host, port=args.port, workers=args.workers, threads=args.threads
    )
