"""HTTP-mode load: `deskmate serve --http` against a bare Bolt app, served the same way.

    python bench/http_load.py [--clients 20] [--requests 3000] [--seconds 20] [--rounds 2]
                              [--single 500] [--workers 2] [--threads 8]

Starts, on 127.0.0.1 only:
- `deskmate serve --http` (gunicorn, `--workers` uvicorn workers x `--threads` threads) on a
  fresh SQLite database in a temporary folder, answering `/answer` with the real search,
  the search log write and the Block Kit card;
- the same server (bot.entry.server, same workers and threads, same routing) around a bare
  Bolt app whose `/answer` only does `ack("fixed text")`: the floor that Bolt, the
  signature check and the server cost before Deskmate does anything; and again with Bolt's
  own 10 ms wait for `ack()` (Bolt as shipped, which the issue's first figures had);
- a stand-in for the Slack Web API (Bolt asks `auth.test` once per worker).

Then a second process (the load client) keeps `--clients` keep-alive connections busy,
each sending signed `/answer` requests (caller questions from knowledge/eval/queries.csv)
one after another, for `--requests` requests or `--seconds`, whichever comes first, after
a warm-up. Rounds alternate between the two servers. Then one client alone sends `--single`
requests to each, one at a time. Prints requests per second and p50/p99 latency for each,
and their ratio, against the issue's targets (issue 14).

This is a benchmark, not a test: it measures and asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import json
import math
import multiprocessing
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SECRET = "bench-signing-secret"
TOKEN = "xoxb-bench"
QUERIES = ROOT / "knowledge" / "eval" / "queries.csv"
TARGET_RATIO = 0.9
TARGET_P99_MS = 30.0
TARGET_SINGLE_P50_MS = 5.0  # one request at a time
START_SECONDS = 60
WARM_UP = 200  # requests per server before any round counts


# -- the servers --------------------------------------------------------------------------


def serve_bare(port: int, workers: int, threads: int, shipped: bool = False) -> None:
    """The comparison app: Bolt with one `/answer` listener that acks fixed text. Served by
    bot.entry.server, it gets Deskmate's corrections to Bolt too (bot.slack.bolt_fixes),
    among them the wait for `ack()`; `shipped` takes that one away again, for Bolt as
    shipped: it looks for the ack every 10 ms."""
    import time as clock

    from slack_bolt import Ack, App
    from slack_bolt.context import context
    from slack_bolt.listener import thread_runner

    from bot.entry.server import GunicornServer, ServerOptions
    from bot.slack.client import make_client

    if shipped:
        thread_runner.time, context.Ack = clock, Ack

    def make_app() -> App:
        app = App(
            client=make_client(TOKEN),
            signing_secret=SECRET,
            token_verification_enabled=False,
        )

        @app.command("/answer")
        def answer(ack: Ack) -> None:
            ack("fixed text")

        return app

    options = ServerOptions(host="127.0.0.1", port=port, workers=workers, threads=threads)
    GunicornServer(make_app, options).run()


class FakeWebAPI:
    """Answers every Web API method with ok (auth.test is the only one these apps call)."""

    def __init__(self) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                body = json.dumps(
                    {"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "TBENCH"}
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(command: list[str], env: dict[str, str], folder: Path, name: str, port: int):
    log = (folder / f"{name}.log").open("wb")
    process = subprocess.Popen(command, cwd=folder, env=env, stdout=log, stderr=log)
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                connection.close()
                return process
        except OSError:
            pass
        try:
            process.wait(timeout=0.1)  # returns at once if the server died
            break
        except subprocess.TimeoutExpired:
            continue
    process.kill()
    raise SystemExit(f"{name} did not start; see {folder / (name + '.log')}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# -- the load client (a second process) -------------------------------------------------


def read_queries() -> list[str]:
    with QUERIES.open(encoding="utf-8") as handle:
        return [row["query"] for row in csv.DictReader(handle)]


def client_run(port: int, clients: int, requests: int, seconds: float, queries: list[str]):
    """In the client process: `clients` threads, each with one keep-alive connection.
    Returns (latencies in ms, failures, elapsed seconds)."""
    from slack_sdk.signature import SignatureVerifier

    signer = SignatureVerifier(SECRET)
    lock = threading.Lock()
    remaining = [requests]
    latencies: list[float] = []
    failures: list[str] = []
    deadline = time.monotonic() + seconds
    begin = threading.Barrier(clients + 1)

    def one_client(number: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine: list[float] = []
        sent = number
        begin.wait()
        while time.monotonic() < deadline:
            with lock:
                if remaining[0] <= 0:
                    break
                remaining[0] -= 1
            body = urlencode(
                {
                    "command": "/answer",
                    "text": queries[sent % len(queries)],
                    "user_id": f"U{number:08d}",
                    "channel_id": "CBENCH",
                    "team_id": "TBENCH",
                    "response_url": "http://127.0.0.1:9/unused",
                    "trigger_id": "1.2.3",
                }
            )
            sent += clients
            stamp = str(int(time.time()))
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Slack-Request-Timestamp": stamp,
                "X-Slack-Signature": signer.generate_signature(timestamp=stamp, body=body),
            }
            started = time.perf_counter()
            try:
                connection.request("POST", "/slack/events", body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                connection.close()  # reconnects on the next request
                status = repr(error)
            if status == 200:
                mine.append((time.perf_counter() - started) * 1000)
            else:
                with lock:
                    failures.append(str(status))
        connection.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=one_client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    begin.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return latencies, failures, time.perf_counter() - started


def _client_main(connection, *args) -> None:
    connection.send(client_run(*args))
    connection.close()


def load(port: int, clients: int, requests: int, seconds: float, queries: list[str]):
    """Run the load client in its own process and return what it measured."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(
        target=_client_main, args=(sender, port, clients, requests, seconds, queries)
    )
    process.start()
    sender.close()
    result = receiver.recv()
    process.join()
    return result


