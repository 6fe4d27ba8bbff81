"""Search benchmark: our `SearchIndex` beside bm25s and a plain rapidfuzz WRatio baseline.

    python bench/search.py [--sizes 100 1000 10000 50000] [--runs N] [--queries N]
                           [--budget S] [--sets bundled harbourside cedar] [--json]

Speed. For each engine and knowledge-base size it reports the index build time, the p50 and
p99 latency of one search over the labelled caller queries in `knowledge/eval/queries.csv`,
and the peak RSS of a process that did nothing but load the articles, build that one index
and search it (`VmHWM` on Linux, `ru_maxrss` elsewhere). Each engine x size is measured in
`--runs` (default 3) fresh child processes (this script re-run with a hidden `--child` flag,
printing JSON), pinned to one CPU where the OS allows, with numeric libraries held to one
thread, so one engine's memory never counts against another's. Runs are interleaved (every
engine at every size, then again), so a machine busy for a while slows all engines alike and
bm25s is measured beside ours under the same conditions. Build time is shown as min, median
and max over the runs; RSS is the highest peak of them. Each run warms up with one pass over
the queries (cut short after 5 s, which only the WRatio scan over big bases needs) and then
times its share of `--queries` timed searches and of the `--budget` seconds, starting at its
own place in the queries, so together the runs time every query at least once; p50 and p99
are over all the runs' searches pooled.

Accuracy is measured on every labelled set in `knowledge/eval` (knowledge/__init__.py
EVAL_SETS, plus the bundled one), unpadded, loaded as `deskmate kb check` loads them: hit@1
and hit@3 count an answer only when the engine gives one (ours abstains below its confidence
threshold, as `kb check` does; bm25s and WRatio cannot abstain), ranked hit@1 takes the
first hit whatever the confidence (how well each engine ranks), and out-of-scope answered
counts the questions no article covers that got an answer anyway.

Sizes: below the bundled count, the first N bundled articles (in loader order); above it,
the bundled articles plus generated filler (`filler-00001`, ...) that recombines their
titles, keywords and script lines (Say / facts / Next step) with a seeded `random.Random`,
in the real five categories, so lengths and wording are realistic. Recombining alone would
keep the vocabulary at the bundled size; a real knowledge base's vocabulary keeps growing
with it (Heaps' law), and typo correction scans the vocabulary, so each filler article also
carries `--fresh-words` (default 2) less common English words from wordfreq, in its title
and keywords (bench/padding.py says how the vocabulary grows). `--fresh-words 0` gives pure
recombination. The full default run takes about 3 minutes on a 2-core Xeon.

This is a benchmark, not a test: it measures and asserts nothing. The targets lines at the
end compare our engine with the goals in the search-speed issue and say which are met.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Sibling modules: run as a script (as the children are), this file's folder is on sys.path.
from engines import ENGINES, LIMIT, WARMUP_S, accuracy, code_version, machine, speed
from padding import SEED, labelled_sets, padded, write_data

DEFAULT_SIZES = (100, 1_000, 10_000, 50_000)
DEFAULT_RUNS = 3
DEFAULT_QUERIES = 3_000  # timed searches per engine x size, over all its runs
DEFAULT_BUDGET = 10.0  # seconds of timed searching per engine x size, over all its runs

# The goals for our engine on one core: build is the median over the runs, RSS the highest
# peak, so one slow or bloated run neither passes nor fails a target on its own.
TARGETS: dict[int, dict[str, float]] = {
    10_000: {"p50_ms": 0.4, "p99_ms": 1.0, "build_s": 1.5, "rss_mb": 120.0},
    50_000: {"p99_ms": 2.0, "build_s": 6.0, "rss_mb": 300.0},
}
FIGURES = {  # target name -> (summary field, label, unit)
    "p50_ms": ("p50_ms", "p50", "ms"),
    "p99_ms": ("p99_ms", "p99", "ms"),
    "build_s": ("build_s_median", "build", "s"),
    "rss_mb": ("peak_rss_mb", "peak RSS", "MB"),
}

# Everything a child needs is in its data file, so it imports only the engine it measures.
THREAD_ENV = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "NUMEXPR_NUM_THREADS": "1",
    "PYTHONHASHSEED": "0",
}

# -- the run (the parent) -----------------------------------------------------------------


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def run_child(engine: str, what: str, args: argparse.Namespace, *extra: str) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", engine, what, *extra]
    command += ["--runs", str(args.runs), "--queries", str(args.queries)]
    command += ["--budget", str(args.budget)]
    done = subprocess.run(
        command, capture_output=True, text=True, env={**os.environ, **THREAD_ENV}, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{engine} on {what} failed:\n{done.stderr.strip()}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def summarise(runs: list[dict]) -> dict[str, object]:
    timings = sorted(t for r in runs for t in r["timings_ms"])
    builds = sorted(r["build_s"] for r in runs)
    return {
        "engine": runs[0]["engine"],
        "size": runs[0]["size"],
        "runs": len(runs),
        "cpus": sorted({r["cpu"] for r in runs}, key=str),
        "build_s_min": builds[0],
        "build_s_median": statistics.median(builds),
        "build_s_max": builds[-1],
        "build_s_runs": [r["build_s"] for r in runs],
        "searches": len(timings),
        "p50_ms": percentile(timings, 50),
        "p99_ms": percentile(timings, 99),
        "p99_ms_runs": [percentile(sorted(r["timings_ms"]), 99) for r in runs],
        "mean_ms": sum(timings) / len(timings),
        "max_ms": timings[-1],
        "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
        "base_rss_mb": max(r["base_rss_mb"] for r in runs),
    }


def measure(args: argparse.Namespace) -> dict[str, object]:
    from knowledge import BUNDLED_ARTICLES, BUNDLED_QUERIES
    from knowledge.evaluate import read_queries
    from knowledge.loader import load_articles

    before = code_version()
    started = time.perf_counter()
    bundled = load_articles(BUNDLED_ARTICLES)
    queries = read_queries(BUNDLED_QUERIES)
    sizes = sorted(set(args.sizes))
    measured: dict[tuple[str, int], list[dict]] = {}
    with tempfile.TemporaryDirectory(prefix="deskmate-bench-") as tmp:
        data_files = {size: Path(tmp) / f"kb-{size}.jsonl" for size in sizes}
        for size in sizes:
            write_data(data_files[size], padded(bundled, size, args.fresh_words), queries)
        for run in range(args.runs):
            for size in sizes:
                for engine in args.engines:
                    extra = ("--data", str(data_files[size]), "--run", str(run))
                    result = run_child(engine, str(size), args, *extra)
                    measured.setdefault((engine, size), []).append(result)
                    _progress(
                        args,
                        f"run {run + 1}/{args.runs} {engine:<8} {result['size']:>6,} articles:"
                        f" build {result['build_s']:.2f} s,"
                        f" {len(result['timings_ms']):,} searches",
                    )
    accuracy_rows = []
    for name in args.sets:
        for engine in args.engines:
            accuracy_rows.append(run_child(engine, name, args))
            _progress(args, f"accuracy {engine:<8} on {name}")
    answerable = sum(1 for q in queries if q.expected)
    rows = [summarise(measured[(e, s)]) for s in sizes for e in args.engines]
    return {
        "machine": machine(),
        "code": {"before": before, "after": code_version()},
        "settings": {
            "sizes": sizes,
            "runs": args.runs,
            "queries_file": str(BUNDLED_QUERIES),
            "labelled_queries": len(queries),
            "answerable": answerable,
            "out_of_scope": len(queries) - answerable,
            "timed_searches": args.queries,
            "budget_s": args.budget,
            "fresh_words": args.fresh_words,
            "seed": SEED,
            "bundled_articles": len(bundled),
            "wall_s": round(time.perf_counter() - started, 1),
        },
        "rows": rows,
        "accuracy": accuracy_rows,
        "targets": targets(rows),
    }


def _progress(args: argparse.Namespace, text: str) -> None:
    if not args.json:
        print(f"  {text}", file=sys.stderr, flush=True)


def targets(rows: list[dict]) -> list[dict[str, object]]:
    """Per target size: ours against each goal, and bm25s's figures from the same runs."""
    found = {(r["engine"], r["size"]): r for r in rows}
    out = []
    for size, goals in TARGETS.items():
        ours, theirs = found.get(("deskmate", size)), found.get(("bm25s", size))
        checks = []
        for name, goal in goals.items():
            field, label, unit = FIGURES[name]
            value = ours[field] if ours else None
            checks.append(
                {
                    "target": name,
                    "label": label,
                    "unit": unit,
                    "goal": goal,
                    "value": value,
                    "met": None if value is None else value <= goal,
                    "bm25s": theirs[field] if theirs else None,
                }
            )
        out.append({"size": size, "checks": checks})
    return out


