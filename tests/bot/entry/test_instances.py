"""Several instances on one database (PostgreSQL in the CI's second run, one SQLite file in
the first): an article imported while they run is found through every one of them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from ...databases import new_database
from .http_server import REPO, Server, answer_form, running_server

FOUND_WITHIN = 15  # seconds: the check runs every 2; a deadline for a hang, not a timing
TITLE = "Pigeon loft permission"
ARTICLE = f"""---
id: planning-pigeon-loft
title: {TITLE}
category: planning
keywords: [pigeon loft, racing pigeons, dovecote]
owner: Planning team
reviewed: 2026-11-01
---
Say: "A pigeon loft in your back garden usually counts as an outbuilding, so it often
needs no planning application if it stays within the size limits."
- Over 2.5 metres high within 2 metres of a boundary needs permission
- Noise or smell complaints go to Environmental Health, not Planning
Next step: Send the caller the outbuildings guide and log the call as planning advice.
"""


@pytest.fixture(scope="module")
def instances(tmp_path_factory, slack_server) -> Iterator[tuple[Path, str, list[Server]]]:
    """Two `deskmate serve --http` processes, each with its own two workers, on one
    database: the folder they run in, the database URL and the servers."""
    folder = tmp_path_factory.mktemp("instances")
    with ExitStack() as stack:
        url = stack.enter_context(new_database(folder))
        servers = []
        for name in ("one", "two"):
            (folder / name).mkdir()
            config = "search:\n  limit: 3\n"
            servers.append(
                stack.enter_context(
                    running_server(folder / name, config, slack_server.api_url, url)
                )
            )
        yield folder, url, servers


def _answer(server: Server, slack_api, text: str) -> str:
    status, body = server.post(answer_form(text, slack_api.response_url()))
    assert status == 200, body
    return body


def _import(folder: Path, url: str) -> str:
    """`deskmate kb import` on the shared database, as an admin would run it."""
    (folder / "new").mkdir()
    (folder / "new" / "pigeon.md").write_text(ARTICLE)
    env = {key: value for key, value in os.environ.items() if not key.startswith("SLACK_")}
    env.update(
        DATABASE_URL=url, DESKMATE_CONFIG=str(folder / "one" / "app.yaml"), PYTHONPATH=str(REPO)
    )
    done = subprocess.run(
        [sys.executable, "-m", "bot", "kb", "import", str(folder / "new")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _found_every_time(server: Server, slack_api, times: int) -> bool:
    """Both wordings answered with the new article, `times` answers in a row each: the
    workers of an instance take requests in no fixed turn, so one found answer does not
    show that every worker has rebuilt its index."""
    for _ in range(times):
        if TITLE not in _answer(server, slack_api, "pigeon loft"):
            return False
        reply = json.loads(_answer(server, slack_api, "racing pigeons loft"))
        if reply["blocks"][0]["text"]["text"] != TITLE:
            return False
    return True


def test_an_article_imported_while_two_servers_run_is_found_through_both(instances, slack_api):
    folder, url, servers = instances
    for server in servers:  # both built their index before it existed
        assert TITLE not in _answer(server, slack_api, "pigeon loft")

    assert "added 1" in _import(folder, url)

    for server in reversed(servers):
        deadline = time.monotonic() + FOUND_WITHIN
        while not _found_every_time(server, slack_api, times=6):
            assert time.monotonic() < deadline, f"not found through port {server.port}"
            time.sleep(0.2)  # ask again, bounded by the deadline above
