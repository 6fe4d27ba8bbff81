"""Fuzzy search over the articles, built for hurried typing and callers' own words.

How a query is read:
1. fold case and accents, drop stop words, stem (plurals and word forms meet);
2. correct each word that the knowledge base does not use against its vocabulary, with an
   edit allowance that grows with word length (as Meilisearch and Typesense do), and let a
   clipped word ("accom") stand for the words it begins;
3. expand abbreviations, jargon and caller phrasing from `synonyms.yaml`;
4. score each article by how much of the query's weight (IDF) it covers, field-weighted
   (title > keywords > category > body); an unknown word still counts against every article,
   which is what makes an unrelated question abstain;
5. re-rank the best candidates with a fuzzy comparison of the query against title and keywords.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA
from wordfreq import zipf_frequency

from knowledge import BUNDLED_SYNONYMS
from knowledge.article import Article
from knowledge.synonyms import Phrase, Synonyms, load_synonyms
from knowledge.text import STOP_WORDS, stem, words

DEFAULT_THRESHOLD = 0.45
MAX_QUERY_WORDS = 40
FIELD_WEIGHTS = {"title": 1.0, "keywords": 0.85, "category": 0.45, "body": 0.35}
CORRECTION_WEIGHTS = {1: 0.85, 2: 0.7}
PREFIX_WEIGHT = 0.8
SYNONYM_WEIGHT = 0.9
UNKNOWN_WORD_WEIGHT = 0.8
UNKNOWN_ZIPF = 6.0
UNKNOWN_SPREAD = 3.0
FAMILY_WEIGHT = 0.6
CONCEPT_DECAY = 0.9
FAMILY_EXTRA = 3
INFORMATIVE_ZIPF = 6.5
INFORMATIVE_FLOOR = 0.3
RERANK_DEPTH = 25
TITLE_SHARE = 0.25
FUZZY_SHARE = 0.15


@dataclass(frozen=True)
class Hit:
    article: Article
    score: float


@dataclass(frozen=True)
class _Alternative:
    terms: Phrase
    weight: float


@dataclass(frozen=True)
class _Concept:
    words: tuple[str, ...]  # as the caller typed them
    alternatives: list[_Alternative]


def _unknown_weight(word: str) -> float:
    """How much an unknown word counts: fully for rare words ("pothole"), little for
    everyday ones ("today", "husband") that callers use around the real question."""
    zipf = zipf_frequency(word, "en", wordlist="small")
    return UNKNOWN_WORD_WEIGHT * min(1.0, max(0.1, (UNKNOWN_ZIPF - zipf) / UNKNOWN_SPREAD))


def _informativeness(word: str) -> float:
    return min(
        1.0,
        max(
            INFORMATIVE_FLOOR,
            (INFORMATIVE_ZIPF - zipf_frequency(word, "en", wordlist="small")) / 2.0,
        ),
    )


def typo_allowance(word: str) -> int:
    """Edits forgiven in a word of this length: none for short words, where a typo is
    more often another word entirely."""
    if len(word) < 4:
        return 0
    if len(word) < 8:
        return 1
    return 2


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
        self._titles: list[set[str]] = []
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
            self._titles.append(set(stems["title"]))

        count = len(self.articles)
        self._postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._idf: dict[str, float] = {}
        for term, postings in best.items():
            docs = np.fromiter(postings.keys(), dtype=np.int32, count=len(postings))
            weights = np.fromiter(postings.values(), dtype=np.float32, count=len(postings))
            self._postings[term] = (docs, weights)
            self._idf[term] = math.log(1 + (count - len(postings) + 0.5) / (len(postings) + 0.5))
        self._max_idf = math.log(1 + (count + 0.5) / 0.5)
        # Typos are corrected against words as written, then stemmed: "premisis" is one edit
        # from "premises" but two from its stem.
        surface -= STOP_WORDS
        self._surface = sorted(surface)
        self._by_length: dict[int, list[str]] = {}
        for word in self._surface:
            self._by_length.setdefault(len(word), []).append(word)
        self._known = {stem(w) for w in surface}
        self._longest_synonym = self.synonyms.longest
        # Word families the stemmer leaves apart: "trade"/"trader", "appli"/"applic".
        self._family: dict[str, list[str]] = {}
        stems = sorted(self._postings)
        for position, short in enumerate(stems):
            if len(short) < 4:
                continue
            for longer in stems[position + 1 : position + 12]:
                if not longer.startswith(short):
                    break
                if len(longer) - len(short) <= FAMILY_EXTRA:
                    self._family.setdefault(short, []).append(longer)
                    self._family.setdefault(longer, []).append(short)

    # -- reading the query --------------------------------------------------------------

    def _corrections(self, word: str) -> list[_Alternative]:
        """Known words within the typo allowance, and words a clipped word begins."""
        found: dict[str, float] = {}
        allowance = typo_allowance(word)
        if allowance:
            candidates: list[str] = []
            for length in range(len(word) - allowance, len(word) + allowance + 1):
                candidates.extend(self._by_length.get(length, ()))
            for match, distance, _ in process.extract(
                word, candidates, scorer=OSA.distance, score_cutoff=allowance, limit=8
            ):
                term = stem(match)
                found[term] = max(found.get(term, 0.0), CORRECTION_WEIGHTS.get(distance, 0.5))
        if len(word) >= 3:
            start = bisect_left(self._surface, word)
            for match in self._surface[start : start + 8]:
                if not match.startswith(word):
                    break
                term = stem(match)
                found[term] = max(found.get(term, 0.0), PREFIX_WEIGHT)
        # Keep the closest few; ties go to the rarer (more telling) term, then by name.
        ranked = sorted(found.items(), key=lambda kv: (-kv[1], -self._idf.get(kv[0], 0.0), kv[0]))
        return [_Alternative((t,), w) for t, w in ranked[:5]]

    def _read(self, query: str) -> list[_Concept]:
        """The query as concepts, each a list of alternative phrasings with weights."""
        tokens = [w for w in words(query) if w not in STOP_WORDS][:MAX_QUERY_WORDS]
        stems = [stem(w) for w in tokens]
        # Per word: itself if known, otherwise its corrections.
        options: list[list[_Alternative]] = []
        for word, term in zip(tokens, stems, strict=True):
            if term in self._known:
                family = [_Alternative((t,), FAMILY_WEIGHT) for t in self._family.get(term, ())]
                options.append([_Alternative((term,), 1.0), *family])
            else:
                options.append(self._corrections(word))
        concepts: list[_Concept] = []
        position = 0
        longest = self._longest_synonym
        while position < len(stems):
            size = 1
            alternatives = options[position]
            for span in range(min(longest, len(stems) - position), 0, -1):
                window = options[position : position + span]
                if not all(window):
                    continue
                key = tuple(opts[0].terms[0] for opts in window)
                if key not in self.synonyms.expansions:
                    continue
                base = min(opts[0].weight for opts in window)
                alternatives = [_Alternative(key, base)]
                alternatives += [
                    _Alternative(phrase, base * SYNONYM_WEIGHT)
                    for phrase in self.synonyms.expansions[key]
                ]
                if span == 1:
                    alternatives += options[position][1:]
                size = span
                break
            concepts.append(_Concept(tuple(tokens[position : position + size]), alternatives))
            position += size
        return concepts

    # -- scoring --------------------------------------------------------------------------

    def _phrase_scores(self, phrase: Phrase, count: int) -> tuple[np.ndarray, float]:
        """Per article, the share of the phrase's weight it holds (0..1, fields weighted),
        and the phrase's typical IDF (0 when the knowledge base has none of its words)."""
        scores = np.zeros(count, dtype=np.float32)
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
            present += idf
            whole += idf
        if not present:
            return scores, 0.0
        return scores / whole, present / len(phrase)

    def _score(self, concepts: list[_Concept]) -> np.ndarray:
        count = len(self.articles)
        parts: list[tuple[float, np.ndarray | None]] = []
        for concept in concepts:
            best = np.zeros(count, dtype=np.float32)
            strength = 0.0
            for alternative in concept.alternatives:
                shares, idf = self._phrase_scores(alternative.terms, count)
                if idf:
                    np.maximum(best, shares * alternative.weight, out=best)
                    strength = max(strength, idf)
            if strength == 0.0:
                # Nothing in the knowledge base speaks of this: the rarer the word in English,
                # the surer it is that the question is about something we do not cover.
                strength = max(_unknown_weight(w) for w in concept.words) * self._max_idf
                parts.append((strength, None))
                continue
            # Everyday words ("now", "money") tell less than rare ones, even when the
            # knowledge base happens to use them seldom; a phrase ("no water") says more
            # than any of its words alone.
            strength *= min(1.0, sum(_informativeness(w) for w in concept.words))
            parts.append((strength, best))
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
        concepts = self._read(query)
        if not concepts:
            return []
        scores = self._score(concepts)
        depth = min(len(scores), max(RERANK_DEPTH, limit))
        top = (
            np.argpartition(-scores, depth - 1)[:depth]
            if depth < len(scores)
            else np.arange(len(scores))
        )
        reading = " ".join(
            max(c.alternatives, key=lambda a: a.weight).terms[0] for c in concepts if c.alternatives
        )
        asked: dict[str, float] = {}
        for concept in concepts:
            for alternative in concept.alternatives:
                for term in alternative.terms:
                    asked[term] = max(asked.get(term, 0.0), alternative.weight)
        ranked = []
        for number in top:
            base = float(scores[number])
            if base <= 0.0:
                continue
            fuzzy = fuzz.token_set_ratio(reading, self._labels[number]) / 100.0 if reading else 0.0
            title = self._titles[number]
            weight = sum(self._idf.get(t, 0.0) for t in title) or 1.0
            covered = sum(self._idf.get(t, 0.0) * asked.get(t, 0.0) for t in title) / weight
            # A title the query covers wholly beats a longer one that merely contains it.
            lift = min(1.0, base * 2)
            score = (1 - TITLE_SHARE - FUZZY_SHARE) * base + (
                TITLE_SHARE * covered + FUZZY_SHARE * fuzzy
            ) * lift
            ranked.append((round(score, 4), self.articles[number].id, int(number)))
        ranked.sort(key=lambda item: (-item[0], item[1]))
        return [
            Hit(self.articles[number], score)
            for score, _, number in ranked[:limit]
            if score >= threshold
        ]

    def closest(self, query: str, limit: int = 3) -> list[Hit]:
        """The nearest articles even when none is confident, to offer as 'did you mean'."""
        return self.search(query, limit, threshold=0.0)


def search_many(index: SearchIndex, queries: Sequence[str], limit: int = 5) -> list[list[Hit]]:
    return [index.search(q, limit) for q in queries]
