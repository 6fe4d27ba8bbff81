"""Reading a caller's question: words, typo correction, word families and synonyms.

A query becomes a list of concepts. Each concept is what the caller said (one word, or a
phrase from the synonyms list) with the alternative phrasings it may match, each weighted by
how sure we are of it: 1 for the word as typed, less for a correction, a clipped word, a
relative from the same word family or a synonym.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import compress
from typing import NamedTuple

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from knowledge.synonyms import Phrase, Synonyms
from knowledge.text import STOP_WORDS, stem, words, zipf

MAX_QUERY_WORDS = 40
CORRECTION_WEIGHTS = {0: 1.0, 1: 0.85, 2: 0.7}
PREFIX_WEIGHT = 0.8
SYNONYM_WEIGHT = 0.9
FAMILY_WEIGHT = 0.6
FAMILY_EXTRA = 3  # letters a family member may add: "trade" -> "trader"
MAX_ALTERNATIVES = 5
REAL_WORD_DOUBT = 0.5
EVERYDAY_ZIPF = 3.5  # as common in English as "wine" or "bin"
SHORTHAND_WEIGHT = 0.7
SHORTHAND_SKIPS = 2  # consonants of the word the shorthand may leave out
SHORTHAND_READINGS = 3
VOWELS = frozenset("aeiou")
WORDS_REMEMBERED = 16_384  # words whose readings a reader keeps (QueryReader._options)


class Alternative(NamedTuple):  # made several times a question: a tuple is made in one step
    terms: Phrase
    weight: float
    # The words it stands for, as written, when the caller's were corrected ("hosue" read
    # as "house"): how telling a word is goes by the word meant, not by the slip.
    meant: tuple[str, ...] = ()


@dataclass(frozen=True)
class Concept:
    words: tuple[str, ...]  # as the caller typed them
    alternatives: list[Alternative]
    listed: bool = False  # a term from the synonyms list: jargon of the trade

    @property
    def meant(self) -> tuple[str, ...]:
        """The words as the caller meant them: a corrected slip as the word it stands for."""
        first = self.alternatives[0].meant if self.alternatives else ()
        if len(first) != len(self.words):
            return self.words
        return tuple(m or w for m, w in zip(first, self.words, strict=True))


def typo_allowance(word: str) -> int:
    """Edits forgiven in a word of this length: none for short words, where a typo is
    more often another word entirely."""
    if len(word) < 4:
        return 0
    if len(word) < 8:
        return 1
    return 2


class QueryReader:
    """Knows the knowledge base's vocabulary and turns queries into concepts."""

    def __init__(
        self, surface: Iterable[str], idf: Mapping[str, float], synonyms: Synonyms
    ) -> None:
        self._idf = idf
        self._synonyms = synonyms
        # Per first term, the longest synonyms-list phrase it begins: most words begin none,
        # and only as many spans as could match are tried (`_synonym_at`).
        self._longest_from: dict[str, int] = {}
        for key in synonyms.expansions:
            self._longest_from[key[0]] = max(self._longest_from.get(key[0], 0), len(key))
        # Typos are corrected against words as written, then stemmed: "premisis" is one edit
        # from "premises" but two from its stem.
        self._surface = sorted(set(surface) - STOP_WORDS)
        self._by_start: dict[tuple[int, int, str], list[str]] = {}
        for word in self._surface:
            for place, letter in enumerate(word[:2]):
                self._by_start.setdefault((len(word), place, letter), []).append(word)
        # The letters each word of a bucket uses, to rule words out cheaply (_corrections).
        uses = {word: _letters(word) for word in self._surface}
        self._bucket_letters = {
            key: np.array([uses[w] for w in bucket], dtype=np.uint64)
            for key, bucket in self._by_start.items()
        }
        self._known = {stem(w) for w in self._surface}
        self._family = _families(idf.keys())
        # What a word may stand for depends on the word alone (and this knowledge base, fixed
        # for the reader's life): callers' questions reuse the same few thousand words all
        # day, and a word's corrections are the dearest part of reading a question.
        self._remembered: dict[str, tuple[Alternative, ...]] = {}

    def read(self, query: str) -> list[Concept]:
        tokens = self._joined([w for w in words(query) if w not in STOP_WORDS][:MAX_QUERY_WORDS])
        options = [list(self._options(word)) for word in tokens]
        concepts: list[Concept] = []
        position = 0
        while position < len(tokens):
            size, alternatives = self._synonym_at(options, position)
            listed = size > 0
            if not listed:
                size, alternatives = 1, options[position]
            concepts.append(
                Concept(tuple(tokens[position : position + size]), alternatives, listed)
            )
            position += size
        return concepts

    def _joined(self, tokens: list[str]) -> list[str]:
        """Two words the knowledge base writes as one ("air bnb", "stair lift") read as
        that one word, when it does not use both of them apart (a web address's
        "housingregister" is no reason to read "housing register" as one word)."""
        joined: list[str] = []
        position = 0
        while position < len(tokens):
            word = tokens[position]
            if position + 1 < len(tokens) and self._one_word(word, tokens[position + 1]):
                word += tokens[position + 1]
                position += 1
            joined.append(word)
            position += 1
        return joined

    def _one_word(self, first: str, second: str) -> bool:
        known = self._idf
        both_apart = stem(first) in known and stem(second) in known
        return not both_apart and stem(first + second) in known

    def _options(self, word: str) -> tuple[Alternative, ...]:
        found = self._remembered.get(word)
        if found is None:
            if len(self._remembered) >= WORDS_REMEMBERED:
                self._remembered.clear()  # a bound, not a policy: the common words come back
            found = self._remembered[word] = self._word_options(word)
        return found

    def _word_options(self, word: str) -> tuple[Alternative, ...]:
        """The word itself and its family when an article uses it; otherwise its
        corrections, after the word itself when only the synonyms list knows it ("lever"
        may be a word of the list, or "leaver" mistyped)."""
        term = stem(word)
        if term in self._idf:
            family = [Alternative((t,), FAMILY_WEIGHT) for t in self._family.get(term, ())]
            return (Alternative((term,), 1.0), *family)
        corrections = [a for a in self._corrections(word) if a.terms != (term,)]
        if term in self._known:
            return (Alternative((term,), 1.0), *corrections)[: MAX_ALTERNATIVES + 1]
        return tuple(corrections)

    def _synonym_at(
        self, options: list[list[Alternative]], position: int
    ) -> tuple[int, list[Alternative]]:
        """The longest synonyms-list phrase starting here, with its expansions (0 if none)."""
        expansions = self._synonyms.expansions
        first = options[position]
        longest = self._longest_from.get(first[0].terms[0], 0) if first else 0
        for span in range(min(longest, len(options) - position), 0, -1):
            window = options[position : position + span]
            if not all(window):
                continue
            key = tuple(opts[0].terms[0] for opts in window)
            if key not in expansions:
                continue
            sure = min(opts[0].weight for opts in window)
            meant = tuple(opts[0].meant[0] if opts[0].meant else "" for opts in window)
            alternatives = [Alternative(key, sure, meant if any(meant) else ())]
            alternatives += [Alternative(p, sure * SYNONYM_WEIGHT) for p in expansions[key]]
            if span == 1:
                alternatives += options[position][1:]
            return span, alternatives
        return 0, []

    def _corrections(self, word: str) -> list[Alternative]:
        """Known words within the typo allowance, and words a clipped word begins."""
        found: dict[str, float] = {}
        meant: dict[str, str] = {}  # per term, the commonest word that spells it
        allowance = typo_allowance(word)
        # A word of everyday English ("wine", "bin") is more likely a subject the knowledge
        # base does not cover than a slip of the keys for one of its words ("line", "bid").
        doubt = REAL_WORD_DOUBT if zipf(word) >= EVERYDAY_ZIPF else 1.0
        if allowance:
            # Each edit changes at most two of the letters a word uses (a substitution
            # takes one away and brings another), so a word more than twice the allowance
            # of letters apart cannot be within it: those are left out before the edit
            # distance, the costliest part of a search in a big knowledge base, is asked.
            letters = np.uint64(_letters(word))
            for key, bucket in self._buckets(word, allowance):
                near = np.bitwise_count(self._bucket_letters[key] ^ letters) <= 2 * allowance
                if not near.all():
                    bucket = list(compress(bucket, near.tolist()))  # in their order
                    if not bucket:
                        continue
                for match, distance, _ in process.extract(
                    word, bucket, scorer=OSA.distance, score_cutoff=allowance, limit=8
                ):
                    term = stem(match)
                    sure = CORRECTION_WEIGHTS[distance] * doubt
                    found[term] = max(found.get(term, 0.0), sure)
                    meant[term] = _commoner(meant.get(term), match)
        for term, match in self._shorthand(word):
            if term not in found:
                found[term] = SHORTHAND_WEIGHT
                meant[term] = match
        if len(word) >= 3:
            start = bisect_left(self._surface, word)
            for match in self._surface[start : start + 8]:
                if not match.startswith(word):
                    break
                term = stem(match)
                found[term] = max(found.get(term, 0.0), PREFIX_WEIGHT)
                meant[term] = _commoner(meant.get(term), match)
        # Keep the closest few; of those as close, the word English uses more is the likelier
        # meant ("hosue" is "house" before "hose"), then by name.
        ranked = sorted(found.items(), key=lambda kv: (-kv[1], -zipf(meant[kv[0]]), kv[0]))
        return [Alternative((t,), w, (meant[t],)) for t, w in ranked[:MAX_ALTERNATIVES]]

    @functools.cached_property
    def _by_first(self) -> dict[str, str]:
        """Per first letter, the words one a line: a CSR's shorthand ("brkn", "cncl") is
        looked for in them with one regular expression (`_shorthand`). Made when the first
        shorthand is read, not at every build: most questions have none."""
        by_first: dict[str, list[str]] = {}
        for word in self._surface:
            by_first.setdefault(word[0], []).append(word)
        return {letter: "\n".join(found) for letter, found in by_first.items()}

    def _shorthand(self, word: str) -> list[tuple[str, str]]:
        """The knowledge base's words a CSR's shorthand may stand for: its letters in order,
        the vowels left out ("brkn" broken, "cncl" council, "hsg" housing), ending on the
        word's last consonant; the words this knowledge base uses most first."""
        if not (3 <= len(word) <= 5 and word.isascii() and word.isalpha()):
            return []
        if VOWELS & set(word[1:]) or zipf(word) >= EVERYDAY_ZIPF:
            return []
        lines = self._by_first.get(word[0])
        if not lines:
            return []
        pattern = "^" + "[^\n]*?".join(word) + "[^\n]*$"
        found = []
        for match in re.findall(pattern, lines, flags=re.M):
            if len(match) <= len(word) or _last_consonant(match) != word[-1]:
                continue
            if len(_skeleton(match)) - len(word) > SHORTHAND_SKIPS:
                continue
            term = stem(match)
            if term in self._idf:
                found.append((self._idf[term], match, term))
        found.sort()
        readings: dict[str, str] = {}
        for _, match, term in found:
            readings.setdefault(term, match)
        return list(readings.items())[:SHORTHAND_READINGS]

    def _buckets(
        self, word: str, allowance: int
    ) -> Iterator[tuple[tuple[int, int, str], list[str]]]:
        # Only words sharing one of the first two letters in either place: a typo rarely
        # hits both, and scanning a fraction of the vocabulary keeps this fast.
        keys = dict.fromkeys([(0, word[0]), (1, word[1]), (0, word[1]), (1, word[0])])
        for length in range(len(word) - allowance, len(word) + allowance + 1):
            for place, letter in keys:
                bucket = self._by_start.get((length, place, letter))
                if bucket:
                    yield (length, place, letter), bucket


