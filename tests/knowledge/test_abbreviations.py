"""Abbreviations a knowledge base defines for itself become synonyms at index build."""

from __future__ import annotations

from knowledge.abbreviations import learn
from knowledge.search import SearchIndex
from knowledge.synonyms import Synonyms


def test_defined_in_brackets_after_the_name(make_article):
    article = make_article(
        body="The Community Infrastructure Levy (CIL) is charged on new homes. "
        "Houses in Multiple Occupation (HMO) need a licence. Apply under the Right to "
        "Buy (RTB) scheme. A non-sufficient funds (NSF) fee is $25.",
        keywords=(),
    )
    assert learn([article]) == {
        "cil": {"community infrastructure levy"},
        "hmo": {"houses in multiple occupation"},
        "rtb": {"right to buy"},
        "nsf": {"non sufficient funds"},
    }


def test_brackets_that_are_not_abbreviations_are_left_alone(make_article):
    article = make_article(
        body="Call us (Monday to Friday). Fees (see below). A Temporary Event Notice (TEN) "
        "costs £21. The form (UK) is online. Open (9am).",
        keywords=(),
    )
    # "ten" is an everyday word: learning it would turn "ten days" into a licence.
    assert learn([article]) == {}


def test_a_keyword_that_is_the_initials_of_the_title(make_article):
    article = make_article(title="Council Tax single person discount", keywords=("SPD",))
    assert learn([article]) == {"spd": {"single person discount"}}


def test_the_index_finds_an_article_by_its_own_abbreviation(make_article):
    articles = [
        make_article(
            1,
            id="levy",
            title="Charges on new development",
            body="The Community Infrastructure Levy (CIL) is charged per square metre.",
            keywords=(),
        ),
        make_article(2, id="other", title="Planning fees", keywords=()),
    ]
    index = SearchIndex(articles, synonyms=Synonyms())
    assert index.rank("cil charge").hits[0].article.id == "levy"
    assert ("cil",) in index.synonyms.expansions
    # The list the index was given is not changed: each KB learns its own.
    assert Synonyms().expansions == {}


def test_everyday_words_are_judged_by_the_small_list_as_the_large_would():
    # The small list stops at a Zipf frequency of 3, below the cut of 4, so it decides
    # "an everyday word, not an abbreviation" exactly as the 30 MB large list does.
    from wordfreq import top_n_list, zipf_frequency

    from knowledge.abbreviations import EVERYDAY_ZIPF, _everyday

    sample = top_n_list("en", 20_000, wordlist="large")[5_000::40]
    sample += ["ten", "cat", "era", "cil", "epc", "spd", "hmo", "tpo", "dhp", "ctr"]
    for word in sample:
        assert _everyday(word) == (zipf_frequency(word, "en", wordlist="large") >= EVERYDAY_ZIPF)
