"""Fit the search's two models on labelled sets and confirm them on a set they never saw.

    python bench/fit_search.py [--fit bundled harbourside cedar ... cascade]
                               [--confirm kestrel lakeshore hartwell prairie]
                               [--write]

Each set is a knowledge base with its labelled caller questions; every set is used three
times: as written, with every keyword removed (so the weights hold for knowledge bases
with many keywords, few or none), and with half its questions learned as phrasings (so the
weights know what a question asked before is worth). Two fits, in order:
1. the ranking weights (knowledge.evidence.RANK_FEATURES): the softmax over each
   question's candidates that makes the right article likeliest;
2. the answerability model (knowledge.confidence.Signals), by logistic regression: a
   question whose first hit is right is a positive; an out-of-scope question or a wrong
   first hit a negative, the out-of-scope questions weighing, together, as much as the rest.
   The signals that grow with the question's length whatever the article holds are first
   capped where the fit sets' out-of-scope questions stop (`signal_caps`).
Prints hit@1, hit@3 and out-of-scope answered for every set at the default threshold, and
how many of knowledge/eval/offtopic.csv's questions (never fitted on) each set answers;
`--write` writes knowledge/fitted.py. A benchmark-style script, not a test.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import textwrap
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import knowledge.confidence as confidence  # noqa: E402
from knowledge import LABELLED_SETS, OFF_TOPIC_QUERIES  # noqa: E402
from knowledge.evaluate import (  # noqa: E402
    calibrate,
    choose_threshold,
    evaluate,
    first_right,
    learn_half,
    rank_all,
    read_queries,
)
from knowledge.evidence import RANK_FEATURES  # noqa: E402
from knowledge.loader import load_articles  # noqa: E402
from knowledge.search import SearchIndex  # noqa: E402

FITTED = ROOT / "knowledge" / "fitted.py"
TARGET_DEPTH = 2  # a positive: the right article first or second (a close sibling is no miss)
MAX_FALSE = 0.10  # out-of-scope questions the chosen threshold may answer, on average
EVEN_ODDS = 0.5  # the lowest threshold chosen (default_threshold)
# Signals that grow with the question's length whatever the article holds; the model
# counts each only as far as the fit sets' own out-of-scope questions reach (percentile).
# The 90th, not the 95th: five sets' tails reach further than two sets' did (7 parts, not 6),
# and a twelve-part question about a garage held three parts of a five-article knowledge
# base's parking page and came out 62% sure. At the 90th the cap is back at 6, and leaving
# each set out of the fit in turn, its out-of-scope questions answered fell by half a point.
CAPPED = ("concepts", "asked")
# Fourteen knowledge bases in fourteen house styles: five read as well as measured, and nine
# whose questions nobody has read (knowledge.UNREAD_SETS), fitted on as labels alone. The
# sets written after them confirm the fit (every labelled set not named here).
FIT_SETS = (
    "bundled",
    "harbourside",
    "cedar",
    "afonvalley",
    "northfield",
    "tamar",
    "glenmorven",
    "brackenfield",
    "hollins",
    "brightwell",
    "riverton",
    "marlowvale",
    "penrose",
    "cascade",
)
CAP_PERCENTILE = 90


def indexes(name: str):
    """The set as written, with every keyword removed, and taught half its questions as
    phrasings (measured on the rest), as `deskmate kb check --learn-half` does."""
    articles_path, queries_path = LABELLED_SETS[name]
    articles = load_articles(articles_path)
    items = read_queries(queries_path)
    bare = [dataclasses.replace(a, keywords=()) for a in articles]
    index = SearchIndex(articles)
    taught, rest, _ = learn_half(index, items)
    return [
        (name, index, items),
        (f"{name}-nokw", SearchIndex(bare), items),
        (f"{name}-taught", SearchIndex(taught), rest),
    ]


def logistic(x, y, weight, l2: float, intercept: bool, signs: tuple[int, ...]):
    """Logistic regression whose weights keep the sign each feature's meaning demands
    (more evidence never lowers a score): a feature fitted against its sign is left out
    and the rest refitted. `signs` holds +1, -1, 0 (either) or None (left out) per column."""
    keep = np.array([sign is not None for sign in signs])
    while True:
        b, w = _logistic(x[:, keep], y, weight, l2, intercept)
        full = np.zeros(x.shape[1])
        full[keep] = w
        wrong = [i for i in np.flatnonzero(keep) if signs[i] * full[i] < 0]
        if not wrong:
            return b, full
        # Drop the most wrong first: the others may come right without it.
        keep[max(wrong, key=lambda i: abs(full[i]) * x[:, i].std())] = False


def _logistic(x: np.ndarray, y: np.ndarray, weight: np.ndarray, l2: float, intercept: bool):
    """Weighted, L2-penalised logistic regression by Newton's method, on standardised
    columns; the weights come back on the raw scale."""
    scale = x.std(0) + 1e-9
    mean = x.mean(0) if intercept else np.zeros(x.shape[1])
    z = (x - mean) / scale
    if intercept:
        z = np.hstack([np.ones((len(z), 1)), z])
    w = np.zeros(z.shape[1])
    penalty = np.eye(len(w)) * l2
    if intercept:
        penalty[0, 0] = 0.0
    for _ in range(100):
        p = 1 / (1 + np.exp(-np.clip(z @ w, -50, 50)))
        grad = z.T @ (weight * (p - y)) + penalty @ w
        hess = z.T @ (z * (weight * p * (1 - p))[:, None]) + penalty
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-9:
            break
    if not intercept:
        return 0.0, w / scale
    raw = w[1:] / scale
    return float(w[0] - (raw * mean).sum()), raw


def rank_lists(sets) -> list[tuple[np.ndarray, int]]:
    """Per answerable question whose right article is a candidate: the candidates'
    features and which row is right."""
    lists = []
    for _, index, items in sets:
        for item in items:
            if not item.expected:
                continue
            found = index._candidates(item.query, 5)
            if found is None:
                continue
            ranked = found[1]
            right = [n for n, r in enumerate(ranked) if r[1] in item.expected]
            if right and len(ranked) > 1:
                lists.append((np.array([r[3] for r in ranked]), right[0]))
    return lists


def listwise(lists, l2: float, signs: tuple[int, ...]) -> np.ndarray:
    """Ranking weights that make the right article likeliest among each question's
    candidates (softmax over the candidates, Newton's method), every weight kept >= 0
    by leaving out a feature fitted below 0 and refitting."""
    dims = lists[0][0].shape[1]
    keep = np.ones(dims, dtype=bool)
    while True:
        w = np.zeros(dims)
        for _ in range(100):
            grad = l2 * w.copy()
            hess = l2 * np.eye(dims)
            for x, right in lists:
                z = x @ w
                p = np.exp(z - z.max())
                p /= p.sum()
                mean = p @ x
                grad += mean - x[right]
                hess += (x * p[:, None]).T @ x - np.outer(mean, mean)
            grad[~keep] = 0.0
            hess[~keep, :] = 0.0
            hess[:, ~keep] = 0.0
            hess[~keep, ~keep] = 1.0
            step = np.linalg.solve(hess, grad)
            w -= step
            if np.abs(step).max() < 1e-9:
                break
        wrong = [i for i in np.flatnonzero(keep) if signs[i] * w[i] < 0]
        if not wrong:
            return w
        keep[min(wrong, key=lambda i: w[i])] = False


def default_threshold(sets) -> float:
    """The threshold (of `kb check`'s calibration table) with the best mean hit@1 over
    the sets whose mean share of out-of-scope questions answered stays within MAX_FALSE;
    the lowest such, but never below EVEN_ODDS. The model is fitted with out-of-scope
    questions weighing as much as the rest, so below even odds it answers what it thinks
    more likely wrong; a cut chosen lower only because the fit sets allow it carries over
    to a knowledge base it has not seen no better than chance would."""
    tables = [calibrate(rank_all(index, items)) for _, index, items in sets]
    best = (-1.0, EVEN_ODDS)
    for rows in zip(*tables, strict=True):
        if rows[0].threshold < EVEN_ODDS:
            continue
        if np.mean([row.false_answer_rate for row in rows]) <= MAX_FALSE:
            best = max(best, (float(np.mean([row.hit_at_1 for row in rows])), -rows[0].threshold))
    return -best[1] if best[0] >= 0 else EVEN_ODDS


def answer_rows(sets):
    """Signals and labels: a positive when the right article is first or second (a close
    sibling first is no wrong answer: the card offers the other as Other matches). The
    signals are the search's own, before any cap: neither they nor the order of the hits
    depend on the answerability model."""
    rows, y, oos = [], [], []
    for _, index, items in sets:
        for item in items:
            ranking = index.rank(item.query, limit=5)
            signals, got = ranking.signals, [hit.article.id for hit in ranking.hits]
            if signals is None:
                continue
            rows.append(signals)
            y.append(1.0 if item.expected and set(got[:TARGET_DEPTH]) & item.expected else 0.0)
            oos.append(not item.expected)
    oos = np.array(oos)
    weight = np.where(oos, (~oos).sum() / max(1, oos.sum()), 1.0)
    return rows, np.array(y), weight, oos


def signal_caps(rows, oos: np.ndarray) -> dict[str, float]:
    """How far each length-bound signal is counted: the CAP_PERCENTILE of the values the
    out-of-scope questions give it (beyond that the fit saw answerable questions only, and
    would read length alone as evidence)."""
    out = [signals for signals, out_of_scope in zip(rows, oos, strict=True) if out_of_scope]
    return {
        name: round(float(np.percentile([getattr(s, name) for s in out], CAP_PERCENTILE)), 4)
        for name in CAPPED
    }


def use(rank: np.ndarray, intercept: float, answer: np.ndarray, caps: dict[str, float]) -> None:
    """Put weights into the running search (as knowledge/fitted.py would)."""
    confidence._CAPS = confidence.cap_places(caps)
    confidence._RANK = tuple(float(w) for w in rank)
    confidence.ANSWER_INTERCEPT = intercept
    confidence._ANSWER = tuple(float(w) for w in answer)


def report(name: str, index: SearchIndex, items, tag: str, threshold: float, off_topic) -> None:
    """The figures `kb check` gives at this threshold, and the ranking's at none."""
    index.threshold = threshold
    outcomes = rank_all(index, items)
    strays = evaluate(index, off_topic).false_answer_rate
    figures = evaluate(index, items, outcomes=outcomes)
    # The best this set's own threshold could do (kb check's calibration table): how well
    # the confidence separates right answers from out-of-scope ones, whatever the cut.
    rows = calibrate(outcomes)
    best = choose_threshold(rows)
    own = next(row for row in rows if row.threshold == best)
    print(
        f"{tag:8s}{name:17s} hit@1 {figures.hit_at_1:.3f}  hit@3 {figures.hit_at_3:.3f}  "
        f"out-of-scope answered {figures.false_answer_rate:5.1%}  "
        f"(ranking {first_right(outcomes):.3f}; own best cut {best:.2f}: {own.hit_at_1:.3f}); "
        f"off-topic answered {strays:5.1%}"
    )


def write(rank, intercept: float, answer, caps, threshold: float, fit: list, confirm: list) -> None:
    lines = [
        '"""Weights fitted by `python bench/fit_search.py --write` (do not edit by hand).',
        "",
        *textwrap.wrap(
            f"Fitted on {', '.join(fit)}, each with and without its keywords; "
            f"confirmed on {', '.join(confirm) or 'nothing'}.",
            width=92,
        ),
        '"""',
        "",
        "RANK_WEIGHTS = {",
        *(f'    "{n}": {w:.4f},' for n, w in zip(RANK_FEATURES, rank, strict=True)),
        "}",
        "",
        f"ANSWER_INTERCEPT = {intercept:.4f}",
        "ANSWER_WEIGHTS = {",
        *(f'    "{n}": {w:.4f},' for n, w in zip(confidence.NAMES, answer, strict=True)),
        "}",
        "",
        "SIGNAL_CAPS = {",
        *(f'    "{n}": {v:.4f},' for n, v in caps.items()),
        "}",
        "",
        f"THRESHOLD = {threshold:.2f}",
    ]
    FITTED.write_text("\n".join(lines) + "\n")


def same_every_run() -> None:
    """Run again with string hashing fixed: sums over sets of words come out in hash order,
    and their last bits, carried through thousands of questions, moved the written weights
    in the fourth decimal from one run to the next."""
    if os.environ.get("PYTHONHASHSEED") != "0":
        os.execve(
            sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0"}
        )


def main() -> None:
    same_every_run()
    parser = argparse.ArgumentParser()
    # Fourteen knowledge bases in fourteen house styles to fit on: with two, the model
    # learned their styles; with five, it answered more than a tenth of the out-of-scope
    # questions of every set it never saw; fourteen answer the two written after them
    # better than ten did, with as few out-of-scope questions answered, and sixteen (with
    # those two) answered more of the next two's out-of-scope questions for no more right
    # (README, "Quality"). Every set it does not fit on confirms it.
    parser.add_argument("--fit", nargs="+", default=list(FIT_SETS))
    parser.add_argument(
        "--confirm",
        nargs="*",
        default=[name for name in LABELLED_SETS if name not in FIT_SETS],
    )
    parser.add_argument("--l2", type=float, default=1.0)
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--drop", nargs="*", default=[], help="signals to leave out")
    args = parser.parse_args()
    fit = [s for name in args.fit for s in indexes(name)]
    confirm = [s for name in args.confirm for s in indexes(name)]
    rank = listwise(rank_lists(fit), args.l2, signs=(1,) * len(RANK_FEATURES))
    # The answerability model and its threshold from the sets as written and without
    # keywords: what a council's own knowledge base is before anyone has taught it.
    plain = [s for s in fit if not s[0].endswith("-taught")]
    use(rank, 0.0, np.zeros(len(confidence.NAMES)), {})
    rows, y, w, oos = answer_rows(plain)
    caps = signal_caps(rows, oos)
    use(rank, 0.0, np.zeros(len(confidence.NAMES)), caps)
    x = np.array([confidence.inputs(signals) for signals in rows])
    signs = tuple(
        None if name in args.drop else sign
        for name, sign in zip(confidence.NAMES, confidence.SIGNS, strict=True)
    )
    intercept, answer = logistic(x, y, w, args.l2, intercept=True, signs=signs)
    use(rank, intercept, answer, caps)
    print("rank:", dict(zip(RANK_FEATURES, np.round(rank, 3), strict=True)))
    print(
        "answer:",
        round(intercept, 3),
        dict(zip(confidence.NAMES, np.round(answer, 3), strict=True)),
    )
    threshold = default_threshold(plain)
    print(f"caps: {caps}")
    print(f"threshold: {threshold:.2f}")
    # Never fitted on: a check that the model does not answer a question for being long.
    off_topic = read_queries(OFF_TOPIC_QUERIES)
    for tag, sets in (("fit", fit), ("confirm", confirm)):
        for name, index, items in sets:
            report(name, index, items, tag, threshold, off_topic)
    if args.write:
        write(rank, intercept, answer, caps, threshold, args.fit, args.confirm)


if __name__ == "__main__":
    main()