# -- reporting ----------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(1, math.ceil(p / 100 * len(ordered))) - 1]


def summary(latencies: list[float], failures: list[str], elapsed: float) -> dict:
    return {
        "requests": len(latencies),
        "failures": len(failures),
        "rps": len(latencies) / elapsed if elapsed else 0.0,
        "p50_ms": percentile(latencies, 50) if latencies else float("nan"),
        "p99_ms": percentile(latencies, 99) if latencies else float("nan"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=3000, help="per round")
    parser.add_argument("--seconds", type=float, default=20.0, help="at most, per round")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--single", type=int, default=500, help="requests from one client")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--serve-bare", type=int, metavar="PORT", help=argparse.SUPPRESS)
    parser.add_argument("--shipped", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_bare:
        serve_bare(args.serve_bare, args.workers, args.threads, args.shipped)
        return 0

    queries = read_queries()
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="deskmate-load-")))
        (folder / "app.yaml").write_text("database:\n  url: sqlite:///deskmate.db\n")
        web_api = FakeWebAPI()
        stack.callback(web_api.close)
        env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
        env.update(
            DESKMATE_CONFIG=str(folder / "app.yaml"),
            SLACK_SIGNING_SECRET=SECRET,
            SLACK_BOT_TOKEN=TOKEN,
            SLACK_API_URL=web_api.url,
            PYTHONPATH=str(ROOT),
        )
        env.pop("DATABASE_URL", None)
        sizes = ["--workers", str(args.workers), "--threads", str(args.threads)]
        ports = {"deskmate": free_port(), "bare Bolt": free_port(), "as shipped": free_port()}
        commands = {
            "deskmate": [sys.executable, "-m", "bot", "serve", "--http", "--port"],
            "bare Bolt": [sys.executable, __file__, *sizes, "--serve-bare"],
            "as shipped": [sys.executable, __file__, *sizes, "--shipped", "--serve-bare"],
        }
        for name, command in commands.items():
            port = ports[name]
            extra = [str(port), *sizes] if name == "deskmate" else [str(port)]
            process = start([*command, *extra], env, folder, name.replace(" ", "-"), port)
            stack.callback(stop, process)

        for port in ports.values():
            load(port, args.clients, WARM_UP, args.seconds, queries)
        pooled = {name: ([], [], 0.0) for name in ports}
        for _ in range(args.rounds):
            for name, port in ports.items():
                latencies, failures, elapsed = load(
                    port, args.clients, args.requests, args.seconds, queries
                )
                got = pooled[name]
                pooled[name] = (got[0] + latencies, got[1] + failures, got[2] + elapsed)
        single = {
            name: summary(*load(port, 1, args.single, args.seconds, queries))
            for name, port in ports.items()
        }

    results = {name: summary(*measured) for name, measured in pooled.items()}
    ratio = results["deskmate"]["rps"] / results["bare Bolt"]["rps"]
    shipped_ratio = results["deskmate"]["rps"] / results["as shipped"]["rps"]
    report = {
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "clients": args.clients,
        "workers": args.workers,
        "threads": args.threads,
        "results": results,
        "single": single,
        "ratio": ratio,
        "ratio_to_bolt_as_shipped": shipped_ratio,
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(
        f"{args.clients} clients, {args.workers} uvicorn workers x {args.threads} threads, "
        f"{args.rounds} rounds of up to {args.requests} requests; {report['machine']}"
    )
    print(f"{'server':<10} {'requests':>9} {'failed':>7} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for name, row in results.items():
        print(
            f"{name:<10} {row['requests']:>9} {row['failures']:>7} {row['rps']:>8.0f} "
            f"{row['p50_ms']:>8.1f} {row['p99_ms']:>8.1f}"
        )
    for name, row in single.items():
        print(f"{name:<10} one at a time: p50 {row['p50_ms']:.1f} ms, {row['rps']:.0f} req/s")
    p99 = results["deskmate"]["p99_ms"]
    p50 = single["deskmate"]["p50_ms"]
    print(
        f"throughput ratio deskmate / bare: {ratio:.2f} (target >= {TARGET_RATIO}: "
        f"{'met' if ratio >= TARGET_RATIO else 'NOT met'}; to Bolt as shipped "
        f"{shipped_ratio:.2f}: {'met' if shipped_ratio >= TARGET_RATIO else 'NOT met'}); "
        f"deskmate p99 {p99:.1f} ms "
        f"(target <= {TARGET_P99_MS:.0f}: {'met' if p99 <= TARGET_P99_MS else 'NOT met'}); "
        f"one at a time p50 {p50:.1f} ms (target <= {TARGET_SINGLE_P50_MS:.0f}: "
        f"{'met' if p50 <= TARGET_SINGLE_P50_MS else 'NOT met'})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
