"""What people (or a broken client) might type, as hypothesis strategies for the hostile
input tests (test_fuzz.py): any Unicode, control characters, texts far over every limit,
Slack mentions and markup, SQL-looking text, and kudos-shaped commands naming colleagues,
themselves, bots, deactivated and unknown people."""

from __future__ import annotations

from hypothesis import strategies as st

from bot.kudos_text import MAX_RECIPIENTS

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
