"""Nothing acknowledged is lost: a real `deskmate serve --http` is killed (SIGKILL, master
and workers at once) while several clients are giving kudos, then started again on the same
database. Every kudos whose acknowledgement said it was saved is stored, and after the
restart every stored kudos is posted exactly once.

Bounded: a few clients, at most a few dozen requests, each wait under a deadline; every
process the test starts is stopped (tests/bot/entry/http_server.py)."""

from __future__ import annotations

import datetime as dt
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from http.client import HTTPException
from urllib.parse import urlencode

from sqlmodel import col, select

from bot.kudos import CLAIM_SECONDS
from bot.slack.blocks.kudos import STILL_CHECKING
from bot.store import db, models

from ...databases import new_database
from .http_server import Server, running_server

KUDOS_CHANNEL = "C0KUDOSKILL"
CLIENTS = 6
PER_CLIENT = 12  # requests each at most: the load is bounded whatever happens
KILL_AFTER = 10  # kudos acknowledged as saved before the server is killed
DEADLINE_SECONDS = 60


def _give(server: Server, fake, giver: str, name: str) -> tuple[int, dict | None]:
    body = urlencode(
        {
            "command": "/kudos",
            "text": f"<@U0ALEX0001|alex> for a calm call, thank you {giver}",
            "user_id": giver,
            "user_name": "giver",
            "channel_id": "C0CALLS01",
            "team_id": "T0COUNCIL",
            "api_app_id": "A0DESKMATE",
            "response_url": fake.response_url(name),
            "trigger_id": f"trigger-{name}",
        }
    )
    status, reply = server.post(body)
    return status, (json.loads(reply) if reply else None)


class Load:
    """CLIENTS threads giving kudos, each from a giver of its own, until told to stop."""

    def __init__(self, server: Server, fake) -> None:
        self.server, self.fake = server, fake
        self.acknowledged: list[str] = []  # givers told their kudos was saved (or 200 blank)
        self.cut_off = 0  # requests the kill left unanswered
        self.stop = threading.Event()
        self._changed = threading.Condition()

    def client(self, number: int) -> None:
        for request in range(PER_CLIENT):
            if self.stop.is_set():
                return
            giver = f"U0KILL{number:02d}{request:02d}"
            try:
                status, ack = _give(self.server, self.fake, giver, giver)
            # Killed while it waited, or while its answer was on the way (the headers sent,
            # the body cut off: IncompleteRead, an HTTPException): never acknowledged, as
            # Slack too takes a broken answer for a failure.
            except (OSError, HTTPException):
                with self._changed:
                    self.cut_off += 1
                return
            # "Still checking" is acknowledged without a promise; anything else answered 200
            # is what Slack takes as done, so it must not be lost.
            if status == 200 and not (ack and ack.get("text") == STILL_CHECKING):
                with self._changed:
                    self.acknowledged.append(giver)
                    self._changed.notify_all()

    def wait_for_acknowledged(self, count: int) -> None:
        with self._changed:
            reached = self._changed.wait_for(
                lambda: len(self.acknowledged) >= count, timeout=DEADLINE_SECONDS
            )
        assert reached, f"only {len(self.acknowledged)} kudos acknowledged under load"


def _rows(url: str) -> list[models.Kudos]:
    engine = db.make_engine(url)
    try:
        with db.session(engine) as session:
            rows = list(session.exec(select(models.Kudos).order_by(col(models.Kudos.id))))
            session.expunge_all()
            return rows
    finally:
        engine.dispose()


def _let_claims_run_out(url: str) -> None:
    """Move every claim the crash left back by CLAIM_SECONDS: what ten minutes of waiting
    would do, so the restarted server's retry pass takes them now."""
    engine = db.make_engine(url)
    try:
        with db.session(engine) as session:
            for row in session.exec(
                select(models.Kudos).where(col(models.Kudos.claimed_at).is_not(None))
            ):
                row.claimed_at -= dt.timedelta(seconds=CLAIM_SECONDS + 60)
                session.add(row)
            session.commit()
    finally:
        engine.dispose()


def _key(call) -> str | None:
    metadata = call.body.get("metadata")
    metadata = json.loads(metadata) if isinstance(metadata, str) else metadata or {}
    return (metadata.get("event_payload") or {}).get("key")


def test_every_acknowledged_kudos_survives_a_kill_and_is_posted_once(tmp_path, slack_api):
    config = f"channels:\n  kudos: {KUDOS_CHANNEL}\n"
    environ = {"TMPDIR": str(tmp_path)}  # the killed server's metrics folder stays in here
    with new_database(tmp_path) as url:
        with running_server(tmp_path, config, slack_api.api_url, url, environ=environ) as server:
            load = Load(server, slack_api)
            with ThreadPoolExecutor(CLIENTS) as pool:
                clients = [pool.submit(load.client, number) for number in range(CLIENTS)]
                load.wait_for_acknowledged(KILL_AFTER)
                server.kill()  # mid-load: other requests are in flight
                load.stop.set()
                for client in clients:
                    client.result(timeout=DEADLINE_SECONDS)
        stored_before = {row.giver_id for row in _rows(url)}
        lost = sorted(set(load.acknowledged) - stored_before)
        assert lost == [], f"acknowledged but not stored: {lost}"
        assert load.cut_off > 0, "the kill never landed on a request in flight"

        _let_claims_run_out(url)
        with running_server(tmp_path, config, slack_api.api_url, url, environ=environ) as server:
            # A kudos given after the restart runs the retry pass before it is confirmed.
            _give(server, slack_api, "U0AFTERKILL", "after")
            slack_api.wait_until(
                lambda calls: any(call.path == "/response/after" for call in calls)
            )

        rows = _rows(url)
        assert [row.giver_id for row in rows if row.posted_ts is None] == []
        shown = [_key(call) for call in slack_api.visible(KUDOS_CHANNEL)]
        for row in rows:
            assert shown.count(f"kudos {row.id}") == 1, (row.id, row.giver_id)
        assert set(load.acknowledged) <= {row.giver_id for row in rows}
