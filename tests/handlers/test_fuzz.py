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

from bot import models
from bot.app import CONSOLE_TOKEN, create_app, make_client
from bot.kudos import MAX_MESSAGE_CHARS, MAX_RECIPIENTS
from bot.settings import Settings
from handlers import blocks, replies

from ..databases import migrated_engine
from ..slack_fake import RESPONSE_URL
from .checks import assert_valid_message, assert_valid_view, text_objects
from .kudos_app import KUDOS_CHANNEL, SECRET, SUPERVISOR, kudos, person, posts, sent, told
from .payloads import command_body, command_request

VALUES = ["empathy", "customer insight", "teamwork"]
# People the kudos texts name, set up in the fake Slack's users.info before each text.
COLLEAGUES = ["U0ALEX0001", "U0SAM00001", "W0ENTERPR1"]
BOT, DELETED, GHOST, SLACKBOT = "U0BOTBOT01", "U0GONE0001", "U0GHOST001", "USLACKBOT"
GIVER = "{GIVER}"  # stands for the giver's own id, drawn per text
NOT_THANKABLE = [GIVER, BOT, DELETED, GHOST, SLACKBOT]
FUZZ_CSR = "U0FUZZCSR1"

# -- what people type ------------------------------------------------------------------

MARKUP = [
    "<@U0ALEX0001>",
    "<@U0ALEX0001|alex>",
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<!here|here>",
    "<!subteam^S0TEAM01>",
    "<!subteam^S0TEAM01|@csrs>",
    "<!date^1392734382^{date_short}|Feb 18>",
    "<#C0CALLS001|calls>",
    "<#C0CALLS001>",
    "<https://example.org|click here>",
    "<https://example.org>",
    "<mailto:jo@example.org|Jo>",
    "<@>",
    "<!>",
    "<<@U0ALEX0001>>",
    "<@U0ALEX0001|<b>>",
    "&amp;",
    "&lt;",
    "&gt;",
    "&amp;lt;",
    "&lt;!here&gt;",
    "&#60;!channel&#62;",
    "&",
    "<",
    ">",
    "*bold*",
    "_italic_",
    "~struck~",
    "`code`",
    "```block```",
    "> quoted",
    "\n>",
    ":tada:",
    "@here",
    "@channel",
    "#general",
]
SQL = [
    "'; DROP TABLE article; --",
    "'; DROP TABLE kudos; --",
    '" OR 1=1 --',
    "' OR ''='",
    "%",
    "%%",
    "_",
    "\\",
    "\\x00",
    "$1",
    ":name",
    "?",
    "NULL",
    "/* */",
    "1; SELECT pg_sleep(0)",
]
ODD = [
    "\u200b",  # zero-width space
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u202e",  # right-to-left override
    "\u202d",
    "\u061c",
    "שלום",
    "مرحبا بك",
    "e\u0301",  # a combining accent
    "Z\u0334\u0321\u032a\u034ca\u0336\u0319\u035d",
    "👩‍👩‍👧‍👦",
    "🇬🇧",
    "🏴󠁧󠁢󠁥󠁮󠁧󠁿",
    "\U0010ffff",
    "\uffff",
    "\ufffd",
    "\u2028",
    "\u2029",
    "\x85",
    "\xa0",
]
WORDS = [
    "council",
    "tax",
    "single",
    "person",
    "discount",
    "skip",
    "permit",
    "ctr",
    "apply",
    "hmo",
    "licence",
    "water",
    "bill",
    "for",
    "staying",
    "calm",
    "with",
    "a",
    "distressed",
    "caller",
    "thanks",
    "great",
    "call",
]

anything = st.characters(exclude_categories=("Cs",))  # every plane; no lone surrogates
controls = st.characters(max_codepoint=0x1F) | st.just("\x7f")
piece = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(MARKUP),
    st.sampled_from(SQL),
    st.sampled_from(ODD),
    st.text(anything, max_size=20),
    st.text(controls, min_size=1, max_size=4),
    st.sampled_from([" ", "  ", "\n", "\t", "\r\n"]),
)
short_texts = st.lists(piece, max_size=30).map("".join)


def _repeat(seed: str, size: int) -> str:
    seed = seed or "x"
    return (seed * (size // len(seed) + 1))[:size]


# Over /answer's 500, kudos' 1,000 and a section's 3,000 characters, up to 50 KB.
huge_texts = st.builds(_repeat, short_texts, st.integers(400, 50_000))


def slack_escaped(text: str) -> str:
    """As Slack sends what was typed: `&`, `<`, `>` as entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


texts = st.one_of(
    short_texts, short_texts.map(slack_escaped), huge_texts, huge_texts.map(slack_escaped)
)

# Mostly people who can be thanked, so that many kudos get as far as being posted.
colleague = st.sampled_from(COLLEAGUES) | st.from_regex(r"[UW][A-Z0-9]{2,10}", fullmatch=True)
someone = st.one_of(colleague, colleague, colleague, st.sampled_from(NOT_THANKABLE))
mention = st.builds(
    lambda user, name: f"<@{user}|{name}>" if name is not None else f"<@{user}>",
    someone,
    st.none()
    | st.sampled_from(["alex", "Sam O'Neil", "", "&lt;b&gt;", "here"])
    | short_texts.map(slack_escaped),
)
joiner = st.sampled_from([" ", ", ", " and ", " &amp; ", " & ", "\n", " AND ", ",", ""])
known_tag = st.sampled_from(["#empathy", "#customer-insight", "#Customer_Insight", "#teamwork"])
tag = (
    known_tag
    | st.sampled_from(["#customer", "#team", "#bravery", "#"])
    | st.text(anything).map("#{}".format)
    | st.builds(_repeat, st.sampled_from(["a", "é", "_-", "9"]), st.integers(1, 5_000)).map(
        "#{}".format
    )
)
reason = st.sampled_from(["for staying calm with a distressed caller", ""])


@st.composite
def kudos_texts(draw) -> str:
    """`/kudos @who @who for why #value` in all its ways, and its keywords."""
    if draw(st.integers(0, 9)) == 0:
        word = draw(st.sampled_from(["help", "?", "mine", "leaderboard", "Leaderboard week"]))
        return word + draw(st.sampled_from(["", " "]) | short_texts)
    few = st.lists(mention, min_size=1, max_size=3)
    many = st.lists(mention, min_size=1, max_size=MAX_RECIPIENTS + 2)
    people = draw(few | few | many)
    joined = "".join(p + draw(joiner) for p in people)
    why = draw(reason | texts | st.builds("{} {}".format, reason, texts))
    tags = draw(st.just([]) | st.lists(known_tag, max_size=1) | st.lists(tag, max_size=3))
    return " ".join([joined.strip(), why, *tags])


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
    assert 0 < len(message["text"]) <= blocks.FALLBACK_CHARS
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
    client = make_client(CONSOLE_TOKEN, base_url=slack_server.api_url)
    return create_app(
        settings, client=client, signing_secret=SECRET, engine=engine, process_before_response=True
    )


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
    assert len(later) <= 1 and (ack is None or not later)
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