def report(results: dict[str, object]) -> str:
    m, s, code = results["machine"], results["settings"], results["code"]
    cpus = {cpu for r in results["rows"] for cpu in r["cpus"]}
    pinned = f"pinned to CPU {cpus.pop()}" if len(cpus) == 1 and None not in cpus else "not pinned"
    lines = [
        "Deskmate search benchmark",
        f"machine  {m['cpu']}, {m['cores']} cores; each run {pinned}, one thread",
        f"python   {m['implementation']} {m['python']} on {m['platform']}",
        f"code     {_code(code['before'])}",
        f"queries  {s['labelled_queries']} labelled caller queries"
        f" ({s['answerable']} answerable, {s['out_of_scope']} out of scope), limit {LIMIT}",
        f"runs     {s['runs']} an engine x size, interleaved, each a fresh process: one warm-up"
        f" pass (at most {WARMUP_S:g} s), then its share of {s['timed_searches']:,} timed"
        f" searches and of {s['budget_s']:g} s (all runs together time every query)",
        f"articles {s['bundled_articles']} bundled; padding: seeded filler"
        f" (seed {s['seed']}, {s['fresh_words']} fresh words an article)",
        "",
        f"{'':<18}{'build s over the runs':^24}{'latency ms, runs pooled':^36}".rstrip(),
        f"{'articles':>8} {'engine':<9} {'min':>7} {'median':>7} {'max':>7}   {'p50':>7}"
        f" {'p99':>7} {'mean':>7} {'max':>7} {'searches':>9} {'RSS MB':>7} {'(base)':>7}",
    ]
    size = None
    for r in results["rows"]:
        if size is not None and r["size"] != size:
            lines.append("")
        shown = f"{r['size']:>8,}" if r["size"] != size else " " * 8
        size = r["size"]
        lines.append(
            f"{shown} {r['engine']:<9} {r['build_s_min']:>7.3f} {r['build_s_median']:>7.3f}"
            f" {r['build_s_max']:>7.3f}   {r['p50_ms']:>7.3f} {r['p99_ms']:>7.3f}"
            f" {r['mean_ms']:>7.3f} {r['max_ms']:>7.2f} {r['searches']:>9,}"
            f" {r['peak_rss_mb']:>7.1f} {r['base_rss_mb']:>7.1f}"
        )
    lines.append(
        "RSS MB: the highest peak of the runs' processes, each of which built and searched"
    )
    lines.append(
        "one index; (base): the highest of them after imports and loading, before the build."
    )
    if results["accuracy"]:
        lines += [
            "",
            "accuracy on the labelled sets, unpadded: hit@1 and hit@3 count answers given"
            " (deskmate",
            "abstains below its threshold, as `deskmate kb check` does); ranked: hit@1 of the"
            " first hit whatever the confidence",
            f"{'set':<12} {'articles':>8} {'engine':<9} {'hit@1':>6} {'hit@3':>6} {'ranked':>7}"
            "  out-of-scope answered",
        ]
        name = None
        for a in results["accuracy"]:
            if name is not None and a["set"] != name:
                lines.append("")
            shown = f"{a['set']:<12} {a['articles']:>8}" if a["set"] != name else " " * 21
            name = a["set"]
            answered = f"{a['false_answers']}/{a['out_of_scope']}"
            if a["engine"] != "deskmate":
                answered += " (cannot abstain)"
            lines.append(
                f"{shown} {a['engine']:<9} {a['hit_at_1']:>6.3f} {a['hit_at_3']:>6.3f}"
                f" {a['ranked_hit_at_1']:>7.3f}  {answered}"
            )
    lines += ["", *_targets(results["targets"], s["runs"])]
    if code["after"]["digest"] != code["before"]["digest"]:
        lines.append(
            f"knowledge/*.py changed during the run (now {_code(code['after'])}):"
            " the figures may mix versions of the search"
        )
    return "\n".join(lines)


