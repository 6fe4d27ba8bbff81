"""`deskmate kb check`: how well a knowledge base answers labelled caller questions.

Prints hit@1, hit@3, out-of-scope questions answered and the misses, then a calibration
table (threshold against hit@1 and out-of-scope answered) and the threshold it would
choose. With floors (`--min-hit1`, `--max-answered`) it fails a CI run that falls below.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from typing import TYPE_CHECKING

from bot.entry.cli.args import fraction
from knowledge import BUNDLED_QUERIES

if TYPE_CHECKING:
    from bot.config.settings import Settings
    from knowledge.article import Article
    from knowledge.evaluate import LabelledQuery


def add_parser(kb_commands: argparse._SubParsersAction) -> None:
    check = kb_commands.add_parser(
        "check", help="measure how well the knowledge base answers labelled questions"
    )
    check.add_argument(
        "queries",
        metavar="QUERIES.csv",
        nargs="?",
        default=str(BUNDLED_QUERIES),
        help="CSV with query,expected[,kind] columns (default: the bundled set)",
    )
    check.add_argument("--articles", metavar="PATH", help="check these articles, not the database")
    check.add_argument(
        "--without-keywords",
        action="store_true",
        help="remove every article's keywords first (how a KB with none would do)",
    )
    check.add_argument(
        "--learn-half",
        action="store_true",
        help="learn the odd-numbered questions as phrasings, measure the others before and after",
    )
    check.add_argument("--min-hit1", type=fraction, metavar="X", help="fail if hit@1 is below X")
    check.add_argument(
        "--max-answered",
        type=fraction,
        metavar="X",
        help="fail if more than X of the out-of-scope questions are answered",
    )
    check.add_argument("--quiet", action="store_true", help="leave out the list of misses")
    check.set_defaults(handler=run, needs_settings=True)


def run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.store import kb
    from knowledge.evaluate import (
        calibrate,
        evaluate,
        format_calibration,
        format_report,
        off_topic,
        rank_all,
        read_queries,
    )
    from knowledge.loader import load_articles

    items = read_queries(args.queries)
    if args.articles:
        articles = load_articles(args.articles)
    else:
        engine = kb.open_database(settings)
        kb.ensure_bundled(engine, settings)  # as the bot does on its first start
        articles = kb.load_from_db(engine)
    if args.without_keywords:
        articles = [dataclasses.replace(a, keywords=()) for a in articles]
    known = {article.id for article in articles}
    for item in items:
        for missing in sorted(item.expected - known):
            print(
                f"{args.queries}:{item.line}: expected article '{missing}' is not in the "
                "knowledge base",
                file=sys.stderr,
            )
    if args.learn_half:
        return _learn_half(articles, items, settings)
    index = kb.build_index(articles=articles, settings=settings)
    outcomes = rank_all(index, items)
    report = evaluate(index, items, outcomes=outcomes)
    print(format_report(report, show_misses=not args.quiet))
    print()
    # The off-topic questions stand in for the out-of-scope ones a centre's file seldom has.
    rows = calibrate(outcomes, off_topic=off_topic(index))
    print(
        format_calibration(
            rows,
            current=index.threshold,
            hits=report.answerable > 0,
            out_of_scope=report.out_of_scope > 0,
        )
    )
    failed = []
    if args.min_hit1 is not None and report.hit_at_1 < args.min_hit1:
        failed.append(f"hit@1 is {report.hit_at_1:.3f}, below the required {args.min_hit1:.3f}")
    if args.max_answered is not None and report.false_answer_rate > args.max_answered:
        failed.append(
            f"{report.false_answer_rate:.1%} of out-of-scope questions answered, above the "
            f"allowed {args.max_answered:.1%}"
        )
    for reason in failed:
        print(f"FAILED: {reason}", file=sys.stderr)
    return 1 if failed else 0


def _learn_half(articles: list[Article], items: list[LabelledQuery], settings: Settings) -> int:
    """What learned phrasings are worth: teach the search half the questions, as CSRs
    would by choosing the right article from Other matches, and measure the rest."""
    from bot.store import kb
    from knowledge.evaluate import evaluate, first_right, learn_half, rank_all

    index = kb.build_index(articles=articles, settings=settings)
    learned, held_out, taught = learn_half(index, items)
    figures = []
    for search in (index, kb.build_index(articles=learned, settings=settings)):
        outcomes = rank_all(search, held_out)
        figures.append((evaluate(search, held_out, outcomes=outcomes), first_right(outcomes)))
    (before, ranked_before), (after, ranked_after) = figures
    print(
        f"learned {taught} phrasings (the questions of one half it did not answer right); "
        f"measured on the other {len(held_out)} questions"
    )
    print("              before  after   gain")
    for name, old, new in [
        ("hit@1", before.hit_at_1, after.hit_at_1),
        ("hit@3", before.hit_at_3, after.hit_at_3),
        ("out-of-scope", before.false_answer_rate, after.false_answer_rate),
        ("first right", ranked_before, ranked_after),  # at any confidence
    ]:
        print(f"{name:12s}  {old:.3f}   {new:.3f}   {new - old:+.3f}")
    return 0
