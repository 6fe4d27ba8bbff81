"""A CSR's shorthand: the vowels left out of a word ("brkn", "cncl", "hsg") read as the
knowledge base's word it stands for."""

from __future__ import annotations

import pytest

from knowledge.search import SearchIndex
from knowledge.synonyms import Synonyms


@pytest.fixture
def index(make_article) -> SearchIndex:
    articles = [
        make_article(
            1,
            id="boiler",
            title="Broken boiler in a council home",
            keywords=(),
            body="Book an emergency repair when the heating or hot water is broken.",
        ),
        make_article(
            2,
            id="band",
            title="Council tax bands",
            keywords=(),
            body="Each council home is in a council tax band set by the valuation office.",
        ),
        make_article(
            3,
            id="debit",
            title="Cancel a direct debit",
            keywords=(),
            body="A payer can cancel with their bank; tell them the next instalment is due.",
        ),
        make_article(
            4,
            id="dairy",
            title="Dairy and farm shop food hygiene",
            keywords=(),
            body="Every dairy selling to the public is registered and inspected.",
        ),
        make_article(
            5,
            id="grant",
            title="Strengthened walls grant",
            keywords=(),
            body="Homes whose walls were strengthened after subsidence may get a grant.",
        ),
    ]
    return SearchIndex(articles, synonyms=Synonyms())


def readings(index: SearchIndex, word: str) -> list[str]:
    """What the word may stand for, as stems, likeliest first."""
    (concept,) = index._reader.read(word)
    return [" ".join(a.terms) for a in concept.alternatives]


def ids(hits) -> list[str]:
    return [hit.article.id for hit in hits]


def test_shorthand_is_read_as_the_word_it_stands_for(index):
    assert readings(index, "brkn") == ["broken"]
    assert readings(index, "hsg") == ["hous"]  # housing, stemmed
    assert ids(index.search("brkn boiler"))[:1] == ["boiler"]
    assert ids(index.search("cncl tax bnds"))[:1] == ["band"]


def test_shorthand_counts_as_the_word_meant_so_the_answer_is_confident(index):
    # Without the reading, "brkn" would be a word no article holds: a part of the question
    # left uncovered, as a subject the knowledge base lacks would be.
    (concept,) = index._reader.read("brkn")
    assert concept.meant == ("broken",)
    assert ids(index.search("brkn boiler")) == ["boiler"]


def test_of_two_words_it_may_stand_for_the_commoner_in_this_knowledge_base_comes_first(index):
    # "council" is in two articles, "cancel" in one: both are offered, council first.
    assert readings(index, "cncl") == ["council", "cancel"]


def test_an_everyday_english_word_is_not_taken_for_shorthand(index):
    # "dry" has no vowel but is a word of its own, not "dairy" with the vowels left out.
    assert readings(index, "dry") == []
    assert index.search("dry") == []


@pytest.mark.parametrize(
    "word",
    [
        "snd",  # in "strengthened", but six of its nine consonants left out
        "brk",  # in "broken", but not ending on its last consonant
        "bn",  # two letters stand for too many words
    ],
)
def test_what_is_not_read_as_shorthand(index, word):
    assert "broken" not in readings(index, word)
    assert "strengthen" not in readings(index, word)
