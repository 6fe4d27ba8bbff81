"""Abbreviations a knowledge base defines for itself, learned when its index is built.

A council's articles say "Community Infrastructure Levy (CIL)" or tag an article with the
keyword "SPD" beside the title "Single person discount". Either way the knowledge base
has told us what its own abbreviation means, so a CSR who types "cil" or "spd" finds the
article without anyone editing the synonyms file.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from knowledge.article import Article
from knowledge.text import STOP_WORDS, words, zipf

# "Full Name (ABBR)": the abbreviation in brackets, 2 to 8 letters, at least two capitals
# (so "(see below)" or "(Monday)" is not read as one).
DEFINED = re.compile(r"\(\s*([A-Za-z][A-Za-z0-9&]{1,7})\s*\)")
CAPITALS = re.compile(r"[A-Z].*[A-Z]")
LOOK_BACK = 10  # words before the brackets that may spell the abbreviation
EVERYDAY_ZIPF = 4.0  # "TEN", "CAT", "ERA": also ordinary words, not learned


def learn(articles: Iterable[Article]) -> dict[str, set[str]]:
    """Abbreviation (lower case) -> the phrases it stands for in these articles."""
    spelled: list[tuple[str, str]] = []
    for article in articles:
        for text in (article.title, article.body, *article.keywords):
            for match in DEFINED.finditer(text):
                abbreviation = match.group(1)
                if not CAPITALS.search(abbreviation):
                    continue
                before = words(text[max(0, match.start() - 200) : match.start()])
                phrase = _spelled(abbreviation.lower(), before[-LOOK_BACK:])
                if phrase:
                    spelled.append((abbreviation.lower(), phrase))
        # A keyword that is the initials of the title or of another keyword.
        keywords = [words(k) for k in article.keywords]
        names = None  # worked out only for an article with a keyword short enough
        for short in keywords:
            if len(short) != 1 or not 2 <= len(short[0]) <= 6 or not _learnable(short[0]):
                continue
            names = names or [words(article.title), *keywords]
            for name in names:
                phrase = _spelled(short[0], name, anywhere=True)
                if phrase:
                    spelled.append((short[0], phrase))
                    break
    found: dict[str, set[str]] = {}
    for abbreviation, phrase in spelled:
        _keep(found, abbreviation, phrase)
    return found


@functools.lru_cache(maxsize=4096)  # a rebuild asks about the same few again
def _everyday(abbreviation: str) -> bool:
    # wordfreq's small list (the one queries read anyway) holds every word down to a Zipf
    # frequency of 3, so it judges this cut of 4 exactly as the 30 MB large list would,
    # without loading it at every build.
    return zipf(abbreviation) >= EVERYDAY_ZIPF


def _learnable(abbreviation: str) -> bool:
    return not (abbreviation.isdigit() or _everyday(abbreviation))


def _keep(found: dict[str, set[str]], abbreviation: str, phrase: str) -> None:
    if not _learnable(abbreviation):
        return
    if phrase != abbreviation:
        found.setdefault(abbreviation, set()).add(phrase)


def _spelled(abbreviation: str, before: list[str], *, anywhere: bool = False) -> str | None:
    """The run of words whose initials spell the abbreviation: ending at the last word
    (for "Name (ABBR)"), or anywhere in a title. A stop word may give its initial or be
    skipped ("Right to Buy", "Houses in Multiple Occupation"), and a hyphenated word
    gives each part ("non-sufficient funds")."""

    def start_of(end: int, letters: str) -> int | None:
        # Where a run ending before `end` spells `letters`, matching from the right.
        if not letters:
            return end
        if end == 0:
            return None
        word = before[end - 1]
        if word[0] == letters[-1]:
            found = start_of(end - 1, letters[:-1])
            if found is not None:
                return found
        if word in STOP_WORDS:
            return start_of(end - 1, letters)
        return None

    ends = range(len(before), 0, -1) if anywhere else [len(before)]
    for end in ends:
        if before[end - 1][0] != abbreviation[-1]:
            continue
        start = start_of(end, abbreviation)
        if start is not None and end - start >= 2:
            return " ".join(before[start:end])
    return None
