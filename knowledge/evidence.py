"""What a candidate article has going for it, on scales that mean the same in any
knowledge base: the features the ranking and the answerability model read.

Each feature lies between 0 and 1 and is relative to the question or to the article
itself, never to how many keywords a knowledge base has or how long its articles are.
"""

from __future__ import annotations

import math
from array import array
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
from rapidfuzz import fuzz, process

from knowledge.query import Concept

RANK_FEATURES = (
    "base",
    "title",
    "fuzzy",
    "phrase",
    "near",
    "anywhere",
    "again",
    "sense",
    "gist",
)
PHRASE_FLOOR = 0.9


class Part(NamedTuple):  # made several times a search: a tuple is made in one step
    concept: Concept
    strength: float
    shares: np.ndarray | None  # per article; None when no article holds any of it


SEPARATOR = "\0"  # between an article's fields, where stems are one character each
# Articles whose title and keywords are kept worked out (`Labels.about`): the same few
# hundred articles come up as candidates all day; a bound keeps a big knowledge base small
# (about 0.9 kB an article: 7 MB when full). At 50,000 articles the benchmark's 378
# questions bring up 4,213 different candidates, so a bound of 4,096 was emptied every
# pass and a tenth of each search went on working them out again.
ABOUT_REMEMBERED = 8_192


@dataclass(frozen=True)
class About:
    """What the features read of one article's title and keywords, worked out once: kept
    as a few strings and floats, so thousands of them cost a few megabytes."""

    title: str  # its distinct title stems, as characters (Labels)
    weights: tuple[float, ...]  # each one's weight
    label: str  # the title and keyword stems, spelled out, a space between
    phrases: tuple[str, ...]  # keyword phrases of two words or more, as written


@dataclass
class Labels:
    """Per article, what the features compare the question with. Stems are kept as one
    character each (the character whose code is the stem's number, `stems` and `numbers`
    translating): an article's words cost two bytes each, not a Python string each."""

    stems: list[str] = field(default_factory=list)  # by number (0: the separator)
    spelled: list[str] = field(default_factory=list)  # by number: the stem and a space
    written: list[str] = field(default_factory=list)  # by number: its shortest word written
    numbers: dict[str, int] = field(default_factory=dict)
    # Title, keywords, phrasings and body, in order, joined by SEPARATOR: two words of the
    # question side by side are two characters side by side.
    sequences: list[str] = field(default_factory=list)
    # Learned phrasings: each one's terms, and their summed IDF.
    asked: list = field(default_factory=list)
    # Per distinct title stem, in order: its weight (IDF x how telling the word is); the
    # articles' runs of them begin at title_starts, and title_totals holds each one's sum.
    title_weights: array = field(default_factory=lambda: array("d"))
    title_starts: array = field(default_factory=lambda: array("i", [0]))
    title_totals: array = field(default_factory=lambda: array("d"))
    keyword_phrases: list[str] = field(default_factory=list)  # as written, one a line
    _about: dict[int, About] = field(default_factory=dict, repr=False)

    def named(self, number: int) -> str:
        """The article's title and keyword stems as characters, SEPARATOR between."""
        sequence = self.sequences[number]
        return sequence[: sequence.index(SEPARATOR, sequence.index(SEPARATOR) + 1)]

    def label(self, number: int) -> str:
        """The article's title and keyword stems, in order, a space between."""
        # One C call: each stem's character becomes the stem and a space.
        return self.named(number).translate(self.spelled)[:-1]

    def about(self, number: int) -> About:
        """The article's title and keywords as the features read them, remembered."""
        found = self._about.get(number)
        if found is None:
            if len(self._about) >= ABOUT_REMEMBERED:
                self._about.clear()  # cheaper than tracking which was used last
            sequence = self.sequences[number]
            title = dict.fromkeys(sequence[: sequence.index(SEPARATOR)])
            start = self.title_starts[number]
            weights = self.title_weights[start : start + len(title)]
            phrases = self.keyword_phrases[number]
            found = self._about[number] = About(
                "".join(title),
                tuple(weights),
                self.label(number),
                tuple(phrases.split("\n")) if phrases else (),
            )
        return found


@dataclass(frozen=True)
class Question:
    concepts: list[Concept]
    parts: list[Part]
    asked: dict[str, float]  # every term it may match, with how sure
    reading: str  # the likeliest reading, one term a concept
    said: str  # the words as typed, stop words and all
    pairs: list[tuple[list[str], float]]  # neighbouring concepts as word pairs, weighed
    # (each pair as two stem characters: Labels)
    total: float  # the question's whole weight
    weight: float  # the summed IDF of its surest reading, to compare with a phrasing's
    asked_chars: dict[str, float]  # `asked`, by stem character, for the terms articles use
    paired: float = 1.0  # the pairs' summed weight (1 when there are none)
    # How sure the reading is, 0..1: a corrected slip weighs its correction's weight, so
    # an article's share over this is the share it holds as the question was meant.
    certainty: float = 1.0