def _code(code: dict[str, object]) -> str:
    dirty = ", ".join(code["uncommitted"]) or "none"
    return (
        f"git {code['commit']}; uncommitted changes under knowledge/: {dirty}"
        f" (knowledge/*.py digest {code['digest']})"
    )


def _targets(checks: list[dict], runs: int) -> list[str]:
    lines = [f"targets (deskmate, one core; build: median of {runs} runs; RSS: highest peak)"]
    met = total = 0
    for target in checks:
        if target["checks"][0]["value"] is None:
            lines.append(f"  {target['size']:>6,} articles: not measured (add it to --sizes)")
            continue
        parts, beside = [], []
        for c in target["checks"]:
            total += 1
            met += c["met"]
            figure = f"{c['value']:.2f}" if c["unit"] != "MB" else f"{c['value']:.0f}"
            parts.append(
                f"{c['label']} {figure} {c['unit']} <= {c['goal']:g} {c['unit']}"
                f" {'met' if c['met'] else 'MISSED'}"
            )
            if c["bm25s"] is not None:
                value = f"{c['bm25s']:.2f}" if c["unit"] != "MB" else f"{c['bm25s']:.0f}"
                beside.append(f"{c['label']} {value} {c['unit']}")
        lines.append(f"  {target['size']:>6,} articles: " + "; ".join(parts))
        if beside:
            lines.append(f"  {'':>6}   bm25s, same runs: " + "; ".join(beside))
    lines.append(f"  met {met} of {total} measured targets")
    return lines


