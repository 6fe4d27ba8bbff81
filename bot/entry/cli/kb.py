"""`deskmate kb ...`: import, export and search the knowledge base, and check how well it
answers labelled questions (bot.entry.cli.check)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING

from bot.entry.cli import check
from bot.entry.cli.args import command_group, whole_number

if TYPE_CHECKING:
    from bot.config.settings import Settings
    from knowledge.search import SearchIndex

PROGRESS_ABOVE = 200  # articles; smaller imports finish before a bar would help


def add_parser(commands: argparse._SubParsersAction) -> None:
    kb_commands = command_group(commands, "kb", help="work with the knowledge base")

    do_import = kb_commands.add_parser(
        "import", help="add or update articles by id from a folder, .md file or CSV"
    )
    do_import.add_argument("path", metavar="PATH")
    do_import.set_defaults(handler=import_articles, needs_settings=True)

    do_export = kb_commands.add_parser(
        "export", help="write every article as <DIR>/<category>/<id>.md"
    )
    do_export.add_argument("directory", metavar="DIR")
    do_export.set_defaults(handler=export_articles, needs_settings=True)

    do_search = kb_commands.add_parser(
        "search",
        help="search the knowledge base",
        description="Search the knowledge base. With no QUERY, read one query per line "
        "from standard input.",
    )
    do_search.add_argument("query", metavar="QUERY", nargs="*")
    do_search.add_argument("--json", action="store_true", help="one JSON object per query")
    do_search.add_argument(
        "--limit", type=whole_number(1, 100), help="most results per query (default: app.yaml)"
    )
    do_search.set_defaults(handler=search, needs_settings=True)

    check.add_parser(kb_commands)


def import_articles(args: argparse.Namespace, settings: Settings) -> int:
    from bot.entry.cli.progress import ProgressBar
    from bot.store import kb
    from knowledge.loader import load_articles

    articles = load_articles(args.path)
    engine = kb.open_database(settings)
    show = len(articles) > PROGRESS_ABOVE or sys.stderr.isatty()
    progress = ProgressBar("importing") if show else None
    result = kb.import_articles(engine, articles=articles, progress=progress)
    print(result)
    return 0


def export_articles(args: argparse.Namespace, settings: Settings) -> int:
    from bot.store import kb

    engine = kb.open_database(settings)
    kb.ensure_bundled(engine, settings)
    count = kb.export_articles(engine, directory=args.directory)
    print(f"exported {count} article{'s' if count != 1 else ''} to {args.directory}")
    return 0


def search(args: argparse.Namespace, settings: Settings) -> int:
    from bot.store import kb

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
