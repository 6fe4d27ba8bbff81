"""Hostile text through `/answer` and `/kudos`, end to end: hypothesis generates what a
person (or a broken client) might type — any Unicode, control characters, texts far over
every limit, Slack mentions and markup, SQL-looking text, kudos-shaped commands naming
themselves, bots, deactivated and unknown people — and each goes through the real Bolt app
as a signed slash command, on this run's database, with Slack faked by the recording server.

For every text: the request is answered (200), nothing is logged as a warning or an error
(a listener that raised, or a database that refused the text), every reply and post is
Block Kit Slack would accept, and no user text turns into a live `@channel`, `@here`, user
group, link or a broken entity. For /kudos, a refusal stores nothing and nothing is posted
twice."""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func
from sqlmodel import Session, col, select

from bot.config.settings import Settings
from bot.kudos_text import MAX_MESSAGE_CHARS, MAX_RECIPIENTS
from bot.slack.blocks import answer as blocks
from bot.slack.blocks import base
from bot.store import models
from handlers import replies

from ..apps import signed_app
from ..databases import migrated_engine
from ..slack_fake import RESPONSE_URL
from .checks import assert_valid_message, assert_valid_view, text_objects
from .fuzz_texts import (
    BOT,
    DELETED,
    FUZZ_CSR,
    GHOST,
    GIVER,
    NOT_THANKABLE,
    VALUES,
    kudos_texts,
    texts,
)
from .kudos_app import KUDOS_CHANNEL, SECRET, SUPERVISOR, kudos, person, posts, sent, told
from .payloads import command_body, command_request

# -- checking what came out ----------------------------------------------------------------

TOKEN = re.compile(r"<([^<>]*)>")
ENTITY = re.compile(r"&(?:amp|lt|gt);")
QUOTE_MARK = re.compile(r"^>", re.MULTILINE)  # mrkdwn's block quote, which we write


def mentioned(text: str) -> set[str]:
    """The people a typed text mentions (Slack-escaped or not)."""
    found = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^<>]*)?>").findall
    return {*found(text), *found(html.unescape(text))}


def assert_safe_mrkdwn(text: str, people: set[str]) -> None:
    """Nothing in `text` pings a channel or a group, links anywhere or breaks formatting:
    its only `<...>` are mentions of `people` and channel references, and every `&`, `<`,
    `>` is one of those, an entity, or a block quote's mark."""
    for token in TOKEN.findall(text):
        user = re.fullmatch(r"@([UW][A-Z0-9]+)", token)
        assert (user and user.group(1) in people) or re.fullmatch(r"#C[A-Z0-9]+", token), (
            f"live markup <{token}> in {text!r}"
        )
    rest = QUOTE_MARK.sub("", ENTITY.sub("", TOKEN.sub("", text)))
    assert not {"<", ">", "&"} & set(rest), f"unescaped markup in {text!r}"


def assert_valid_reply(message: dict, people: set[str]) -> None:
    """A message as Slack would take it: valid blocks, fallback text within limits, and
    safe mrkdwn throughout."""
    assert_valid_message(message["blocks"])
    assert 0 < len(message["text"]) <= base.FALLBACK_CHARS
    mrkdwn = [t["text"] for t in text_objects(message["blocks"]) if t["type"] == "mrkdwn"]
    for text in [message["text"], *mrkdwn]:
        assert_safe_mrkdwn(text, people)


