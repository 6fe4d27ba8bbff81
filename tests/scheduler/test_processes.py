"""Several `deskmate jobs fire` processes at once, for the same job and time, post once: the
claim in the database is what stops the others (PostgreSQL in CI, SQLite everywhere)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.store import db

from ..databases import make_old_schema

REPO = Path(__file__).resolve().parents[2]
PROCESSES = 4


@pytest.fixture
def database_url(database_url):
    """The run's database (SQLite file, or a PostgreSQL schema named in the URL) with the
    tables made as they were before migrations: the processes take it over and migrate it
    together."""
    engine = db.make_engine(database_url)
    make_old_schema(engine)
    engine.dispose()
    return database_url


def test_several_processes_firing_the_same_run_post_once(
    database_url, tmp_path, slack_server, slack_api
):
    config = tmp_path / "app.yaml"
    config.write_text("channels:\n  training: C0TRAINING1\n")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("SLACK_") and key not in ("DATABASE_URL", "DESKMATE_CONFIG")
    }
    env.update(
        DESKMATE_CONFIG=str(config),
        DATABASE_URL=database_url,
        SLACK_API_URL=slack_server.api_url,
        SLACK_BOT_TOKEN="xoxb-test-processes",
        PYTHONPATH=str(REPO),
    )
    command = [
        sys.executable,
        "-m",
        "bot",
        "jobs",
        "fire",
        "training_nudge",
        "--at",
        "2026-12-01T09:00",
    ]
    processes = [
        subprocess.Popen(
            command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        for _ in range(PROCESSES)
    ]
    outputs = [process.communicate(timeout=120)[0].decode() for process in processes]

    # One posts ("done"); the others find it done (exit 0) or still being run by the
    # winner ("already claimed ... not finished", exit 1, as `jobs fire` says of a run it
    # could not finish).
    codes = [process.returncode for process in processes]
    assert sum(output.endswith(": done\n") for output in outputs) == 1, outputs
    for code, output in zip(codes, outputs, strict=True):
        assert (code, "not finished" in output) in ((0, False), (1, True)), outputs
    posts = [
        call
        for call in slack_api.called("chat.postMessage")
        if call.body.get("channel") == "C0TRAINING1"
    ]
    assert len(posts) == 1, outputs
    assert sum("nothing posted" in output for output in outputs) == PROCESSES - 1, outputs
