"""What a candidate article has going for it, on scales that mean the same in any
knowledge base: the features the ranking and the answerability model read.

Each feature lies between 0 and 1 and is relative to the question or to the article
itself, never to how many keywords a knowledge base has or how long its articles are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz, process

from knowledge.query import Concept

RANK_FEATURES = ("base", "title", "fuzzy", "phrase", "near", "label", "anywhere")
PHRASE_FLOOR = 0.9


@dataclass(frozen=True)
class Part:
    concept: Concept
    strength: float
    shares: np.ndarray | None  # per article; None when no article holds any of it


@dataclass
class Labels:
    """Per article, what the features compare the question with."""

    label: list[str] = field(default_factory=list)  # title and keyword stems, for fuzzy
    label_terms: list[frozenset[str]] = field(default_factory=list)  # + phrasings
    titles: list[dict[str, float]] = field(default_factory=list)  # stem -> informativeness
    keyword_phrases: list[list[str]] = field(default_factory=list)  # as written
    sequences: list[str] = field(default_factory=list)  # every field's stems in order


@dataclass(frozen=True)
class Question:
    concepts: list[Concept]
    parts: list[Part]
    asked: dict[str, float]  # every term it may match, with how sure
    reading: str  # the likeliest reading, one term a concept
    said: str  # the words as typed, stop words and all
    pairs: list[tuple[list[str], float]]  # neighbouring concepts as word pairs, weighed
    total: float  # the question's whole weight


def question(concepts: list[Concept], parts: list[Part], said: str) -> Question:
    asked: dict[str, float] = {}
    for concept in concepts:
        for alternative in concept.alternatives:
            for term in alternative.terms:
                asked[term] = max(asked.get(term, 0.0), alternative.weight)
    reading = " ".join(
        max(c.alternatives, key=lambda a: a.weight).terms[0] for c in concepts if c.alternatives
    )
    strength = {id(part.concept): part.strength for part in parts}
    pairs = []
    for first, second in zip(concepts, concepts[1:], strict=False):
        if first.alternatives and second.alternatives:
            # Either order: "street naming" is said as "naming of streets" too.
            found = [
                pair
                for a in first.alternatives[:2]
                for b in second.alternatives[:2]
                for pair in (f" {a.terms[-1]} {b.terms[0]} ", f" {b.terms[-1]} {a.terms[0]} ")
            ]
            pairs.append((found, min(strength[id(first)], strength[id(second)])))
    total = sum(part.strength for part in parts) or 1.0
    return Question(concepts, parts, asked, reading, said, pairs, total)


def candidate(labels: Labels, idf: dict[str, float], q: Question, number: int, base: float):
    """The ranking features of one article for the question (RANK_FEATURES, in order)."""
    # A title the question covers wholly beats a longer one that merely contains it.
    title = labels.titles[number]
    weight = sum(idf.get(t, 0.0) * w for t, w in title.items()) or 1.0
    covered = sum(idf.get(t, 0.0) * w * q.asked.get(t, 0.0) for t, w in title.items())
    fuzzy = fuzz.token_set_ratio(q.reading, labels.label[number]) / 100.0 if q.reading else 0.0
    # A keyword phrase the caller said almost word for word ("on my own").
    phrase = 0.0
    if labels.keyword_phrases[number]:
        match = process.extractOne(
            q.said,
            labels.keyword_phrases[number],
            scorer=fuzz.partial_ratio,
            score_cutoff=PHRASE_FLOOR * 100,
        )
        if match is not None:
            phrase = (match[1] / 100.0 - PHRASE_FLOOR) / (1 - PHRASE_FLOOR)
    # Two words of the question side by side in the article ("housing register").
    near = 0.0
    if q.pairs:
        sequence = labels.sequences[number]
        together = sum(w for found, w in q.pairs if any(f in sequence for f in found))
        near = together / (sum(w for _, w in q.pairs) or 1.0)
    # How much of the question is in the article's own title, keywords or phrasings, and
    # how much anywhere in it at all.
    names = labels.label_terms[number]
    label = anywhere = 0.0
    for part in q.parts:
        if part.shares is not None and part.shares[number] > 0:
            anywhere += part.strength
        sure = max(
            (a.weight for a in part.concept.alternatives if set(a.terms) <= names), default=0.0
        )
        label += part.strength * sure
    return (base, covered / weight, fuzzy, phrase, near, label / q.total, anywhere / q.total)
