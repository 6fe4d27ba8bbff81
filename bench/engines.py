"""The search engines the benchmark compares: our `SearchIndex`, bm25s, and a plain
rapidfuzz WRatio over the titles.

Each is two steps: `prepare()` imports (not timed), the builder it returns makes the index
from the articles (timed) and returns a search: query -> (up to LIMIT article ids, best
first, whatever the confidence; whether the engine answers). Only our engine can abstain:
bm25s and WRatio "answer" whenever anything scores above zero.
Nothing heavy is imported at module level, so a child process loads only the engine it
measures. Below the engines: the machine and the code they run on, and what one child
measures (`speed`, `accuracy`).
"""

from __future__ import annotations

import gc
import hashlib
import math
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from padding import read_data, read_labelled

# Ours first and bm25s beside it: the comparison the benchmark is for; WRatio is the floor.
ENGINES = ("deskmate", "bm25s", "wratio")
LIMIT = 5
ROOT = Path(__file__).resolve().parent.parent
WARMUP_S = 5.0  # a full pass of WRatio over 50,000 titles takes 40 s and warms nothing

Search = Callable[[str], tuple[list[str], bool]]


def prepare_deskmate() -> Callable[[list], Search]:
    from knowledge.search import SearchIndex

    def build(articles: list) -> Search:
        index = SearchIndex(articles)

        def search(query: str) -> tuple[list[str], bool]:
            # `rank` is what `SearchIndex.search` does before it drops an unconfident
            # answer; the confidence test is the one `deskmate kb check` applies
            # (knowledge.evaluate), so accuracy here matches it and ranked hit@1 is free.
            ranking = index.rank(query, limit=LIMIT)
            ids = [hit.article.id for hit in ranking.hits]
            return ids, bool(ids) and ranking.confidence >= index.threshold

        return search

    return build


def prepare_wratio() -> Callable[[list], Search]:
    from rapidfuzz import fuzz, process, utils

    def build(articles: list) -> Search:
        # Titles are lower-cased and stripped of punctuation once, the query on each search.
        titles = [utils.default_process(a.title) for a in articles]
        ids = [a.id for a in articles]

        def search(query: str) -> tuple[list[str], bool]:
            found = process.extract(
                utils.default_process(query), titles, scorer=fuzz.WRatio, limit=LIMIT
            )
            got = [ids[number] for _, score, number in found if score > 0]
            return got, bool(got)

        return search

    return build


def prepare_bm25s() -> Callable[[list], Search]:
    import bm25s

    def build(articles: list) -> Search:
        corpus = [f"{a.title} {' '.join(a.keywords)} {a.body}" for a in articles]
        tokens = bm25s.tokenize(corpus, stopwords="en", show_progress=False)
        retriever = bm25s.BM25()
        retriever.index(tokens, show_progress=False)
        ids = [a.id for a in articles]
        k = min(LIMIT, len(ids))

        def search(query: str) -> tuple[list[str], bool]:
            query_tokens = bm25s.tokenize(
                query, stopwords="en", return_ids=False, show_progress=False
            )
            docs, scores = retriever.retrieve(query_tokens, k=k, show_progress=False)
            got = [ids[d] for d, s in zip(docs[0], scores[0], strict=True) if s > 0]
            return got, bool(got)

        return search

    return build


PREPARE = {"deskmate": prepare_deskmate, "bm25s": prepare_bm25s, "wratio": prepare_wratio}


# -- the machine and the code -------------------------------------------------------------


def machine() -> dict[str, object]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": f"{platform.system()} {platform.release()} {platform.machine()}",
    }


def code_version() -> dict[str, object]:
    """The commit, the uncommitted files under knowledge/, and a digest of knowledge/*.py as
    it is on disk: the search may be edited while a run is under way, and each child
    imports whatever is there when it starts."""

    def git(*command: str) -> str:
        done = subprocess.run(["git", *command], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    digest = hashlib.sha256()
    for path in sorted((ROOT / "knowledge").glob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    status = git("status", "--porcelain", "--", "knowledge")
    return {
        "commit": git("rev-parse", "--short", "HEAD") or "unknown",
        "uncommitted": [line[3:] for line in status.splitlines()],
        "digest": digest.hexdigest()[:12],
    }


# -- one measurement (the children) -------------------------------------------------------


def pin_to_one_core() -> int | None:
    """Run on one CPU (the lowest this process may use); None where the OS has no affinity."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    try:
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return cpu
    except OSError:
        return None


def peak_rss_mb() -> float:
    """This process's peak resident memory.

    On Linux `ru_maxrss` is not enough: a child keeps the high-water mark of the parent it
    was forked from across `exec` (the kernel folds the old address space's peak into it),
    so every child would report at least the parent's size. `VmHWM` belongs to the address
    space itself, which `exec` replaces, so it is read first.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports kilobytes, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def speed(
    engine: str, data: Path, run: int, runs: int, queries: int, budget: float
) -> dict[str, object]:
    """Build the engine over a data file's articles and time its share of the searches
    (run `run` of `runs`: its share of `queries` and of `budget`, from its own place in
    the queries, so the runs together time every query at least once)."""
    cpu = pin_to_one_core()
    build = PREPARE[engine]()
    articles, labelled = read_data(data)
    gc.collect()
    base_mb = peak_rss_mb()

    started = time.perf_counter()
    search = build(articles)
    build_s = time.perf_counter() - started
    built_mb = peak_rss_mb()

    texts = [query for query, _ in labelled]
    warm_until = time.perf_counter() + WARMUP_S
    for query in texts:  # caches, branch predictors, lazy imports
        search(query)
        if time.perf_counter() > warm_until:
            break
    gc.collect()
    share = math.ceil(len(texts) / runs)  # this run's slice of one full pass
    quota = math.ceil(queries / runs)
    timings: list[float] = []
    clock = time.perf_counter_ns
    deadline = time.perf_counter() + budget / runs
    for number, query in enumerate(_cycle(texts, run * share)):
        if number >= quota or (number >= share and time.perf_counter() > deadline):
            break
        before = clock()
        search(query)
        timings.append((clock() - before) / 1e6)
    return {
        "engine": engine,
        "size": len(articles),
        "run": run,
        "cpu": cpu,
        "build_s": build_s,
        "base_rss_mb": base_mb,
        "built_rss_mb": built_mb,
        "peak_rss_mb": peak_rss_mb(),
        "timings_ms": [round(t, 6) for t in timings],
    }


def _cycle(items: list[str], start: int) -> Iterator[str]:
    start %= len(items)
    yield from items[start:]
    while True:
        yield from items


def accuracy(engine: str, name: str) -> dict[str, object]:
    """hit@1 and hit@3 of the answers given, ranked hit@1, out-of-scope answered."""
    articles, queries = read_labelled(name)
    search = PREPARE[engine]()(articles)
    answerable = hit1 = hit3 = ranked1 = out_of_scope = false_answers = 0
    for query, expected in queries:
        got, answered = search(query)
        if not expected:
            out_of_scope += 1
            false_answers += answered
            continue
        answerable += 1
        ranked1 += bool(got) and got[0] in expected
        if answered:
            hit1 += got[0] in expected
            hit3 += any(article_id in expected for article_id in got[:3])

    def rate(count: int) -> float:
        return count / answerable if answerable else 0.0

    return {
        "engine": engine,
        "set": name,
        "articles": len(articles),
        "answerable": answerable,
        "hit_at_1": rate(hit1),
        "hit_at_3": rate(hit3),
        "ranked_hit_at_1": rate(ranked1),
        "out_of_scope": out_of_scope,
        "false_answers": false_answers,
    }
