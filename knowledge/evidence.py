"""What a candidate article has going for it, on scales that mean the same in any
knowledge base: the features the ranking and the answerability model read.

Each feature lies between 0 and 1 and is relative to the question or to the article
itself, never to how many keywords a knowledge base has or how long its articles are.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz, process

from knowledge.query import Concept

RANK_FEATURES = ("base", "title", "fuzzy", "phrase", "near", "label", "anywhere", "again")
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
    label_terms: list[frozenset[str]] = field(default_factory=list)  # title and keywords
    # Learned phrasings: each one's terms, and their summed IDF.
    asked: list = field(default_factory=list)
    # Per title word: its stem and its weight (IDF x how telling the word is), and the sum.
    titles: list[tuple[tuple[tuple[str, float], ...], float]] = field(default_factory=list)
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
    readings: list[tuple[float, list[tuple[frozenset[str], float]]]]  # per part, surest first
    weight: float  # the summed IDF of its surest reading, to compare with a phrasing's


def question(
    concepts: list[Concept], parts: list[Part], said: str, idf: dict[str, float]
) -> Question:
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
    weight = (
        sum(
            idf.get(t, 0.0)
            for t in {c.alternatives[0].terms[0] for c in concepts if c.alternatives}
        )
        or 1.0
    )
    readings = [
        (
            part.strength,
            sorted(
                ((frozenset(a.terms), a.weight) for a in part.concept.alternatives),
                key=lambda reading: -reading[1],
            ),
        )
        for part in parts
    ]
    return Question(concepts, parts, asked, reading, said, pairs, total, readings, weight)


def candidate(
    labels: Labels, idf: dict[str, float], q: Question, number: int, base: float, anywhere: float
) -> list[float]:
    """The ranking features of one article for the question (RANK_FEATURES, in order),
    but for the three that compare wording (`wording` adds them): cheap enough for every
    candidate. `anywhere`, the share of the question it holds in any field, comes worked
    out for all candidates at once."""
    # A title the question covers wholly beats a longer one that merely contains it.
    title, weight = labels.titles[number]
    asked = q.asked
    covered = 0.0
    for term, telling in title:
        if term in asked:
            covered += telling * asked[term]
    # The question asked before: the learned phrasing most like it, as the IDF-weighted
    # overlap of the two against the geometric mean of their weights (a cosine; synonyms
    # of the question count too, so it is capped at 1).
    again = 0.0
    for learned, learned_weight in labels.asked[number]:
        shared = sum(idf.get(t, 0.0) * q.asked[t] for t in learned if t in q.asked)
        if shared:
            again = max(again, min(1.0, shared / math.sqrt(learned_weight * q.weight)))
    # How much of the question is in the article's own title or keywords.
    names = labels.label_terms[number]
    label = 0.0
    for strength, readings in q.readings:
        for terms, sure in readings:
            if terms <= names:
                label += strength * sure
                break
    return [base, covered / weight, 0.0, 0.0, 0.0, label / q.total, anywhere, again]


def wording(labels: Labels, q: Question, number: int, features: list[float]) -> None:
    """Add the features that compare wording (fuzzy, phrase, near): dearer, so only for
    the candidates that can still come first."""
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
    features[2:5] = (fuzzy, phrase, near)
