"""The search's scoring pieces on their own: choosing the best few candidates among every
article's score (`best`), and a phrase's share in each article."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge.search import PARTIAL_PHRASE_POWER, SAMPLE_STRIDE, SearchIndex, best
from knowledge.synonyms import Synonyms
from knowledge.text import stem


def _best_by_sorting(scores: np.ndarray, depth: int) -> list[int]:
    """What `best` must give, the slow way: positive scores, highest first, then earliest."""
    order = sorted(np.flatnonzero(scores > 0).tolist(), key=lambda i: (-scores[i], i))
    return order[:depth]


# Few distinct values, so ties at the cut are common, and sizes on both sides of where the
# sample starts being used (depth x SAMPLE_STRIDE x 4).
_SCORES = st.lists(
    st.sampled_from([0.0, 0.0, 0.0, 0.1, 0.25, 0.5, 0.5, 0.75, 1.0, 2.5]),
    min_size=0,
    max_size=15 * SAMPLE_STRIDE * 4 * 3,
)


@settings(max_examples=300, deadline=None)
@given(values=_SCORES, depth=st.integers(min_value=1, max_value=20))
def test_the_best_few_are_the_highest_scores_earliest_first(values, depth):
    scores = np.array(values, dtype=float)
    assert best(scores, depth).tolist() == _best_by_sorting(scores, depth)


@settings(max_examples=100, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1), size=st.integers(1, 20_000))
def test_the_best_few_of_many_continuous_scores(seed, size):
    # As a large knowledge base gives them: most articles score something, a few a lot.
    rng = np.random.default_rng(seed)
    scores = rng.exponential(size=size) * (rng.random(size) < 0.75)
    assert best(scores, 15).tolist() == _best_by_sorting(scores, 15)


_WORDS = ("zorbit", "quaxel", "fremble", "glonk", "pravid", "snerple", "twindle", "vorbic")
_WORDS += ("yellick", "brondle", "chaffix", "drumple")


@pytest.fixture
def word_sets_index(make_article) -> SearchIndex:
    """Articles each holding its own set of twelve made-up words, in the title or the body
    (every tenth none of them)."""
    rng = np.random.default_rng(7)
    articles = []
    for number in range(1, 61):
        held = [w for w in _WORDS if rng.random() < 0.4 and number % 10]
        title, body = held[: len(held) // 2], held[len(held) // 2 :]
        articles.append(
            make_article(
                number,
                id=f"a{number}",
                title=" ".join(["Notice", *title]),
                body=f'Say: "{" ".join(["About", *body])}."\n- Fact\nNext step: Log it.',
                keywords=(),
            )
        )
    return SearchIndex(articles, synonyms=Synonyms())


@pytest.mark.parametrize("size", [2, 3, 12])
def test_a_phrase_scales_each_article_by_the_share_of_its_words_held(word_sets_index, size):
    # Half a phrase is less than half the meaning; a word no article uses counts against
    # every article; a reading counts by how sure it is. Checked the slow way, article by
    # article.
    index = word_sets_index
    phrase = tuple(stem(w) for w in _WORDS[:size]) + ("nowordlikeit",)
    _, shares = index._phrase_shares(phrase, 0.85)
    found = [index._postings.found(t) for t in phrase]
    whole = sum(f[2] for f in found if f) + index._max_idf
    expected = np.zeros(len(index.articles))
    for number in range(len(index.articles)):
        held = covered = 0.0
        for f in found:
            if f is not None and number in f[0].tolist():
                held += float(f[1][f[0].tolist().index(number)]) * f[2]
                covered += f[2]
        expected[number] = 0.85 * held * (covered / whole) ** (PARTIAL_PHRASE_POWER - 1) / whole
    assert expected.max() > 0 and (expected == 0).any()
    assert shares == pytest.approx(expected, rel=1e-5, abs=1e-9)