def _skeleton(word: str) -> str:
    """The word's first letter and its consonants, doubles as one: "building" bldng."""
    rest = "".join(c for c in word[1:] if c not in VOWELS)
    return word[0] + re.sub(r"(.)\1+", r"\1", rest)


def _last_consonant(word: str) -> str:
    return next((c for c in reversed(word) if c not in VOWELS), "")


def _commoner(word: str | None, other: str) -> str:
    if word is None:
        return other
    return max(word, other, key=lambda w: (zipf(w), w))


# A bit a letter or digit; anything else shares the last (which only lets more through).
_BITS = {c: n for n, c in enumerate("abcdefghijklmnopqrstuvwxyz0123456789")}


def _letters(word: str) -> int:
    """The letters a word uses, as bits."""
    bits = 0
    for char in set(word):
        bits |= 1 << _BITS.get(char, 63)
    return bits


def _families(terms: Collection[str]) -> dict[str, list[str]]:
    """Word families the stemmer leaves apart: "trade"/"trader", "appli"/"applic"."""
    family: dict[str, list[str]] = {}
    ordered = sorted(terms)
    for position, short in enumerate(ordered):
        if len(short) < 4:
            continue
        for longer in ordered[position + 1 : position + 12]:
            if not longer.startswith(short):
                break
            if len(longer) - len(short) <= FAMILY_EXTRA:
                family.setdefault(short, []).append(longer)
                family.setdefault(longer, []).append(short)
    return family
