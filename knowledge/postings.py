"""Building the index: which article holds which word, in which field and how strongly.

Each article's fields are read once into stems; an article's weight for a word combines
every field that holds it (noisy-or: each further field adds to the evidence, so a word in
the opening and all through the body can rival one in another article's title). The body
counts by how much it dwells on a word against the knowledge base's own typical length
(BM25's saturation): a passing mention in a long article tells little, a word it keeps
returning to tells a lot. Its opening is where an article says what it is about, so it
counts like a keyword would in a KB that has none.

Every stem gets a number, and a field is kept as a string with one character a word (the
character whose code is the stem's number): counting, slicing and finding two words side
by side are then string operations in C, and an article's words cost two bytes each, not a
Python string each. The weights are worked out for all articles at once with numpy at the
end (the same arithmetic, in the same order, as one article at a time), and the postings
are one array of article numbers and one of weights, sliced per word: at 50,000 articles
the build takes about five seconds and its peak is about 150 MB above the articles.
"""

from __future__ import annotations

import functools
import math
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain, filterfalse

import numpy as np

from knowledge.article import Article
from knowledge.evidence import SEPARATOR, Labels
from knowledge.text import STOP_WORDS, stem, terms, words, zipf

FIELD_WEIGHTS = {
    "title": 1.0,
    "keywords": 0.85,
    # Learned questions: single words count for little (a caller's chatty words would pull
    # other questions in); the whole question asked again is the "again" feature.
    "phrasings": 0.3,
    "lead": 0.5,
    "category": 0.45,
    "body": 0.7,  # at most: a word the article dwells on; a passing mention about 0.3
}
# The order the fields' weights are multiplied in (it decides the last bits of a weight).
FIELD_ORDER = ("title", "keywords", "phrasings", "category", "lead")
LEAD_WORDS = 25
BODY_K1 = 1.2
BODY_B = 0.75
INFORMATIVE_ZIPF = 6.5
INFORMATIVE_FLOOR = 0.3
CHUNK = 1 << 16  # entries weighed at a time: working arrays stay a few MB
SLICES_REMEMBERED = 16_384  # terms whose postings slices are kept (`Postings.found`)


@functools.lru_cache(maxsize=65_536)
def informativeness(word: str) -> float:
    """How much a known word tells, 0.3 to 1: "now" and "money" little, "arrears" fully."""
    common = zipf(word)
    return min(1.0, max(INFORMATIVE_FLOOR, (INFORMATIVE_ZIPF - common) / 2.0))


Found = tuple[np.ndarray, np.ndarray, float]  # a term's articles, their weights, its IDF


class Postings:
    """Per word, the articles holding it (ascending) and how strongly: slices of two
    arrays, so fifty thousand words cost no fifty thousand pairs of array objects."""

    def __init__(
        self, numbers: dict[str, int], starts: np.ndarray, docs, weights, idf: dict[str, float]
    ) -> None:
        self._numbers = numbers
        self._starts = starts.tolist()
        self._docs = docs
        self._weights = weights
        self._idf = idf
        self._sliced: dict[str, Found] = {}

    def found(self, term: str) -> Found | None:
        """The term's articles, weights and IDF; None when no article holds it. The words
        of callers' questions repeat all day, so the slices are kept (within a bound)."""
        found = self._sliced.get(term)
        if found is None:
            number = self._numbers.get(term)
            if number is None:
                return None
            if len(self._sliced) >= SLICES_REMEMBERED:
                self._sliced.clear()  # cheaper than tracking which was used last
            start, end = self._starts[number], self._starts[number + 1]
            found = self._sliced[term] = (
                self._docs[start:end],
                self._weights[start:end],
                self._idf[term],
            )
        return found

    def __contains__(self, term: str) -> bool:
        return term in self._numbers

    def __len__(self) -> int:
        return len(self._numbers)


@dataclass
class Built:
    postings: Postings  # word -> (articles, weights, IDF)
    idf: dict[str, float]
    max_idf: float  # the IDF a word no article holds would have
    labels: Labels
    surface: set[str]  # words as written, for typo correction


