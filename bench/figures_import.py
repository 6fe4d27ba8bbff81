"""How long `deskmate figures import` takes on a large export: 100,000 agent-day rows
(the issue's bar: under 10 seconds on this machine), each run a fresh process into a fresh
SQLite database, beside a baseline in the same run (Python only reading the same CSV).

    python bench/figures_import.py [--rows 100000] [--runs 3]

Prints min / median / max seconds for each; asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEADER = (
    "Agent ID,Date,Calls Handled,Average Handle Time,Average After-Call Work,"
    "First Contact Resolved,Transfers\n"
)
TARGET_SECONDS = 10.0


def write_export(path: Path, rows: int) -> None:
    """`rows` agent-days: 400 agents over as many days as it takes."""
    first = dt.date(2020, 1, 1)
    with path.open("w", encoding="utf-8") as handle:
        handle.write(HEADER)
        for n in range(rows):
            day = first + dt.timedelta(days=n // 400)
            calls = 20 + n % 25
            handle.write(
                f"A{n % 400},{day},{calls},{4 + n % 3}:{n % 60:02d},{n % 90},{calls // 2},1\n"
            )


def timed(command: list[str], **options) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, **options)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr}")
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    deskmate = str(Path(sys.executable).with_name("deskmate"))
    results: dict[str, list[float]] = {"deskmate figures import": [], "baseline: csv read": []}
    with tempfile.TemporaryDirectory() as folder:
        export = Path(folder) / "agent_daily.csv"
        write_export(export, args.rows)
        read_only = [sys.executable, "-c", f"import csv; list(csv.reader(open({str(export)!r})))"]
        for run in range(args.runs):
            home = Path(folder) / f"run{run}"
            home.mkdir()
            (home / "app.yaml").write_text("database:\n  url: sqlite:///deskmate.db\n")
            env = {"DESKMATE_CONFIG": str(home / "app.yaml"), "PATH": "/usr/bin:/bin"}
            results["deskmate figures import"].append(
                timed([deskmate, "figures", "import", str(export)], env=env, cwd=home)
            )
            results["baseline: csv read"].append(timed(read_only))
    print(f"{args.rows:,} agent-day rows, {args.runs} runs each, seconds (min / median / max):")
    for name, seconds in results.items():
        low, mid, high = min(seconds), statistics.median(seconds), max(seconds)
        print(f"  {name:<24} {low:6.2f} / {mid:6.2f} / {high:6.2f}")
    median = statistics.median(results["deskmate figures import"])
    verdict = "met" if median <= TARGET_SECONDS else "NOT met"
    print(f"target: import under {TARGET_SECONDS:.0f} s: {verdict} (median {median:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
