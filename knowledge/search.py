"""Fuzzy search over the articles, built for hurried typing, callers' own words and
knowledge bases nobody here wrote.

`knowledge.query` reads the question into concepts (typos corrected, synonyms expanded,
the knowledge base's own abbreviations learned at build: `knowledge.abbreviations`).
`knowledge.postings` says which article holds which word, in which field, how strongly.
Then, for each question:
- candidates: each article scores the share of the question's weight it holds. A concept
  weighs its rarity in the knowledge base (IDF), tempered by how everyday the word is in
  English (wordfreq), so "pothole" counts and "today" hardly does; a phrase only partly
  present counts for less than its share; a word no article uses still counts against
  every article;
- ranking: the best few are ordered by a weighted sum of features that mean the same in any
  knowledge base (`knowledge.evidence`), what the question means among them
  (`knowledge.meaning`), the weights fitted on labelled questions;
- answering: an answerability model (`knowledge.confidence`) gives the probability that the
  first is right; below the threshold the hits are only the closest titles.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path

import numpy as np

from knowledge import BUNDLED_SYNONYMS, evidence
from knowledge.abbreviations import learn as learn_abbreviations
from knowledge.article import Article
from knowledge.confidence import (
    DEFAULT_THRESHOLD,
    Signals,
    answerability,
    question_signals,
    rank_score,
)
from knowledge.evidence import Part
from knowledge.meaning import Meanings, question_vector
from knowledge.postings import build, informativeness
from knowledge.query import MAX_QUERY_WORDS, Concept, QueryReader
from knowledge.synonyms import Phrase, Synonyms, load_synonyms
from knowledge.text import is_number, stem, words, zipf

UNKNOWN_WORD_WEIGHT = 0.8
UNKNOWN_ZIPF = 6.0
UNKNOWN_SPREAD = 3.0
UNKNOWN_FLOOR = 0.1
CONCEPT_DECAY = 0.9
PHRASE_EXTRA = 0.5
PARTIAL_PHRASE_POWER = 2.0
RERANK_DEPTH = 15
# Where the best few candidates begin is sampled from every eighth score, or from about
# 1,024 in all for a large knowledge base (`best`).
SAMPLE_STRIDE = 8
SAMPLE_SIZE = 1024
WORDED = 8  # candidates whose wording is compared (fuzzy, phrases, neighbours)
ASKED_AGAIN = 0.9  # likeness to a learned phrasing that counts as the same question


@dataclass(frozen=True)
class Hit:
    article: Article
    score: float


@dataclass(frozen=True)
class Ranking:
    """The articles for one query, best first, and how sure the first one answers it."""

    hits: list[Hit]
    confidence: float
    threshold: float
    signals: Signals | None = None

    @property
    def confident(self) -> bool:
        return bool(self.hits) and self.confidence >= self.threshold

    @property
    def answers(self) -> list[Hit]:
        """The hits when the first is a confident answer; otherwise none."""
        return self.hits if self.confident else []


@functools.lru_cache(maxsize=65_536)  # the same few thousand words, asked all day
def _unknown_weight(word: str) -> float:
    """How much an unknown word counts: fully for rare words ("pothole"), little for
    everyday ones ("today", "husband") that callers use around the real question."""
    if is_number(word):
        # An amount, an age, a time or a date ("600", "4am", "15th", "sixty"): a detail of
        # the caller's case, not a subject the knowledge base lacks.
        return UNKNOWN_WORD_WEIGHT * UNKNOWN_FLOOR
    common = zipf(word)
    everyday = (UNKNOWN_ZIPF - common) / UNKNOWN_SPREAD
    return UNKNOWN_WORD_WEIGHT * min(1.0, max(UNKNOWN_FLOOR, everyday))


def best(scores: np.ndarray, depth: int) -> np.ndarray:
    """The places of the `depth` highest positive scores, highest first; of equal scores,
    the earlier place first.

    Most articles of a large knowledge base hold some word of a question (three in four at
    10,000), so a selection over all of them cost a sixth of a search there. Every
    stride-th score is a sample (every SAMPLE_STRIDE-th, or SAMPLE_SIZE in all if that is
    fewer): its depth-th highest is at most the whole array's, so the articles scoring at
    least that hold the best `depth`, and there are few of them (about depth x stride)."""
    floor = 0.0
    stride = max(SAMPLE_STRIDE, len(scores) // SAMPLE_SIZE)
    if len(scores) > depth * stride * 4:
        sample = scores[::stride]
        floor = float(np.partition(sample, len(sample) - depth)[len(sample) - depth])
    places = np.flatnonzero(scores >= floor) if floor > 0.0 else np.flatnonzero(scores > 0.0)
    values = scores[places]
    if len(places) > 4 * depth:
        # Those at least the depth-th highest (ties and all), still in place order.
        keep = values >= np.partition(values, len(values) - depth)[len(values) - depth]
        places, values = places[keep], values[keep]
    # Places ascend, so a stable sort puts the earlier of equal scores first.
    return places[np.argsort(-values, kind="stable")[:depth]]


def _read_synonyms(path: str | Path) -> Synonyms:
    """The synonyms file, read again only when it has changed: every rebuild of the index
    (each knowledge-base change) would otherwise parse it anew."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError:
        return load_synonyms(path)  # says why it cannot be read
    return _parsed_synonyms(path.resolve(), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _parsed_synonyms(path: Path, mtime_ns: int, size: int) -> Synonyms:
    return load_synonyms(path)  # never changed afterwards: the index extends a copy


def _relative(score: float, best: float) -> float:
    """A hit's standing against the best hit's (ranking scores are log-odds)."""
    return math.exp(max(-50.0, score - best))


class SearchIndex:
    """An in-memory index of articles. Building it needs no database and no Slack."""

    def __init__(
        self,
        articles: Iterable[Article],
        *,
        synonyms: Synonyms | str | Path | None = None,
        threshold: float | None = None,
    ):
        self.articles: list[Article] = list(articles)
        # The answerability model's own cut unless the settings override it.
        self.threshold = DEFAULT_THRESHOLD if threshold is None else threshold
        if synonyms is None:
            synonyms = _read_synonyms(BUNDLED_SYNONYMS) if BUNDLED_SYNONYMS.exists() else Synonyms()
        elif isinstance(synonyms, str | Path):
            synonyms = _read_synonyms(synonyms)
        # The knowledge base's own abbreviations ("Community Infrastructure Levy (CIL)").
        self.synonyms = synonyms.extended(learn_abbreviations(self.articles))
        self._build()

    def __len__(self) -> int:
        return len(self.articles)

    # -- building -----------------------------------------------------------------------

    def _build(self) -> None:
        built = build(self.articles, set(self.synonyms.words))
        self._postings, self._idf, self._max_idf = built.postings, built.idf, built.max_idf
        self._fields = built.labels
        self._reader = QueryReader(built.surface, self._idf, self.synonyms)
        # What each article is about, beyond its words: worked out as it is asked for.
        self._meanings = Meanings(self._fields)

    # -- scoring --------------------------------------------------------------------------

    def _phrase_shares(
        self, phrase: Phrase, weight: float
    ) -> tuple[np.ndarray | None, np.ndarray] | None:
        """The articles holding any of the phrase (None: all of them, in order), and the
        share of its weight each holds (0..1, fields weighted), times `weight` (how sure
        the reading is); None when the knowledge base has none of its words. A single word
        is its postings as they are (unweighted): no array as long as the knowledge base."""
        if len(phrase) == 1:
            found = self._postings.found(phrase[0])
            return None if found is None else found[:2]
        found = [f for t in phrase if (f := self._postings.found(t)) is not None]
        if not found:
            return None
        count = len(self.articles)
        whole = sum(idf for _, _, idf in found) + self._max_idf * (len(phrase) - len(found))
        # Half a phrase is less than half the meaning: "council tax bill" is not answered
        # by an article that only says "council tax". Each article's share is
        # weight x held x (covered / whole) ** (power - 1) / whole, where held sums its
        # weighted IDF of the phrase's words and covered their IDF. The constant factor
        # goes into the postings' values as they are spread (as long as the postings), so
        # the arrays as long as the knowledge base are only filled and multiplied once.
        factor = weight / whole**PARTIAL_PHRASE_POWER
        held = np.zeros(count, dtype=np.float32)
        covered = np.zeros(count, dtype=np.float32)
        docs, weights, idf = found[0]
        held[docs] = weights * (idf * factor)  # 0 + it
        covered[docs] = idf
        for docs, weights, idf in found[1:]:
            # In place, in C (numpy's unbuffered `at`), without gathering into a temporary
            # and scattering it back. The IDF as float32, as the first word's is.
            np.add.at(held, docs, weights * (idf * factor))
            np.add.at(covered, docs, np.float32(idf))
        if PARTIAL_PHRASE_POWER != 2:  # x ** 1 is x exactly
            np.power(covered, PARTIAL_PHRASE_POWER - 1, out=covered)
        held *= covered
        return None, held  # every article: cheaper than finding the few that hold it

    def _strength(self, concept: Concept) -> float:
        """How much this part of the question weighs, from what the caller typed (or its
        correction); synonyms only widen what it matches."""
        typed = concept.alternatives[0].terms if concept.alternatives else ()
        if len(typed) != len(concept.words):
            typed = tuple(stem(w) for w in concept.words)
        weights = []
        for word, term in zip(concept.meant, typed, strict=True):
            if term in self._idf:
                # Everyday words ("now", "money") tell less than rare ones, even when the
                # knowledge base happens to use them seldom.
                weights.append(self._idf[term] * informativeness(word))
            elif concept.listed:
                # A term of the trade that no article uses: a topic we do not cover.
                weights.append(UNKNOWN_WORD_WEIGHT * self._max_idf)
            else:
                # Unknown to the knowledge base: the rarer the word in English, the surer it
                # is that the question is about something we do not cover.
                weights.append(_unknown_weight(word) * self._max_idf)
        weights.sort(reverse=True)
        # A phrase ("no water") says more than any of its words alone.
        return weights[0] + PHRASE_EXTRA * sum(weights[1:])

    def _parts(self, concepts: list[Concept]) -> list[Part]:
        """Per concept: its weight and, per article, the share of it the article holds
        (its best reading's)."""
        count = len(self.articles)
        parts: list[Part] = []
        for concept in concepts:
            best = None
            for alternative in concept.alternatives:
                found = self._phrase_shares(alternative.terms, alternative.weight)
                if found is None:
                    continue
                docs, shares = found
                if docs is None:  # a phrase's own array, weighted, free to keep
                    if best is None:
                        best = shares
                    else:
                        np.maximum(best, shares, out=best)
                elif best is None:
                    best = np.zeros(count, dtype=np.float32)
                    best[docs] = shares * alternative.weight  # the max of it and 0
                else:
                    np.maximum.at(best, docs, shares * alternative.weight)  # in place, in C
            parts.append(Part(concept, self._strength(concept), best))
        # The strongest words carry the question; in a long, chatty one each further word
        # counts for less, so filler does not drown the words that matter.
        # (A stable sort in reverse keeps equals in their order, as sorting by -strength did.)
        parts.sort(key=attrgetter("strength"), reverse=True)
        return [
            Part(part.concept, part.strength * CONCEPT_DECAY**rank, part.shares)
            for rank, part in enumerate(parts)
        ]

    def _combine(self, parts: list[Part]) -> np.ndarray:
        held = [part for part in parts if part.shares is not None]
        if not held:
            return np.zeros(len(self.articles), dtype=np.float32)
        # The first part is written straight into the total (0 + x is x): a pass fewer.
        total = np.multiply(held[0].shares, held[0].strength, dtype=np.float32)
        if len(held) > 1:
            scaled = np.empty_like(total)  # one working array, not one a part
            for part in held[1:]:
                total += np.multiply(part.shares, part.strength, out=scaled)
        denominator = sum(part.strength for part in parts)
        if denominator:
            total /= denominator
        return total

    def rank(self, query: str, limit: int = 5) -> Ranking:
        """The best articles for the query, best first, and how sure the first one is."""
        empty = Ranking([], 0.0, self.threshold)
        if not self.articles or limit <= 0:
            return empty
        found = self._candidates(query, limit)
        if found is None:
            return empty
        asked, ranked = found
        signals = question_signals(asked, ranked, self._fields, self._max_idf)
        confidence = answerability(signals)
        if signals.again >= ASKED_AGAIN:
            # A question CSRs already linked to this article, asked again in nearly the
            # same words: their choice is the answer (the model never saw phrasings).
            confidence = max(confidence, signals.again)
        hits = [
            Hit(self.articles[number], round(confidence * _relative(score, ranked[0][0]), 4))
            for score, _, number, _ in ranked[:limit]
        ]
        return Ranking(hits, round(confidence, 4), self.threshold, signals)

    def _candidates(self, query: str, limit: int):
        """The question as read, and the best candidates by ranking score, best first
        (None when the query has no words to search)."""
        concepts = self._reader.read(query)
        if not concepts:
            return None
        parts = self._parts(concepts)
        scores = self._combine(parts)
        top = best(scores, max(RERANK_DEPTH, limit))
        said = " ".join(words(query)[:MAX_QUERY_WORDS])
        asked = evidence.question(concepts, parts, said, self._idf, self._fields)
        if not len(top):
            return None
        # The share of the question each candidate holds in any field, all at once.
        held = [(p.strength, p.shares[top] > 0) for p in parts if p.shares is not None]
        anywhere = sum(strength * mask for strength, mask in held) / asked.total
        # What the question means, as the caller meant it (slips corrected), and how much of
        # it the words leave open: the share of its weight (as meant) the best candidate
        # lacks. The likeness to a whole article counts only that much: where an article
        # holds all of the question, the words decide between siblings ("single person
        # discount" is the discount's own article, though the review letter's body says the
        # words more often); where callers use their own words, their meaning does.
        meant = question_vector([w for concept in concepts for w in concept.meant])
        unheld = 1.0 - min(1.0, float(scores[top[0]]) / asked.certainty)
        numbers = top.tolist()
        likeness = self._meanings.likeness(meant, numbers)
        likeness[:, 1] *= unheld
        ranked = []
        for number, base, share, alike in zip(
            numbers, scores[top].tolist(), anywhere.tolist(), likeness.tolist(), strict=True
        ):
            features = evidence.candidate(
                self._fields, self._idf, asked, number, base, share, alike
            )
            ranked.append((rank_score(features), self.articles[number].id, number, features))
        ranked.sort(key=lambda item: (-item[0], item[1]))
        # The wording features only for those that can still come first or be shown.
        for place, (_, article_id, number, features) in enumerate(ranked[:WORDED]):
            evidence.wording(self._fields, asked, number, features)
            ranked[place] = (rank_score(features), article_id, number, features)
        ranked.sort(key=lambda item: (-item[0], item[1]))
        return asked, ranked

    def search(self, query: str, limit: int = 5, *, threshold: float | None = None) -> list[Hit]:
        """Best first; empty when nothing is a confident match."""
        ranking = self.rank(query, limit)
        if threshold is not None:
            ranking = dataclasses.replace(ranking, threshold=threshold)
        return ranking.answers

    def closest(self, query: str, limit: int = 3) -> list[Hit]:
        """The nearest articles even when none is confident, to offer as 'did you mean'."""
        return self.search(query, limit, threshold=0.0)
