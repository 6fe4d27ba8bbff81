"""Building the index: which article holds which word, in which field and how strongly.

Each article's fields are read once into stems; an article's weight for a word combines
every field that holds it (noisy-or: each further field adds to the evidence, so a word in
the opening and all through the body can rival one in another article's title). The body
counts by how much it dwells on a word against the knowledge base's own typical length
(BM25's saturation): a passing mention in a long article tells little, a word it keeps
returning to tells a lot. Its opening is where an article says what it is about, so it
counts like a keyword would in a KB that has none.

Postings are kept as compact arrays per word (article numbers, weights), appended as each
article is read, rather than a dict per word: a 50,000-article base fits in a few hundred
megabytes and builds in seconds.
"""

from __future__ import annotations

import functools
import math
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from wordfreq import zipf_frequency

from knowledge.article import Article
from knowledge.evidence import Labels
from knowledge.text import STOP_WORDS, stem, terms, words

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
LEAD_WORDS = 25
BODY_K1 = 1.2
BODY_B = 0.75
INFORMATIVE_ZIPF = 6.5
INFORMATIVE_FLOOR = 0.3


@functools.lru_cache(maxsize=65_536)
def informativeness(word: str) -> float:
    """How much a known word tells, 0.3 to 1: "now" and "money" little, "arrears" fully."""
    zipf = zipf_frequency(word, "en", wordlist="small")
    return min(1.0, max(INFORMATIVE_FLOOR, (INFORMATIVE_ZIPF - zipf) / 2.0))


@dataclass
class Built:
    postings: dict[str, tuple[np.ndarray, np.ndarray]]  # word -> (articles, weights)
    idf: dict[str, float]
    max_idf: float  # the IDF a word no article holds would have
    labels: Labels
    surface: set[str]  # words as written, for typo correction


def build(articles: Sequence[Article], surface: set[str]) -> Built:
    labels = Labels()
    read: list[tuple[list[tuple[list[str], float]], list[str]]] = []
    titles: list[dict[str, float]] = []
    for article in articles:
        stems: dict[str, list[str]] = {}
        for name, text in (
            ("title", article.title),
            ("keywords", " ".join(article.keywords)),
            ("phrasings", " ".join(article.phrasings)),
            ("category", article.category),
            ("body", article.body),
        ):
            found = [w for w in words(text) if w not in STOP_WORDS]
            surface.update(found)
            stems[name] = list(map(stem, found))
        body = stems.pop("body")
        read.append(([(s, FIELD_WEIGHTS[name]) for name, s in stems.items()], body))
        # Every field's words in order, to find two words of the question side by side.
        labels.sequences.append(
            f" {' '.join(stems['title'])} | {' '.join(stems['keywords'])} | "
            f"{' '.join(stems['phrasings'])} | {' '.join(body)} "
        )
        labels.label.append(" ".join(stems["title"] + stems["keywords"]))
        labels.label_terms.append(frozenset(stems["title"] + stems["keywords"]))
        labels.asked.append([frozenset(terms(p)) for p in article.phrasings])
        titles.append(
            {stem(w): informativeness(w) for w in words(article.title) if w not in STOP_WORDS}
        )
        labels.keyword_phrases.append(
            [" ".join(w) for w in map(words, article.keywords) if len(w) >= 2]
        )

    average = sum(len(body) for _, body in read) / max(1, len(read)) or 1.0
    lists: dict[str, tuple[array, array]] = {}
    for number, (fields, body) in enumerate(read):
        norm = BODY_K1 * (1 - BODY_B + BODY_B * len(body) / average)
        body_weight = FIELD_WEIGHTS["body"]
        fields.append((body[:LEAD_WORDS], FIELD_WEIGHTS["lead"]))
        # Kept as the chance the article does NOT hold the word (the product of each
        # field's), turned into the chance it does at the end: one multiplication a field.
        missing: dict[str, float] = {
            term: 1.0 - body_weight * tf / (tf + norm) for term, tf in Counter(body).items()
        }
        get = missing.get
        for stems, weight in fields:
            keep = 1.0 - weight
            for term in set(stems):
                missing[term] = get(term, 1.0) * keep
        held = {term: 1.0 - left for term, left in missing.items()}
        for term, weight in held.items():
            pair = lists.get(term)
            if pair is None:
                pair = lists[term] = (array("i"), array("f"))
            pair[0].append(number)
            pair[1].append(weight)

    count = len(articles)
    postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    idf: dict[str, float] = {}
    for term, (docs, weights) in lists.items():
        postings[term] = (np.frombuffer(docs, dtype=np.int32), np.frombuffer(weights, np.float32))
        idf[term] = math.log(1 + (count - len(docs) + 0.5) / (len(docs) + 0.5))
    labels.asked = [
        [(phrase, sum(idf.get(t, 0.0) for t in phrase) or 1.0) for phrase in asked]
        for asked in labels.asked
    ]
    for title in titles:
        weighed = tuple((t, idf.get(t, 0.0) * w) for t, w in title.items())
        labels.titles.append((weighed, sum(w for _, w in weighed) or 1.0))
    return Built(postings, idf, math.log(1 + (count + 0.5) / 0.5), labels, surface)
