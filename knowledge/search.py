"""Fuzzy search over the articles, built for hurried typing and callers' own words.

`knowledge.query` reads the question into concepts (typos corrected, synonyms expanded).
Each article then scores the share of the question's weight it covers:
- a concept weighs its rarity in the knowledge base (IDF), tempered by how everyday the word
  is in English (wordfreq), so "pothole" counts and "today" hardly does;
- fields count title > keywords > category > body, and a phrase only partly present counts
  for less than its share;
- a word no article uses still counts against every article, which is what makes an
  unrelated question abstain.
The best candidates are re-ranked on how much of their title the question covers, a fuzzy
comparison with title and keywords, and keyword phrases said almost word for word.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process
from wordfreq import zipf_frequency

from knowledge import BUNDLED_SYNONYMS
from knowledge.article import Article
from knowledge.query import MAX_QUERY_WORDS, Concept, QueryReader
from knowledge.synonyms import Phrase, Synonyms, load_synonyms
from knowledge.text import STOP_WORDS, stem, words

DEFAULT_THRESHOLD = 0.42
FIELD_WEIGHTS = {"title": 1.0, "keywords": 0.85, "category": 0.45, "body": 0.35}
UNKNOWN_WORD_WEIGHT = 0.8
UNKNOWN_ZIPF = 6.0
UNKNOWN_SPREAD = 3.0
CONCEPT_DECAY = 0.9
PHRASE_EXTRA = 0.5
PARTIAL_PHRASE_POWER = 2.0
INFORMATIVE_ZIPF = 6.5
INFORMATIVE_FLOOR = 0.3
RERANK_DEPTH = 25
TITLE_SHARE = 0.2
FUZZY_SHARE = 0.1
PHRASE_SHARE = 0.05
BASE_SHARE = 1.0 - TITLE_SHARE - FUZZY_SHARE - PHRASE_SHARE
PHRASE_FLOOR = 0.9


@dataclass(frozen=True)
class Hit:
    article: Article
    score: float


@functools.lru_cache(maxsize=65_536)  # the same few thousand words, asked all day
def _unknown_weight(word: str) -> float:
    """How much an unknown word counts: fully for rare words ("pothole"), little for
    everyday ones ("today", "husband") that callers use around the real question."""
    zipf = zipf_frequency(word, "en", wordlist="small")
    return UNKNOWN_WORD_WEIGHT * min(1.0, max(0.1, (UNKNOWN_ZIPF - zipf) / UNKNOWN_SPREAD))


@functools.lru_cache(maxsize=65_536)
def _informativeness(word: str) -> float:
    """How much a known word tells, 0.3 to 1: "now" and "money" little, "arrears" fully."""
    zipf = zipf_frequency(word, "en", wordlist="small")
    return min(1.0, max(INFORMATIVE_FLOOR, (INFORMATIVE_ZIPF - zipf) / 2.0))


def _best_possible(base: float) -> float:
    """The highest final score an article with this base score could reach."""
    return BASE_SHARE * base + (1.0 - BASE_SHARE) * min(1.0, base * 2)


class SearchIndex:
    """An in-memory index of articles. Building it needs no database and no Slack."""

    def __init__(
        self,
        articles: Iterable[Article],
        *,
        synonyms: Synonyms | str | Path | None = None,
        threshold: float = DEFAULT_THRESHOLD,
    ):
        self.articles: list[Article] = list(articles)
        self.threshold = threshold
        if synonyms is None:
            synonyms = load_synonyms(BUNDLED_SYNONYMS) if BUNDLED_SYNONYMS.exists() else Synonyms()
        elif isinstance(synonyms, str | Path):
            synonyms = load_synonyms(synonyms)
        self.synonyms = synonyms
        self._build()

    def __len__(self) -> int:
        return len(self.articles)

    # -- building -----------------------------------------------------------------------

    def _build(self) -> None:
        best: dict[str, dict[int, float]] = {}
        self._labels: list[str] = []
        self._titles: list[dict[str, float]] = []
        # Keyword phrases as written, stop words and all, for the re-rank.
        self._keyword_phrases: list[list[str]] = []
        surface: set[str] = set(self.synonyms.words)
        for number, article in enumerate(self.articles):
            fields = {
                "title": article.title,
                "keywords": " ".join(article.keywords),
                "category": article.category,
                "body": article.body,
            }
            stems: dict[str, list[str]] = {}
            for name, text in fields.items():
                found = [w for w in words(text) if w not in STOP_WORDS]
                surface.update(found)
                stems[name] = [stem(w) for w in found]
                weight = FIELD_WEIGHTS[name]
                for term in set(stems[name]):
                    postings = best.setdefault(term, {})
                    if postings.get(number, 0.0) < weight:
                        postings[number] = weight
            self._labels.append(" ".join(stems["title"] + stems["keywords"]))
            self._titles.append(
                {stem(w): _informativeness(w) for w in words(article.title) if w not in STOP_WORDS}
            )
            self._keyword_phrases.append(
                [" ".join(w) for w in map(words, article.keywords) if len(w) >= 2]
            )

        count = len(self.articles)
        self._postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._idf: dict[str, float] = {}
        for term, postings in best.items():
            docs = np.fromiter(postings.keys(), dtype=np.int32, count=len(postings))
            weights = np.fromiter(postings.values(), dtype=np.float32, count=len(postings))
            self._postings[term] = (docs, weights)
            self._idf[term] = math.log(1 + (count - len(postings) + 0.5) / (len(postings) + 0.5))
        self._max_idf = math.log(1 + (count + 0.5) / 0.5)
        self._reader = QueryReader(surface, self._idf, self.synonyms)

    # -- scoring --------------------------------------------------------------------------

    def _phrase_scores(self, phrase: Phrase, count: int) -> tuple[np.ndarray, float]:
        """Per article, the share of the phrase's weight it holds (0..1, fields weighted),
        and the phrase's typical IDF (0 when the knowledge base has none of its words)."""
        scores = np.zeros(count, dtype=np.float32)
        covered = np.zeros(count, dtype=np.float32) if len(phrase) > 1 else None
        present = 0.0
        whole = 0.0
        for term in phrase:
            posting = self._postings.get(term)
            if posting is None:
                whole += self._max_idf
                continue
            idf = self._idf[term]
            docs, weights = posting
            scores[docs] += weights * idf
            if covered is not None:
                covered[docs] += idf
            present += idf
            whole += idf
        if not present:
            return scores, 0.0
        scores /= whole
        if covered is not None:
            # Half a phrase is less than half the meaning: "council tax bill" is not
            # answered by an article that only says "council tax".
            scores *= (covered / whole) ** (PARTIAL_PHRASE_POWER - 1)
        return scores, present / len(phrase)

    def _strength(self, concept: Concept) -> float:
        """How much this part of the question weighs, from what the caller typed (or its
        correction); synonyms only widen what it matches."""
        typed = concept.alternatives[0].terms if concept.alternatives else ()
        if len(typed) != len(concept.words):
            typed = tuple(stem(w) for w in concept.words)
        weights = []
        for word, term in zip(concept.words, typed, strict=True):
            if term in self._idf:
                # Everyday words ("now", "money") tell less than rare ones, even when the
                # knowledge base happens to use them seldom.
                weights.append(self._idf[term] * _informativeness(word))
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

    def _score(self, concepts: list[Concept]) -> np.ndarray:
        count = len(self.articles)
        parts: list[tuple[float, np.ndarray | None]] = []
        for concept in concepts:
            best = np.zeros(count, dtype=np.float32)
            for alternative in concept.alternatives:
                shares, idf = self._phrase_scores(alternative.terms, count)
                if idf:
                    np.maximum(best, shares * alternative.weight, out=best)
            strength = self._strength(concept)
            parts.append((strength, best if best.any() else None))
        # The strongest words carry the question; in a long, chatty one each further word
        # counts for less, so filler does not drown the words that matter.
        parts.sort(key=lambda part: -part[0])
        total = np.zeros(count, dtype=np.float32)
        denominator = 0.0
        for rank, (strength, best) in enumerate(parts):
            strength *= CONCEPT_DECAY**rank
            if best is not None:
                total += best * strength
            denominator += strength
        if denominator:
            total /= denominator
        return total

    def search(self, query: str, limit: int = 5, *, threshold: float | None = None) -> list[Hit]:
        """Best first; empty when nothing is a confident match."""
        if not self.articles or limit <= 0:
            return []
        threshold = self.threshold if threshold is None else threshold
        concepts = self._reader.read(query)
        if not concepts:
            return []
        scores = self._score(concepts)
        depth = min(len(scores), max(RERANK_DEPTH, limit))
        top = np.argpartition(-scores, depth - 1)[:depth]
        top = top[np.argsort(-scores[top], kind="stable")]
        asked: dict[str, float] = {}
        for concept in concepts:
            for alternative in concept.alternatives:
                for term in alternative.terms:
                    asked[term] = max(asked.get(term, 0.0), alternative.weight)
        reading = " ".join(
            max(c.alternatives, key=lambda a: a.weight).terms[0] for c in concepts if c.alternatives
        )
        said = " ".join(words(query)[:MAX_QUERY_WORDS])
        ranked: list[tuple[float, str, int]] = []
        for number in top.tolist():
            base = float(scores[number])
            if base <= 0.0:
                break
            if len(ranked) >= limit and _best_possible(base) < ranked[limit - 1][0]:
                break  # sorted by base: no later candidate can climb into the results
            score = round(self._rerank(number, base, asked, reading, said), 4)
            ranked.append((score, self.articles[number].id, number))
            ranked.sort(key=lambda item: (-item[0], item[1]))
        return [
            Hit(self.articles[number], score)
            for score, _, number in ranked[:limit]
            if score >= threshold
        ]

    def _rerank(
        self, number: int, base: float, asked: dict[str, float], reading: str, said: str
    ) -> float:
        # A title the query covers wholly beats a longer one that merely contains it.
        title = self._titles[number]
        weight = sum(self._idf.get(t, 0.0) * w for t, w in title.items()) or 1.0
        covered = sum(self._idf.get(t, 0.0) * w * asked.get(t, 0.0) for t, w in title.items())
        fuzzy = fuzz.token_set_ratio(reading, self._labels[number]) / 100.0 if reading else 0.0
        # A keyword phrase the caller said almost word for word ("on my own",
        # "between tenants"), stop words and all.
        phrase = 0.0
        if self._keyword_phrases[number]:
            match = process.extractOne(
                said,
                self._keyword_phrases[number],
                scorer=fuzz.partial_ratio,
                score_cutoff=PHRASE_FLOOR * 100,
            )
            if match is not None:
                phrase = (match[1] / 100.0 - PHRASE_FLOOR) / (1 - PHRASE_FLOOR)
        extra = TITLE_SHARE * covered / weight + FUZZY_SHARE * fuzzy + PHRASE_SHARE * phrase
        return BASE_SHARE * base + extra * min(1.0, base * 2)

    def closest(self, query: str, limit: int = 3) -> list[Hit]:
        """The nearest articles even when none is confident, to offer as 'did you mean'."""
        return self.search(query, limit, threshold=0.0)
