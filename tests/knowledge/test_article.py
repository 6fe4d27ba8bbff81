"""Article: the script parts of a body (Say / facts / Next step), and to_markdown written
out and loaded back unchanged."""

from __future__ import annotations

import datetime as dt

import pytest

from knowledge import BUNDLED_ARTICLES
from knowledge.article import Article, to_markdown
from knowledge.loader import load_articles

from .loader_helpers import BODY, write

# --- Article parsing ------------------------------------------------------------------------


def script_article(body: str, **fields) -> Article:
    return Article(id="a", title="T", category="housing", body=body, **fields)


def test_say_facts_and_next_step():
    article = script_article(BODY)
    assert article.say == "You can apply online and we will write to you within 10 working days."
    assert article.facts == [
        "You need proof of identity.",
        "The decision letter explains how to appeal.",
    ]
    assert article.next_step == "Send the caller the online form link."


def test_say_with_curly_quotes_and_lower_case_labels():
    article = script_article(
        "say: \u201cWe can help: here is how.\u201d\n"
        "  * Star fact\n"
        "  - Dash fact\n"
        "next step: Book it"
    )
    assert article.say == "We can help: here is how."
    assert article.facts == ["Star fact", "Dash fact"]
    assert article.next_step == "Book it"


def test_article_without_script_lines():
    article = script_article("Just some notes.\nNo list here.")
    assert (article.say, article.facts, article.next_step) == (None, [], None)


@pytest.mark.parametrize(
    "label", ["Say:", "Script:", "Read out:", "Tell the caller:", "tell the resident:"]
)
def test_a_script_under_a_label_councils_use_is_the_line_to_read_out(label):
    article = script_article(f'{label} "We can help."\n\nCheck:\n> the balance')
    assert article.say == "We can help."
    assert article.unsaid == "Check:\n> the balance"


def test_a_body_of_script_parts_alone_is_scripted():
    assert script_article(BODY).scripted
    assert script_article("Say: Hello\n\n- A fact\nNext step: Book it").scripted


@pytest.mark.parametrize(
    "body",
    [
        'Say: "Some people qualify automatically."\n\n1. Confirm the address.\n   - PIP 8 points',
        "Say: Hello\nNotes: organisations can apply too.",
        "Check the account first.\nNext step: Book it",
    ],
)
def test_steps_or_notes_beside_the_script_are_not_scripted(body):
    assert not script_article(body).scripted


def test_unsaid_is_the_body_after_its_say_line_as_written():
    article = script_article('Say: "We can help."\n\n1. Confirm the address.\n   - PIP 8 points')
    assert article.unsaid == "1. Confirm the address.\n   - PIP 8 points"
    assert script_article("No script.\n- A fact").unsaid == "No script.\n- A fact"


# --- to_markdown -> load round trip -----------------------------------------------------------

ROUND_TRIP = [
    pytest.param(
        Article(
            id="benefits-spd.v2",
            title='Council Tax: "single person" discount \u2014 25% off \u00a3 caf\u00e9',
            category="benefits",
            body=BODY,
            owner="Revenues: team \u00e9",
            reviewed=dt.date(2026, 9, 1),
        ),
        id="no-keywords",
    ),
    pytest.param(
        Article(id="a", title="T", category="housing", body=BODY, keywords=("SPD", "discount")),
        id="plain-keywords",
    ),
    pytest.param(
        Article(
            id="licensing-cafe",
            title="Pavement caf\u00e9 licence: fees",
            category="licensing",
            body=BODY,
            keywords=(
                "fee: \u00a3100",
                "tables, chairs",
                '"al fresco"',
                "it's",
                "caf\u00e9",
                "na\u00efve",
                "[draft]",
                "#1",
                "- dash",
                "yes",
                "no",
                "123",
                "a;b",
                "50% off",
                "@council",
            ),
            owner="Licensing team",
            reviewed=dt.date(2025, 1, 31),
        ),
        id="tricky-keywords",
    ),
]


@pytest.mark.parametrize("article", ROUND_TRIP)
def test_to_markdown_round_trip(tmp_path, article):
    file = write(tmp_path / "out.md", to_markdown(article))
    assert load_articles(file) == [article]


def test_every_bundled_article_survives_to_markdown(tmp_path):
    articles = load_articles(BUNDLED_ARTICLES)
    for article in articles:
        write(tmp_path / article.category / f"{article.id}.md", to_markdown(article))
    assert load_articles(tmp_path) == articles