class _Reader:
    """Words to one-character stems, each word stemmed once for the whole build."""

    def __init__(self) -> None:
        self.stems: list[str] = [""]  # by number; 0 is the separator between fields
        self.written: list[str] = [""]  # by number: the stem's shortest word as written
        self.numbers: dict[str, int] = {}
        self.chars: dict[str, str] = {}  # word as written -> its stem's character
        self._char = self.chars.__getitem__

    def field(self, found: list[str]) -> str:
        """The stop-word-free words, one character each."""
        try:
            return "".join(map(self._char, found))
        except KeyError:
            for word in found:
                if word not in self.chars:
                    self._add(word)
            return "".join(map(self._char, found))

    def _add(self, word: str) -> None:
        term = stem(word)
        number = self.numbers.get(term)
        if number is None:
            number = self.numbers[term] = len(self.stems)
            self.stems.append(term)
            self.written.append(word)
        elif (len(word), word) < (len(self.written[number]), self.written[number]):
            # The shortest spelling ("licence", not "licences"), whichever article came
            # first: a stem's meaning must not depend on the articles' order.
            self.written[number] = word
        self.chars[word] = chr(number)


def _content(text: str) -> list[str]:
    return _kept(words(text))


def _kept(found: Iterable[str]) -> list[str]:
    """The words that are not stop words, in order."""
    return list(filterfalse(STOP_WORDS.__contains__, found))


def build(articles: Sequence[Article], surface: set[str]) -> Built:
    labels = Labels()
    reader = _Reader()
    field = reader.field
    # Per article, its distinct stems (their numbers), each one's count in the body and
    # which fields hold it (a bit each, in FIELD_ORDER): weighed all at once at the end.
    # Flat arrays, not an object an article: thousands of small objects kept until the
    # end and then let go leave holes among the ones the index keeps, and the process
    # keeps the holes.
    # Two bytes an entry while they fit (fewer than 65,536 stems; a word said fewer than
    # 65,536 times in one body), four once they do not.
    held = array("H")
    counts = array("H")
    masks = bytearray()
    lengths = array("i")  # body words
    sizes = array("i")  # distinct stems
    title_weights = array("d")  # informativeness, per distinct title stem (idf at the end)
    title_starts = array("i", [0])
    for article in articles:
        title_words = _content(article.title)
        title = field(title_words)
        keyword_words = [words(k) for k in article.keywords]
        keywords = field(_kept(chain.from_iterable(keyword_words)))
        phrasings = field(_content(" ".join(article.phrasings)))
        category = field(_content(article.category))
        body = field(_content(article.body))
        # Every field's words in order, to find two words of the question side by side.
        labels.sequences.append(SEPARATOR.join((title, keywords, phrasings, body)))
        tf = Counter(body)
        mask = dict.fromkeys(tf, 0)
        for bit, text in enumerate((title, keywords, phrasings, category, body[:LEAD_WORDS])):
            for char in set(text):
                mask[char] = mask.get(char, 0) | 1 << bit
        if held.itemsize == 2 and len(reader.stems) > 0xFFFF:
            held = array("I", held)
        code = "utf-16-le" if held.itemsize == 2 else "utf-32-le"
        held.frombytes("".join(mask).encode(code, "surrogatepass"))
        try:
            counts.fromlist(list(tf.values()))
        except OverflowError:  # the array is left as it was
            counts = array("i", counts)
            counts.fromlist(list(tf.values()))
        counts.fromlist([0] * (len(mask) - len(tf)))
        masks.extend(mask.values())
        lengths.append(len(body))
        sizes.append(len(mask))
        # A title word weighs what its last spelling tells (as a dict keyed by stem keeps).
        telling = {char: informativeness(w) for char, w in zip(title, title_words, strict=True)}
        title_weights.extend(telling.values())
        title_starts.append(len(title_weights))
        labels.asked.append(
            [frozenset(terms(p)) for p in article.phrasings] if article.phrasings else ()
        )
        # One string, split when a candidate's wording is compared: far smaller than a tuple.
        labels.keyword_phrases.append("\n".join(" ".join(w) for w in keyword_words if len(w) >= 2))
    surface.update(reader.chars)
    arrays, frequency = _postings(reader, held, counts, masks, lengths, sizes)

    count = len(articles)
    idf = {
        term: math.log(1 + (count - df + 0.5) / (df + 0.5))
        for term, df in zip(reader.stems[1:], frequency[1:], strict=True)
    }
    labels.asked = [
        [(phrase, sum(idf.get(t, 0.0) for t in phrase) or 1.0) for phrase in asked] if asked else ()
        for asked in labels.asked
    ]
    by_number = [0.0, *idf.values()]
    for number, sequence in enumerate(labels.sequences):
        start, end = title_starts[number], title_starts[number + 1]
        title = dict.fromkeys(sequence[: sequence.index(SEPARATOR)])
        for place, char in enumerate(title, start):
            title_weights[place] = by_number[ord(char)] * title_weights[place]
        labels.title_totals.append(sum(title_weights[start:end]) or 1.0)
    labels.title_weights, labels.title_starts = title_weights, title_starts
    labels.stems, labels.numbers, labels.written = reader.stems, reader.numbers, reader.written
    labels.spelled = ["", *(term + " " for term in reader.stems[1:])]
    return Built(Postings(*arrays, idf), idf, math.log(1 + (count + 0.5) / 0.5), labels, surface)


