"""The `deskmate` command (also `python -m bot`): parse, call the core, print."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Iterable, Sequence

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot import logs
from bot.config.settings import Settings, SettingsError, load_settings
from bot.entry import run
from bot.entry.cli import check as cli_check
from bot.entry.cli import db as cli_db
from bot.entry.cli import jobs as cli_jobs
from bot.entry.cli import kudos as cli_kudos
from bot.entry.cli.progress import ProgressBar
from bot.entry.run import RunError
from bot.housekeeping import purge_expired_search_logs
from bot.slack import manifest
from bot.store import kb
from knowledge.loader import LoadError, load_articles
from knowledge.search import SearchIndex

PROGRESS_ABOVE = 200  # articles; smaller imports finish before a bar would help

DEFAULT_PORT = 3000  # Bolt's usual port


def _limit(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if not 1 <= value <= 100:
        raise argparse.ArgumentTypeError(f"expected a number from 1 to 100, got {value}")
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, got {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 0 to 65535, got {value}")
    return value


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if not 1 <= value <= 64:
        raise argparse.ArgumentTypeError(f"expected a number from 1 to 64, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="deskmate",
        description="The approved answer for contact-centre staff while the caller waits.",
        epilog="With no COMMAND, deskmate runs the bot: in Socket Mode when SLACK_BOT_TOKEN "
        "and SLACK_APP_TOKEN are set, otherwise as a local console where you can try /answer "
        "on this computer.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    kb_parser = commands.add_parser("kb", help="work with the knowledge base")
    kb_commands = kb_parser.add_subparsers(dest="kb_command", metavar="COMMAND")

    do_import = kb_commands.add_parser(
        "import", help="add or update articles by id from a folder, .md file or CSV"
    )
    do_import.add_argument("path", metavar="PATH")

    do_export = kb_commands.add_parser(
        "export", help="write every article as <DIR>/<category>/<id>.md"
    )
    do_export.add_argument("directory", metavar="DIR")

    do_search = kb_commands.add_parser(
        "search",
        help="search the knowledge base",
        description="Search the knowledge base. With no QUERY, read one query per line "
        "from standard input.",
    )
    do_search.add_argument("query", metavar="QUERY", nargs="*")
    do_search.add_argument("--json", action="store_true", help="one JSON object per query")
    do_search.add_argument(
        "--limit", type=_limit, help="most results per query (default: app.yaml)"
    )

    cli_check.add_parser(kb_commands)
    parser.set_defaults(kb_parser=kb_parser)

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
    serve.add_argument("--port", type=_port, default=DEFAULT_PORT, help="default: %(default)s")
    serve.add_argument(
        "--workers", type=_count, default=2, help="worker processes (default: %(default)s)"
    )
    serve.add_argument(
        "--threads", type=_count, default=8, help="threads per worker (default: %(default)s)"
    )

    show = commands.add_parser("manifest", help="print the Slack app manifest to paste into Slack")
    show.add_argument("--json", action="store_true", help="JSON instead of YAML")
    show.add_argument(
        "--request-url",
        metavar="URL",
        help="for HTTP mode: the public https://.../slack/events address of `deskmate serve "
        "--http` (default: Socket Mode)",
    )

    logs = commands.add_parser("logs", help="look after the search logs")
    logs_commands = logs.add_subparsers(dest="logs_command", metavar="COMMAND")
    logs_commands.add_parser(
        "purge", help="delete search logs older than logs.retention_days in app.yaml"
    )
    logs.set_defaults(logs_parser=logs)
    cli_kudos.add_parser(commands)
    cli_jobs.add_parser(commands)
    cli_db.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error argparse has already printed
        return exc.code if isinstance(exc.code, int) else 0
    try:
        logs.configure_logging(
            default_level=logging.INFO if _runs_the_bot(args) else logging.WARNING
        )
    except logs.LoggingSetupError as exc:
        print(f"deskmate: {exc}", file=sys.stderr)
        return 2
    if args.command == "manifest":
        return _manifest(args)
    if args.command == "kb" and args.kb_command is None:
        args.kb_parser.print_help(sys.stderr)
        return 2
    if args.command == "logs" and args.logs_command is None:
        args.logs_parser.print_help(sys.stderr)
        return 2
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    try:
        if args.command is None:
            return _run(settings)
        if args.command == "serve":
            return _serve(args, settings)
        if args.command == "logs":
            return _purge_logs(settings)
        if args.command == "kudos":
            return cli_kudos.run(args, settings)
        if args.command in ("jobs", "scheduler"):
            return cli_jobs.run(args, settings)
        if args.command == "db":
            return cli_db.run(args, settings)
        if args.command == "backup":
            return cli_db.run_backup(args, settings)
        return COMMANDS[args.kb_command](args, settings)
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


# -- running the bot ----------------------------------------------------------------------


def _runs_the_bot(args: argparse.Namespace) -> bool:
    """Whether this command runs for a long time (Socket Mode, HTTP mode, the scheduler),
    whose log at INFO is how an admin follows it; one-off commands and the console only
    warn, as their own output is the point."""
    if args.command in ("serve", "scheduler"):
        return True
    if args.command is None:
        try:
            return run.choose_mode() == "socket"
        except RunError:
            return False  # `_run` says what is missing
    return False


def _run(settings: Settings) -> int:
    """`deskmate`: Socket Mode with both Slack tokens, else the local console."""
    if run.choose_mode() == "socket":
        return run.run_socket_mode(settings)
    from bot.entry.console import run_console

    return run_console(settings)


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    if not args.http:
        return run.run_socket_mode(settings)
    return run.run_http(
        settings, host=args.host, port=args.port, workers=args.workers, threads=args.threads
    )


def _manifest(args: argparse.Namespace) -> int:
    url = args.request_url
    if url is not None:
        try:
            manifest.check_request_url(url)
        except ValueError as exc:
            print(f"deskmate: {exc}", file=sys.stderr)
            return 2
    sys.stdout.write(manifest.render(as_json=args.json, request_url=url))
    return 0


def _purge_logs(settings: Settings) -> int:
    engine = kb.open_database(settings)
    removed = purge_expired_search_logs(engine, settings)
    days = settings.logs.retention_days
    print(
        f"removed {removed} search log{'s' if removed != 1 else ''} older than "
        f"{days} day{'s' if days != 1 else ''}"
    )
    return 0


# -- the knowledge base -------------------------------------------------------------------


def _import(args: argparse.Namespace, settings: Settings) -> int:
    articles = load_articles(args.path)
    engine = kb.open_database(settings)
    show = len(articles) > PROGRESS_ABOVE or sys.stderr.isatty()
    progress = ProgressBar("importing") if show else None
    result = kb.import_articles(engine, articles=articles, progress=progress)
    print(result)
    return 0


def _export(args: argparse.Namespace, settings: Settings) -> int:
    engine = kb.open_database(settings)
    kb.ensure_bundled(engine, settings)
    count = kb.export_articles(engine, directory=args.directory)
    print(f"exported {count} article{'s' if count != 1 else ''} to {args.directory}")
    return 0


def _search(args: argparse.Namespace, settings: Settings) -> int:
    limit = args.limit or settings.search.limit
    index = kb.index_from_db(kb.open_database(settings), settings=settings)
    if args.query:
        query = " ".join(args.query)
        if args.json:
            _print_json(index, query, limit)
        else:
            _print_hits(index, query, limit)
        return 0
    for query in _stdin_queries():
        if args.json:
            _print_json(index, query, limit)
        else:
            _print_one_line(index, query, limit)
    return 0


def _stdin_queries() -> Iterable[str]:
    for line in sys.stdin:
        query = line.strip().lstrip("\ufeff").strip()
        if query:
            yield query


def _print_json(index: SearchIndex, query: str, limit: int) -> None:
    results = [
        {"id": hit.article.id, "title": hit.article.title, "score": round(hit.score, 4)}
        for hit in index.search(query, limit)
    ]
    # Flushed per line so a program feeding queries on stdin can read each answer at once.
    print(json.dumps({"query": query, "results": results}), flush=True)


def _print_hits(index: SearchIndex, query: str, limit: int) -> None:
    ranking = index.rank(query, limit)
    hits = ranking.answers
    if not hits:
        print(f'No confident match for "{query}".')
        if ranking.hits:
            print("Closest: " + "; ".join(hit.article.title for hit in ranking.hits[:3]))
        return
    width = max(len(hit.article.id) for hit in hits)
    for hit in hits:
        print(f"{hit.score:.4f}  {hit.article.id:<{width}}  {hit.article.title}")


def _print_one_line(index: SearchIndex, query: str, limit: int) -> None:
    hits = index.search(query, limit)
    if hits:
        best = hits[0]
        print(f'"{query}"  {best.score:.4f}  {best.article.id}  {best.article.title}', flush=True)
    else:
        print(f'"{query}"  no confident match', flush=True)


COMMANDS = {"import": _import, "export": _export, "search": _search, "check": cli_check.run}