def question(
    concepts: list[Concept], parts: list[Part], said: str, idf: dict[str, float], labels: Labels
) -> Question:
    asked: dict[str, float] = {}
    for concept in concepts:
        for alternative in concept.alternatives:
            for term in alternative.terms:
                asked[term] = max(asked.get(term, 0.0), alternative.weight)
    reading = " ".join(
        max(c.alternatives, key=lambda a: a.weight).terms[0] for c in concepts if c.alternatives
    )
    # Each term the articles use, as its stem character (Labels), looked up once: the pairs
    # below and `asked_chars` both read it.
    numbers = labels.numbers
    char = {term: chr(number) for term in asked if (number := numbers.get(term)) is not None}
    strength = {id(part.concept): part.strength for part in parts}
    pairs = []
    for first, second in zip(concepts, concepts[1:], strict=False):
        if first.alternatives and second.alternatives:
            # Either order: "street naming" is said as "naming of streets" too. A word no
            # article uses is side by side with nothing.
            found = [
                cx + cy
                for a in first.alternatives[:2]
                for b in second.alternatives[:2]
                for x, y in ((a.terms[-1], b.terms[0]), (b.terms[-1], a.terms[0]))
                if (cx := char.get(x)) and (cy := char.get(y))
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
    chars = {c: asked[term] for term, c in char.items()}
    paired = sum(w for _, w in pairs) or 1.0
    sure = sum(
        part.strength * max((a.weight for a in part.concept.alternatives), default=1)
        for part in parts
    )
    certainty = sure / total or 1.0
    return Question(
        concepts, parts, asked, reading, said, pairs, total, weight, chars, paired, certainty
    )


def candidate(
    labels: Labels,
    idf: dict[str, float],
    q: Question,
    number: int,
    base: float,
    anywhere: float,
    meant: list[float],
) -> list[float]:
    """The ranking features of one article for the question (RANK_FEATURES, in order),
    but for the three that compare wording (`wording` adds them): cheap enough for every
    candidate. `anywhere`, the share of the question it holds in any field, comes worked
    out for all candidates at once; `meant`, the question's likeness in meaning to its title
    and keywords and to all of it (`knowledge.meaning`), from the search."""
    # A title the question covers wholly beats a longer one that merely contains it.
    about = labels.about(number)
    asked = q.asked_chars
    covered = 0.0
    for char, telling in zip(about.title, about.weights, strict=True):
        if char in asked:
            covered += telling * asked[char]
    # The question asked before: the learned phrasing most like it, as the IDF-weighted
    # overlap of the two against the geometric mean of their weights (a cosine; synonyms
    # of the question count too, so it is capped at 1).
    again = 0.0
    for learned, learned_weight in labels.asked[number]:
        shared = sum(idf.get(t, 0.0) * q.asked[t] for t in learned if t in q.asked)
        if shared:
            again = max(again, min(1.0, shared / math.sqrt(learned_weight * q.weight)))
    title = covered / labels.title_totals[number]
    return [base, title, 0.0, 0.0, 0.0, anywhere, again, *meant]


def wording(labels: Labels, q: Question, number: int, features: list[float]) -> None:
    """Add the features that compare wording (fuzzy, phrase, near): dearer, so only for
    the candidates that can still come first."""
    about = labels.about(number)
    fuzzy = fuzz.token_set_ratio(q.reading, about.label) / 100.0 if q.reading else 0.0
    # A keyword phrase the caller said almost word for word ("on my own").
    phrase = 0.0
    if about.phrases:
        match = process.extractOne(
            q.said, about.phrases, scorer=fuzz.partial_ratio, score_cutoff=PHRASE_FLOOR * 100
        )
        if match is not None:
            phrase = (match[1] / 100.0 - PHRASE_FLOOR) / (1 - PHRASE_FLOOR)
    # Two words of the question side by side in the article ("housing register").
    near = 0.0
    if q.pairs:
        sequence = labels.sequences[number]
        together = sum(w for found, w in q.pairs if any(map(sequence.__contains__, found)))
        near = together / q.paired
    features[2:5] = (fuzzy, phrase, near)


def said_together(concept: Concept, sequence: str, numbers: dict[str, int]) -> bool:
    """Whether an article's words (`sequence`, Labels) hold one of the concept's readings
    as said: a word, or a phrase's words close together in one field, in any order ("street
    light", "lights in the street"), not "street" in one sentence and "lights" in another."""
    for alternative in concept.alternatives:
        chars = [numbers.get(term) for term in alternative.terms]
        if None in chars:
            continue
        run = "".join(map(chr, chars))
        if run in sequence or (len(run) > 1 and _close_together(run, sequence)):
            return True
    return False


def _close_together(run: str, sequence: str) -> bool:
    """Every word of the phrase within the phrase's length of its first word, either side
    (a word or two between them, stop words aside), in the same field."""
    reach = len(run)
    place = sequence.find(run[0])
    while place != -1:
        start = max(0, place - reach, sequence.rfind(SEPARATOR, 0, place) + 1)
        end = sequence.find(SEPARATOR, place, place + reach + 1)
        field = sequence[start : end if end != -1 else place + reach + 1]
        if all(char in field for char in run[1:]):
            return True
        place = sequence.find(run[0], place + 1)
    return False
