"""Search cost in instructions: this tree against another commit, counted, not timed.

    python bench/instructions.py [--vs REV] [--sizes 172 10000] [--passes 2]

Timings on a shared or throttled machine can swing by half from one minute to the next, so a
change of a tenth to the search cannot be seen in them. Valgrind's callgrind counts the
instructions a process runs instead: the same count for the same code and input, whatever
else the machine is doing. This benchmark counts, for this tree and for `--vs` (default
HEAD, checked out into a temporary worktree), on the bundled articles cut or padded to each
size (bench/padding.py, the data written once and read by both):
- per search: a process that builds the index and searches every bundled caller question
  once, against one that searches them all `1 + --passes` times; the difference over the
  extra searches;
- the build: a process that builds the index and searches nothing, against one that only
  loads the articles (and indexes one, so first-use imports count in neither).
Each count is one process under valgrind (about 50 times slower than without it; a 10,000
article run takes a few minutes); the runs go two at a time. Counts are deterministic, so
one run each is the figure (a second gives the same to within a few hundred instructions of
interpreter start-up). Times still matter, and bench/search.py measures them; this says
which way a change moved the work, and by how much, on any day. Needs valgrind
(`apt install valgrind`). It asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

COLLECTED = re.compile(r"Collected\s*:\s*(\d+)")
DEFAULT_SIZES = (172, 10_000)


def child(root: str, data: str, build: bool, passes: int) -> None:
    """Runs under valgrind: the given tree's search, on the data file."""
    sys.path.insert(0, root)
    from padding import read_data

    from knowledge.search import SearchIndex

    articles, queries = read_data(Path(data))
    # One article indexed in both runs, so what the search imports or loads on first use
    # (wordfreq's list) is counted as loading, not as the build.
    SearchIndex(articles[:1])
    if not build:
        return
    index = SearchIndex(articles)
    for _ in range(passes):
        for query, _expected in queries:
            index.rank(query, 5)


def count(root: Path, data: Path, *, build: bool, passes: int) -> int:
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
    command += [sys.executable, str(Path(__file__).resolve()), "--child", str(root), str(data)]
    command += ["--build" if build else "--no-build", "--passes", str(passes)]
    env = {**os.environ, "PYTHONHASHSEED": "0", "OMP_NUM_THREADS": "1"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    found = COLLECTED.search(done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"valgrind on {root} failed:\n{done.stderr.strip()[-2000:]}")
    return int(found.group(1))


def measure(root: Path, data: Path, queries: int, passes: int) -> dict[str, float]:
    runs = {
        "loaded": dict(build=False, passes=0),
        "built": dict(build=True, passes=0),
        "once": dict(build=True, passes=1),
        "again": dict(build=True, passes=1 + passes),
    }
    with ThreadPoolExecutor(max_workers=2) as pool:
        counted = dict(
            zip(runs, pool.map(lambda kw: count(root, data, **kw), runs.values()), strict=True)
        )
    return {
        "search": (counted["again"] - counted["once"]) / (passes * queries),
        "build": counted["built"] - counted["loaded"],
    }


def worktree(rev: str, into: Path) -> Path:
    path = into / "vs"
    subprocess.run(
        ["git", "worktree", "add", "--detach", "--quiet", str(path), rev],
        cwd=ROOT,
        check=True,
    )
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vs", default="HEAD", help="the commit to count against")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    parser.add_argument("--passes", type=int, default=2, help="extra passes over the questions")
    parser.add_argument("--child", nargs=2, metavar=("ROOT", "DATA"), help=argparse.SUPPRESS)
    parser.add_argument("--build", action=argparse.BooleanOptionalAction, default=True)
    args = parser.parse_args(argv)
    if args.child:
        child(*args.child, args.build, args.passes)
        return 0
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (apt install valgrind): nothing counted")
        return 1

    from padding import padded, write_data

    from knowledge import BUNDLED_ARTICLES, BUNDLED_QUERIES
    from knowledge.evaluate import read_queries
    from knowledge.loader import load_articles

    articles = load_articles(BUNDLED_ARTICLES)
    queries = read_queries(BUNDLED_QUERIES)
    print(f"instructions (valgrind callgrind): this tree against {args.vs}")
    print(f"{len(queries)} bundled caller questions, {args.passes} extra passes over them")
    print()
    print(f"{'articles':>8}  {'tree':<10} {'per search':>12} {'build':>15}")
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        other = worktree(args.vs, scratch)
        try:
            for size in args.sizes:
                data = scratch / f"data-{size}.jsonl"
                write_data(data, padded(articles, size, fresh_words=2), queries)
                figures = {
                    name: measure(root, data, len(queries), args.passes)
                    for name, root in ((args.vs, other), ("this tree", ROOT))
                }
                for name, found in figures.items():
                    print(
                        f"{size:>8,}  {name[:10]:<10} {found['search'] / 1e6:>10.2f} M"
                        f" {found['build'] / 1e6:>13,.0f} M"
                    )
                base, new = figures[args.vs], figures["this tree"]
                print(
                    f"{'':>8}  {'change':<10} {new['search'] / base['search'] - 1:>+12.1%}"
                    f" {new['build'] / base['build'] - 1:>+15.1%}"
                )
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(other)], cwd=ROOT, check=False
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
