"""A CSR's shorthand: the vowels left out of a word ("brkn", "cncl", "hsg") read as the
knowledge base's word it stands for."""

from __future__ import annotations

import pytest

from knowledge.search import SearchIndex
from knowledge.synonyms import Synonyms

# Five articles with no keywords: (id, title, body).
ARTICLES = [
    (
        "boiler",
        "Broken boiler in a council home",
        "Book an emergency repair when the heating or hot water is broken.",
    ),
    (
        "band",
        "Council tax bands",
        "Each council home is in a council tax band set by the valuation office.",
    ),
    (
        "debit",
        "Cancel a direct debit",
        "A payer can cancel with their bank; tell them the next instalment is due.",
    ),
    (
        "dairy",
        "Dairy and farm shop food hygiene",
        "Every dairy selling to the public is registered and inspected.",
    ),
    (
        "grant",
        "Strengthened walls grant",
        "Homes whose walls were strengthened after subsidence may get a grant.",
    ),
]


@pytest.fixture
def index(make_article) -> SearchIndex:
    articles = [
        make_article(n, id=id_, title=title, body=body, keywords=())
        for n, (id_, title, body) in enumerate(ARTICLES, start=1)
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