def _postings(reader: _Reader, held: array, counts: array, masks: bytearray, lengths, sizes):
    """Every article's weight for every stem it holds, grouped by stem, and how many
    articles hold each stem (by number). A counting sort, a slice of entries at a time:
    each entry goes straight to its place among its stem's, so nothing as long as all
    the entries is made but the two arrays kept (at 50,000 articles a whole-array sort
    needed three more of 34 MB each, and the peak is what the process keeps)."""
    stems = len(reader.stems)
    numbers = np.frombuffer(held, dtype=np.uint16 if held.itemsize == 2 else np.uint32)
    tf_all = np.frombuffer(counts, dtype=np.uint16 if counts.itemsize == 2 else np.int32)
    mask_all = np.frombuffer(masks, dtype=np.uint8)
    entries = len(numbers)
    frequency = np.zeros(stems, dtype=np.int64)
    for start in range(0, entries, CHUNK):
        frequency += np.bincount(numbers[start : start + CHUNK], minlength=stems)
    starts = np.zeros(stems + 1, dtype=np.int64)
    np.cumsum(frequency, out=starts[1:])
    free = starts[:-1].copy()  # each stem's next free place
    ends = np.cumsum(np.frombuffer(sizes, np.int32), dtype=np.int64)  # each article's
    average = sum(lengths) / max(1, len(lengths)) or 1.0
    norms = BODY_K1 * (1 - BODY_B + BODY_B * np.frombuffer(lengths, np.int32) / average)
    # Article numbers as numpy's own index type: indexing with int32 converts them first,
    # which made each search spend three times as long gathering and scattering.
    all_docs = np.empty(entries, dtype=np.intp)
    all_weights = np.empty(entries, dtype=np.float32)
    body_weight = FIELD_WEIGHTS["body"]
    keeps = [1.0 - FIELD_WEIGHTS[name] for name in FIELD_ORDER]
    for start in range(0, entries, CHUNK):
        part = slice(start, start + CHUNK)
        key = numbers[part]
        docs = np.searchsorted(ends, np.arange(start, start + len(key)), side="right")
        tf = tf_all[part].astype(np.float64)
        mask = mask_all[part]
        # The chance the article does NOT hold the word: the body's (1 when the body lacks
        # it), then each field's multiplied in, in order, as one article at a time did.
        missing = 1.0 - body_weight * tf / (tf + norms[docs])
        for bit, keep in enumerate(keeps):
            np.multiply(missing, keep, out=missing, where=(mask & (1 << bit)).astype(bool))
        weights = (1.0 - missing).astype(np.float32)
        # Places in the order read, so each stem's articles stay in ascending order.
        order = np.argsort(key, kind="stable")
        sorted_key = key[order]
        rank = np.arange(len(order)) - np.searchsorted(sorted_key, sorted_key, side="left")
        place = free[sorted_key] + rank
        all_docs[place] = docs[order]
        all_weights[place] = weights[order]
        free += np.bincount(key, minlength=stems)
    # The views go first: an array cannot shrink while numpy looks into it.
    del numbers, tf_all, mask_all
    key = mask = None
    del held[:]
    del counts[:]
    del masks[:]
    return (reader.numbers, starts, all_docs, all_weights), frequency.tolist()