# -- command line -------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    parser.add_argument(
        "--runs", type=int, default=DEFAULT_RUNS, help="fresh processes an engine x size"
    )
    parser.add_argument(
        "--queries",
        type=int,
        default=DEFAULT_QUERIES,
        help="timed searches an engine x size, over all its runs (cycled)",
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=DEFAULT_BUDGET,
        help="seconds of timed searching an engine x size, over all its runs (at least one"
        " pass over the queries is always timed)",
    )
    parser.add_argument("--engines", nargs="+", choices=ENGINES, default=list(ENGINES))
    sets = list(labelled_sets())
    parser.add_argument(
        "--sets", nargs="*", choices=sets, default=sets, help="labelled sets for accuracy"
    )
    parser.add_argument("--fresh-words", type=int, default=2, help="new words a filler article")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--child", nargs=2, metavar=("ENGINE", "WHAT"), help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--run", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        # WHAT is a size (time one run over --data) or a labelled set (measure accuracy).
        engine, what = args.child
        if engine not in ENGINES or not (what in sets or (what.isdigit() and args.data)):
            parser.error("--child needs a known ENGINE and a set, or a size with --data")
        if what in sets:
            result = accuracy(engine, what)
        else:
            result = speed(engine, args.data, args.run, args.runs, args.queries, args.budget)
        print(json.dumps(result))
        return 0
    if any(size <= 0 for size in args.sizes) or min(args.queries, args.runs) <= 0:
        parser.error("sizes, --runs and --queries must be positive")

    results = measure(args)
    print(json.dumps(results, indent=2) if args.json else report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