class Trouble(logging.Handler):
    """Every warning or error logged anywhere while a text is handled."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    @contextmanager
    def watching(self) -> Iterator[None]:
        """Fails if anything was logged; a failure inside says what was logged too."""
        self.records.clear()
        try:
            yield
        except AssertionError as failed:
            if self.records:
                raise AssertionError(f"{failed}\nlogged:\n{self.describe()}") from failed
            raise
        assert not self.records, self.describe()

    def describe(self) -> str:
        return "\n".join(self.format(record) for record in self.records)


def count(engine, table) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(table)).one()


def everyone_in_kudos(engine) -> set[str]:
    with Session(engine) as session:
        givers = session.exec(select(models.Kudos.giver_id)).all()
        recipients = session.exec(select(models.KudosRecipient.user_id)).all()
    return {*givers, *recipients}


# -- the app -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    with migrated_engine(tmp_path_factory.mktemp("fuzz")) as engine:
        yield engine


@pytest.fixture(scope="module")
def app(slack_server, engine):
    """Both commands in one app; it finishes each request before `dispatch` returns, so
    everything a text caused has reached the fake Slack when it is checked."""
    settings = Settings(
        channels={"kudos": KUDOS_CHANNEL},
        supervisors=[SUPERVISOR],
        kudos={"values": VALUES, "daily_allowance": 100},
    )
    return signed_app(settings, slack_server, engine=engine, process_before_response=True)


@pytest.fixture(scope="module")
def trouble() -> Iterator[Trouble]:
    handler = Trouble()
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    yield handler
    root.removeHandler(handler)


FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


# -- /answer --------------------------------------------------------------------------------


@settings(FUZZ, max_examples=600)
@example(text="\x00")  # lost the search log on PostgreSQL
@example(text="payload")  # Bolt alone read it as an interaction (bot/bolt_fixes.py)
@example(text="skip\x00permit")
@given(text=texts)
def test_answer_survives_any_text(app, slack_server, engine, trouble, text):
    slack_server.reset()
    logged = count(engine, models.SearchLog)

    with trouble.watching():
        body = command_body(text, user_id=FUZZ_CSR, response_url=slack_server.response_url())
        response = app.dispatch(command_request(SECRET, body))
        assert response.status == 200

    reply = json.loads(response.body)
    assert reply["response_type"] == "ephemeral"
    assert_valid_reply(reply, people=set())  # /answer mentions nobody
    assert reply["text"] != replies.SORRY_SEARCH
    usage = reply["text"] == blocks.USAGE_TEXT
    event("usage" if usage else "no match" if "confident" in reply["text"] else "answer")
    assert count(engine, models.SearchLog) == logged + (0 if usage else 1)
    assert sent(slack_server) == []  # answered in the acknowledgement alone


# -- /kudos ---------------------------------------------------------------------------------


def meet(fake) -> None:
    """Who users.info says the kudos texts name are; anyone else is an ordinary person."""
    fake.person(BOT, is_bot=True)
    fake.person(DELETED, deleted=True)
    fake.person(GHOST, missing=True)


@settings(FUZZ, max_examples=500)
@example(text="<@U0ALEX0001> for a great call #" + "a" * 5000, supervisor=False)  # echoed
@example(text="<@U0ALEX0001> for a great\x00 call", supervisor=False)  # PostgreSQL: unsaved
@given(
    text=kudos_texts() | kudos_texts() | texts, supervisor=st.integers(0, 4).map(lambda n: n == 0)
)
def test_kudos_survives_any_text(app, slack_server, engine, trouble, text, supervisor):
    slack_server.reset()
    meet(slack_server)
    giver = SUPERVISOR if supervisor else person()
    text = text.replace(GIVER, giver)
    people = mentioned(text) | {giver}
    before = count(engine, models.Kudos)

    with trouble.watching():
        ack = kudos(app, slack_server, giver, text)

    later = [call.body for call in slack_server.called(RESPONSE_URL)]
    assert {call.method for call in sent(slack_server)} <= {
        "chat.postMessage",
        "views.open",
        RESPONSE_URL,
    }
    if ack is not None:  # a refusal, help, or what was given (the leaderboard, mine)
        assert ack["response_type"] == "ephemeral"
        assert_valid_reply(ack, people | everyone_in_kudos(engine))
    for reply in later:
        assert reply["response_type"] == "ephemeral"
        assert_valid_reply(reply, people)
    for call in slack_server.called("views.open"):
        assert_valid_view(call.body["view"])
    for call in sent(slack_server, "chat.postMessage"):
        assert_valid_reply(call.body, people)

    added = count(engine, models.Kudos) - before
    thanked = [r for r in told(slack_server) if r.startswith("Thanks! Your kudos for")]
    assert (added, len(thanked)) in ((0, 0), (1, 1)), (added, told(slack_server))
    # Told once; a stored kudos twice: saved (in the ack), then how its post went.
    assert len(later) <= 1 and (ack is None or not later or added == 1)
    event("stored" if added else "answered in the ack" if ack else "told later or a form")
    if not added:  # refused, or not a kudos at all: nothing stored, nothing posted
        assert sent(slack_server, "chat.postMessage") == []
        return
    with Session(engine) as session:
        row = session.exec(select(models.Kudos).order_by(col(models.Kudos.id).desc())).first()
        recipients = session.exec(
            select(models.KudosRecipient.user_id).where(models.KudosRecipient.kudos_id == row.id)
        ).all()
    assert row.giver_id == giver and len(row.message) <= MAX_MESSAGE_CHARS
    assert 1 <= len(recipients) <= MAX_RECIPIENTS
    assert not {giver, *NOT_THANKABLE} & set(recipients)
    [post] = posts(slack_server)  # posted once
    dms = [c.body["channel"] for c in sent(slack_server, "chat.postMessage") if c is not post]
    assert sorted(dms) == sorted(recipients)  # each recipient told once
