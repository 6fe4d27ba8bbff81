"""Text normalisation: the words, stop words and stems that queries and articles share."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from wordfreq import get_frequency_dict, zipf_frequency

from knowledge.text import CONTRACTED, STOP_WORDS, WORD, fold, stem, terms, uncontract, words, zipf


def test_stop_words_and_desk_filler_are_dropped():
    assert terms("The caller wants to know about a licence for the shop") == ["licens", "shop"]
    assert terms("customer asking how do i pay my bill") == ["pay", "bill"]


def test_stop_words_can_be_kept():
    assert terms("the bill", keep_stop_words=True) == ["the", "bill"]


@pytest.mark.parametrize("word", ["no", "not", "new", "late"])
def test_words_that_carry_meaning_are_not_stop_words(word):
    assert word not in STOP_WORDS
    assert terms(f"{word} payment") == [stem(word), "payment"]


def test_accents_are_folded_and_case_lowered():
    assert fold("Café NAÏVE Résumé") == "cafe naive resume"
    assert words("Pavement Café licence") == ["pavement", "cafe", "licence"]
    assert terms("café") == terms("CAFE")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("don't", ["dont"]),
        ("tenant's rights", ["tenants", "rights"]),
        ("tenant\u2019s", ["tenants"]),
    ],
    ids=["straight", "possessive", "curly"],
)
def test_apostrophes_join_rather_than_split(text, expected):
    assert words(text) == expected


def test_joined_contraction_is_a_stop_word():
    assert terms("I can't pay, don't know") == ["pay"]


@pytest.mark.parametrize(
    ("said", "not_this"),
    [
        ("we'll", "well"),
        ("she'd", "shed"),
        ("I'd", "id"),
        ("I'll", "ill"),
        ("he'll", "hell"),
        ("we\u2019d", "wed"),
    ],
)
def test_a_pronouns_contraction_is_not_the_word_it_spells_joined_up(said, not_this):
    # "we'll" joined up is a private well, "she'd" a garden shed, "I'd" proof of ID.
    assert not_this not in words(f"{said} need someone out")
    assert terms(f"{said} need someone out") == []


def test_shorthand_with_an_apostrophe_keeps_its_ending():
    # Only a pronoun's "'d" is "would": "rec'd" is a CSR's "received".
    assert words("rec'd letter, req'd by Friday, tenant's ID") == [
        "recd",
        "letter",
        "reqd",
        "by",
        "friday",
        "tenants",
        "id",
    ]


def test_punctuation_splits_words_and_digits_stay():
    assert words("SPD/CTR: 25% off, ref #1234") == ["spd", "ctr", "25", "off", "ref", "1234"]
    assert stem("1234") == "1234"


@pytest.mark.parametrize(
    "group",
    [
        ["licences", "licence", "licensing", "license", "licensed", "licenses"],
        ["moving", "moves", "move", "moved"],
        ["discounts", "discount", "discounted"],
        ["bins", "bin"],
        ["payments", "payment"],
        # The stemmer knows endings only: irregular plurals and text-message spellings
        # ("mice in the loft", "homless tonite") would miss an article's "mouse", "tonight".
        ["mice", "mouse"],
        ["people", "person", "persons"],
        ["children", "child"],
        ["tonite", "tonight"],
        ["2day", "today"],
        ["thru", "through"],
    ],
    ids=lambda group: group[0],
)
def test_plurals_and_word_forms_meet(group):
    assert len({stem(word) for word in group}) == 1, {word: stem(word) for word in group}


def test_text_message_because_is_a_stop_word():
    assert terms("cuz no water") == terms("because no water") == terms("no water")


def test_british_and_american_licence_spellings_meet():
    assert terms("premises licence") == terms("premises license")
    assert terms("licence") != terms("lease")


@pytest.mark.parametrize(
    ("word", "other"),
    [
        ("bill", "bin"),
        ("rent", "rates"),
        # Words the stemmer alone would cut to one stem (text.OWN_STEMS).
        ("instalments", "install"),
        ("installment", "installation"),
        ("apartment", "apart"),
        ("news", "new"),
        ("authorities", "authorisation"),
        ("conversation", "conversion"),
        ("vegetables", "vegetation"),
        # Irregular verbs are the caller's story, left as typed (text.IRREGULAR).
        ("paid", "pay"),
        ("heard", "hear"),
    ],
)
def test_different_words_keep_different_stems(word, other):
    assert stem(word) != stem(other)


@pytest.mark.parametrize("singular", ["hmo", "dhp", "tpo", "spd", "ldc"])
def test_abbreviation_plurals_meet_their_singular(singular):
    assert stem(singular + "s") == stem(singular)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="abcdilweXYZ019 '\u2019£€éÉßøæ\t\n-_.,;:!?²½ﬁİı\u0301\u00a0", max_size=30))
def test_words_are_the_runs_of_letters_and_digits_whatever_the_characters(text):
    # Split by translation for speed; the meaning stays the regular expressions'.
    folded = CONTRACTED.sub(uncontract, fold(text))
    assert words(text) == WORD.findall(folded.replace("'", "").replace("\u2019", ""))


def test_zipf_is_wordfreqs_own_figure_for_every_word_of_its_list():
    # The straight lookup must round exactly as wordfreq does: the weights, and so the
    # rankings, were fitted with wordfreq's figures.
    listed = list(get_frequency_dict("en", "small"))
    assert len(listed) > 20_000
    assert [zipf(w) for w in listed] == [zipf_frequency(w, "en", wordlist="small") for w in listed]
    assert zipf("pothole") < zipf("house") < zipf("the")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcqxzABC019 '\u2019éß-", max_size=12))
def test_zipf_agrees_with_wordfreq_whatever_the_word(word):
    assert zipf(word) == zipf_frequency(word, "en", wordlist="small")
