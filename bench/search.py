"""Search benchmark: our `SearchIndex` against a plain rapidfuzz WRatio and bm25s.

    python bench/search.py [--sizes 100 1000 10000] [--queries N] [--budget S] [--json]

For each engine and each knowledge-base size it reports the index build time, the p50 and
p99 latency of one search over the labelled caller queries in `knowledge/eval/queries.csv`
(cycled to `--queries` timed searches after one untimed warm-up pass), and the peak RSS of
a process that did nothing but load the articles, build that one index and search it
(`VmHWM` on Linux, `ru_maxrss` elsewhere). Each
engine x size runs in a fresh child process (this script re-run with a hidden `--child`
flag, printing JSON), pinned to one CPU where the OS allows, with numeric libraries held to
one thread, so one engine's memory never counts against another's.

Accuracy (hit@1, hit@3, out-of-scope questions answered) is measured once per engine on the
real bundled knowledge base, unpadded.

Sizes: below the bundled count, the first N bundled articles (in loader order); above it,
the bundled articles plus generated filler (`filler-00001`, ...) that recombines their
titles, keywords and script lines (Say / facts / Next step) with a seeded `random.Random`,
in the real five categories, so lengths and wording are realistic. Recombining alone would
keep the vocabulary at the bundled size; a real knowledge base's vocabulary keeps growing
with it (Heaps' law), and typo correction scans the vocabulary, so each filler article also
carries `--fresh-words` (default 2) less common English words from wordfreq, in its title
and keywords. `--fresh-words 0` gives pure recombination.

This is a benchmark, not a test: it measures and asserts nothing. The targets line at the
end compares our engine at 10,000 articles with the goals in issue 2.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

# Sibling modules: run as a script (as the children are), this file's folder is on sys.path.
from engines import ENGINES, LIMIT, PREPARE, Search
from padding import BUNDLED, SEED, padded, read_data, write_data

DEFAULT_SIZES = (100, 1_000, 10_000)
DEFAULT_QUERIES = 3_000
DEFAULT_BUDGET = 10.0  # seconds of timed searching per engine x size, after one full pass

TARGET_SIZE = 10_000
TARGET_P99_MS = 2.0
TARGET_BUILD_S = 3.0
TARGET_RSS_MB = 150.0

# Everything a child needs is in its data file, so it imports only the engine it measures.
THREAD_ENV = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "NUMEXPR_NUM_THREADS": "1",
    "PYTHONHASHSEED": "0",
}


# -- the machine --------------------------------------------------------------------------


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


# -- one measurement (the child) ----------------------------------------------------------


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def accuracy(search: Search, queries: list[tuple[str, frozenset[str]]]) -> dict[str, object]:
    answerable = hit1 = hit3 = out_of_scope = false_answers = 0
    for query, expected in queries:
        got = search(query)
        if not expected:
            out_of_scope += 1
            false_answers += bool(got)
            continue
        answerable += 1
        hit1 += bool(got) and got[0] in expected
        hit3 += any(article_id in expected for article_id in got[:3])
    return {
        "answerable": answerable,
        "hit_at_1": hit1 / answerable if answerable else 0.0,
        "hit_at_3": hit3 / answerable if answerable else 0.0,
        "out_of_scope": out_of_scope,
        "false_answers": false_answers,
    }


def child(engine: str, size: int, data: Path, total: int, budget: float) -> dict[str, object]:
    cpu = pin_to_one_core()
    build = PREPARE[engine]()
    articles, queries = read_data(data)
    gc.collect()
    base_mb = peak_rss_mb()

    started = time.perf_counter()
    search = build(articles)
    build_s = time.perf_counter() - started
    built_mb = peak_rss_mb()

    result: dict[str, object] = {
        "engine": engine,
        "size": len(articles),
        "padded": size != BUNDLED,
        "cpu": cpu,
        "build_s": build_s,
        "base_rss_mb": base_mb,
        "built_rss_mb": built_mb,
    }
    texts = [query for query, _ in queries]
    if size == BUNDLED:
        result.update(accuracy(search, queries))
    else:
        for query in texts:  # warm-up: caches, branch predictors, lazy imports
            search(query)
        gc.collect()
        timings: list[float] = []
        clock = time.perf_counter_ns
        deadline = time.perf_counter() + budget
        for number, query in enumerate(_cycle(texts)):
            if number >= total or (number >= len(texts) and time.perf_counter() > deadline):
                break
            before = clock()
            search(query)
            timings.append((clock() - before) / 1e6)
        timings.sort()
        result.update(
            {
                "searches": len(timings),
                "p50_ms": percentile(timings, 50),
                "p99_ms": percentile(timings, 99),
                "mean_ms": sum(timings) / len(timings),
                "max_ms": timings[-1],
            }
        )
    result["peak_rss_mb"] = peak_rss_mb()
    return result


def _cycle(items: list[str]) -> Iterator[str]:
    while True:
        yield from items


# -- the run (the parent) -----------------------------------------------------------------


def run_child(engine: str, size: int, data: Path, args: argparse.Namespace) -> dict[str, object]:
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        engine,
        str(size),
        "--data",
        str(data),
        "--queries",
        str(args.queries),
        "--budget",
        str(args.budget),
    ]
    done = subprocess.run(
        command, capture_output=True, text=True, env={**os.environ, **THREAD_ENV}, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{engine} at {size} articles failed:\n{done.stderr.strip()}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(args: argparse.Namespace) -> dict[str, object]:
    from knowledge import BUNDLED_ARTICLES, BUNDLED_QUERIES
    from knowledge.evaluate import read_queries
    from knowledge.loader import load_articles

    bundled = load_articles(BUNDLED_ARTICLES)
    queries = read_queries(BUNDLED_QUERIES)
    runs: list[dict[str, object]] = []
    accuracy_runs: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="deskmate-bench-") as tmp:
        data_files = {}
        for size in (BUNDLED, *args.sizes):
            data_files[size] = Path(tmp) / f"kb-{size}.jsonl"
            write_data(data_files[size], padded(bundled, size, args.fresh_words), queries)
        for engine in args.engines:
            accuracy_runs.append(run_child(engine, BUNDLED, data_files[BUNDLED], args))
            for size in args.sizes:
                runs.append(run_child(engine, size, data_files[size], args))
                if not args.json:
                    last = runs[-1]
                    print(
                        f"  measured {engine:<8} {last['size']:>6,} articles"
                        f" ({last['searches']:,} searches)",
                        file=sys.stderr,
                    )
    answerable = sum(1 for q in queries if q.expected)
    return {
        "machine": machine(),
        "settings": {
            "sizes": list(args.sizes),
            "queries_file": str(BUNDLED_QUERIES),
            "labelled_queries": len(queries),
            "answerable": answerable,
            "out_of_scope": len(queries) - answerable,
            "timed_searches": args.queries,
            "budget_s": args.budget,
            "fresh_words": args.fresh_words,
            "seed": SEED,
            "bundled_articles": len(bundled),
        },
        "runs": runs,
        "accuracy": accuracy_runs,
        "targets": targets(runs),
    }


def targets(runs: list[dict[str, object]]) -> dict[str, object]:
    ours = [r for r in runs if r["engine"] == "deskmate"]
    if not ours:
        return {}
    at = next((r for r in ours if r["size"] == TARGET_SIZE), max(ours, key=lambda r: r["size"]))
    rss = max(r["peak_rss_mb"] for r in ours)
    return {
        "size": at["size"],
        "p99_ms": at["p99_ms"],
        "p99_pass": at["p99_ms"] <= TARGET_P99_MS,
        "build_s": at["build_s"],
        "build_pass": at["build_s"] <= TARGET_BUILD_S,
        "peak_rss_mb": rss,
        "rss_pass": rss <= TARGET_RSS_MB,
    }


def report(results: dict[str, object]) -> str:
    m, s = results["machine"], results["settings"]
    cpus = {r["cpu"] for r in results["runs"]}
    pinned = f"pinned to CPU {cpus.pop()}" if len(cpus) == 1 and None not in cpus else "not pinned"
    lines = [
        "Deskmate search benchmark",
        f"machine  {m['cpu']}, {m['cores']} cores; each run {pinned}, one thread",
        f"python   {m['implementation']} {m['python']} on {m['platform']}",
        f"queries  {s['labelled_queries']} labelled caller queries"
        f" ({s['answerable']} answerable, {s['out_of_scope']} out of scope),"
        f" one warm-up pass, then up to {s['timed_searches']:,} timed searches"
        f" (at most {s['budget_s']:g} s a run); limit {LIMIT}",
        f"articles {s['bundled_articles']} bundled; padding: seeded filler"
        f" (seed {s['seed']}, {s['fresh_words']} fresh words an article)",
        "",
        f"{'engine':<9} {'articles':>8} {'build s':>8} {'p50 ms':>8} {'p99 ms':>8}"
        f" {'mean ms':>8} {'max ms':>8} {'searches':>8} {'RSS MB':>7} {'(base)':>7}",
    ]
    engine = None
    for r in results["runs"]:
        if engine is not None and r["engine"] != engine:
            lines.append("")
        engine = r["engine"]
        lines.append(
            f"{r['engine']:<9} {r['size']:>8,} {r['build_s']:>8.3f} {r['p50_ms']:>8.3f}"
            f" {r['p99_ms']:>8.3f} {r['mean_ms']:>8.3f} {r['max_ms']:>8.2f} {r['searches']:>8,}"
            f" {r['peak_rss_mb']:>7.1f} {r['base_rss_mb']:>7.1f}"
        )
    lines.append("RSS MB: peak of the process that built and searched the index;")
    lines.append("(base): the same process after imports and loading, before the build.")
    if results["accuracy"]:
        first = results["accuracy"][0]
        lines += [
            "",
            f"accuracy on the bundled knowledge base, unpadded ({first['size']} articles,"
            f" {first['answerable']} answerable, {first['out_of_scope']} out of scope)",
            f"{'engine':<9} {'hit@1':>6} {'hit@3':>6}  out-of-scope answered (should be 0)",
        ]
        for a in results["accuracy"]:
            lines.append(
                f"{a['engine']:<9} {a['hit_at_1']:>6.3f} {a['hit_at_3']:>6.3f}"
                f"  {a['false_answers']}/{a['out_of_scope']}"
            )
    t = results["targets"]
    if t:

        def verdict(ok: bool) -> str:
            return "PASS" if ok else "MISS"

        where = f"{t['size']:,} articles" + ("" if t["size"] == TARGET_SIZE else " (largest run)")
        lines += [
            "",
            f"targets (deskmate at {where}, one core): "
            f"p99 {t['p99_ms']:.2f} ms <= {TARGET_P99_MS:g} ms {verdict(t['p99_pass'])}; "
            f"build {t['build_s']:.2f} s <= {TARGET_BUILD_S:g} s {verdict(t['build_pass'])}; "
            f"peak RSS {t['peak_rss_mb']:.0f} MB <= {TARGET_RSS_MB:g} MB"
            f" {verdict(t['rss_pass'])}",
        ]
    return "\n".join(lines)


# -- command line -------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    parser.add_argument(
        "--queries", type=int, default=DEFAULT_QUERIES, help="timed searches a run (cycled)"
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=DEFAULT_BUDGET,
        help="stop timing a run after this many seconds (at least one pass is always timed)",
    )
    parser.add_argument("--engines", nargs="+", choices=ENGINES, default=list(ENGINES))
    parser.add_argument("--fresh-words", type=int, default=2, help="new words a filler article")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--child", nargs=2, metavar=("ENGINE", "SIZE"), help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        engine, size = args.child
        if engine not in PREPARE or args.data is None:
            parser.error("--child needs a known ENGINE and --data")
        print(json.dumps(child(engine, int(size), args.data, args.queries, args.budget)))
        return 0
    if any(size <= 0 for size in args.sizes) or args.queries <= 0:
        parser.error("sizes and --queries must be positive")

    results = measure(args)
    print(json.dumps(results, indent=2) if args.json else report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
