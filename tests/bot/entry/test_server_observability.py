"""HTTP mode's readiness and metrics, from a real server: `/readyz` names a database that has
gone and is ready again when it is back; `/metrics` adds up the answers of both workers."""

from __future__ import annotations

import http.client
import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry, multiprocess
from prometheus_client.parser import text_string_to_metric_families

from ...databases import migrated_engine
from ...db_faults import Breakable, breakable_for
from .http_server import Server, answer, running_server

# -- readiness and metrics --------------------------------------------------------------------


@pytest.fixture(scope="module")
def observed(tmp_path_factory, slack_server) -> Iterator[tuple[Server, Breakable, Path]]:
    """A server of its own over a database that can be taken away (tests/db_faults.py),
    with its temporary files, the workers' shared metrics among them, in `scratch`."""
    folder = tmp_path_factory.mktemp("http-observed")
    scratch = folder / "tmp"
    scratch.mkdir()
    with migrated_engine(folder) as engine:
        database = breakable_for(engine)
        url = database.url.render_as_string(hide_password=False)
        try:
            with running_server(
                folder, "search:\n  limit: 5\n", slack_server.api_url, url,
                environ={"TMPDIR": str(scratch)},
            ) as running:  # fmt: skip
                yield running, database, scratch
        finally:
            database.close()


def _get(server: Server, path: str) -> tuple[int, str, str]:
    """(status, content type, body) of a GET."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read().decode()
    finally:
        connection.close()


def _sample(families, name: str, **labels: str) -> float:
    for family in families:
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return sample.value
    return 0.0


def _answers_by_process(scratch: Path) -> dict[str, float]:
    """Each process's count of answered /answer, read from the shared metrics folder the
    server made under `scratch`: its files for one process at a time, through
    prometheus_client's own multiprocess reader."""
    [shared] = scratch.glob("deskmate-metrics-*")
    counts = {}
    for counter in shared.glob("counter_*.db"):
        pid = counter.stem.removeprefix("counter_")
        alone = scratch / f"process-{pid}"
        shutil.rmtree(alone, ignore_errors=True)
        alone.mkdir()
        shutil.copy(counter, alone)
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=str(alone))
        counts[pid] = (
            registry.get_sample_value("deskmate_answers_total", {"outcome": "answered"}) or 0.0
        )
    return counts


def test_readyz_is_ready_when_the_database_answers_and_the_index_is_loaded(observed):
    server, _, _ = observed
    status, content_type, body = _get(server, "/readyz")

    assert (status, content_type) == (200, "application/json")
    assert json.loads(body) == {"status": "ready"}


def test_readyz_names_the_database_while_it_is_away_and_is_ready_again_after(observed):
    server, database, _ = observed
    assert _get(server, "/readyz")[0] == 200

    with database.unavailable():
        replies = [_get(server, "/readyz") for _ in range(4)]  # whichever worker answers
        health = server.request("GET", "/healthz")

    for status, content_type, body in replies:
        assert (status, content_type) == (503, "application/json")
        payload = json.loads(body)
        assert payload["status"] == "not ready"
        assert list(payload["failed"]) == ["database"]  # the index is still there
        assert payload["failed"]["database"] in (
            "the database did not answer",  # PostgreSQL: the connection is refused
            "the database file is missing",  # SQLite: the file has gone
        )
        assert "Traceback" not in body
    assert health[0] == 200  # alive all the while: only out of rotation
    assert _get(server, "/readyz")[0] == 200


def test_metrics_add_up_the_answers_of_both_workers(observed, slack_api):
    server, _, scratch = observed
    status, content_type, before = _get(server, "/metrics")
    assert status == 200
    assert content_type.startswith("text/plain; version=0.0.4")
    before = list(text_string_to_metric_families(before))

    sent = 0
    deadline = time.monotonic() + 60  # a hang, not a timing: each answer takes milliseconds
    while time.monotonic() < deadline:
        answer(server, slack_api, "council tax discount living alone")
        sent += 1
        workers = [pid for pid, n in _answers_by_process(scratch).items() if n]
        if len(workers) >= 2 and sent >= 10:
            break
    assert len(workers) == 2, "every answer went to one worker"

    for _ in range(4):  # whichever worker serves /metrics has the instance's figures
        after = list(text_string_to_metric_families(_get(server, "/metrics")[2]))
        for name, labels in [
            ("deskmate_answers_total", {"outcome": "answered"}),
            ("deskmate_answer_seconds_count", {}),
            ("deskmate_answer_seconds_bucket", {"le": "+Inf"}),
        ]:
            assert _sample(after, name, **labels) - _sample(before, name, **labels) == sent
    assert sum(_answers_by_process(scratch).values()) >= sent
