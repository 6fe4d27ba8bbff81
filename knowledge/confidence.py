"""How the candidates are ordered, and whether the first one answers the question.

Both read features that mean the same in any knowledge base, whatever its number of
keywords or the length of its articles (knowledge/evidence.py), with weights fitted on the
labelled questions of fourteen knowledge bases written in different house styles and
confirmed on four more written after them (knowledge/fitted.py, written by
`bench/fit_search.py`):
- the ranking score is a weighted sum of an article's features (log-odds of being the one);
- the answerability model gives the probability that the first article is right, from its
  features, its lead over the runner-up and what the question asks that it lacks: the
  signals (`Signals`), worked out here from the question and the ranked candidates
  (`question_signals`).
"""

from __future__ import annotations

import functools
import math
import operator
from typing import NamedTuple

from knowledge import evidence
from knowledge.evidence import RANK_FEATURES
from knowledge.fitted import (
    ANSWER_INTERCEPT,
    ANSWER_WEIGHTS,
    RANK_WEIGHTS,
    SIGNAL_CAPS,
    THRESHOLD,
)
from knowledge.text import zipf

DEFAULT_THRESHOLD = THRESHOLD
RARE_ZIPF = 6.0
WHOLE_FROM = 0.8  # base x relative above this: the article holds the question whole
_RANK = tuple(RANK_WEIGHTS.get(name, 0.0) for name in RANK_FEATURES)


def rank_score(features: tuple[float, ...]) -> float:
    # The same products summed in the same order as a generator would, without one.
    return sum(map(operator.mul, _RANK, features))


class Signals(NamedTuple):
    # A named tuple, not a frozen dataclass: as immutable, and made in one step rather than
    # by setting 22 attributes one at a time (about 2 us against 13 us, once a search).
    # The first article's ranking features (knowledge.evidence.RANK_FEATURES).
    base: float  # share of the question's weight it holds, fields weighted
    title: float  # share of its title the question covers
    fuzzy: float  # fuzzy likeness of the question to its title and keywords
    phrase: float  # a keyword phrase said almost word for word
    near: float  # neighbouring words of the question side by side in it
    anywhere: float  # share of the question's weight it holds in any field
    again: float  # likeness to the learned phrasing most like the question
    sense: float  # the question's likeness in meaning to its title and keywords
    gist: float  # to all of it, as far as the best article's words leave the question open
    # Beyond the article itself.
    margin: float  # its ranking score minus the runner-up's
    posterior: float  # its share of the candidates' softmax: the ranking's own odds
    whole: float  # 0, rising to 1 as it holds all of the question, and holds it best
    ideal: float  # what the best holder of each part would score together: how well
    # the knowledge base as a whole covers the question, in its own fields
    relative: float  # the article's share of that ideal
    rare: float  # share of the question's rarity in English (wordfreq) it holds
    gap: float  # the English rarity of the rarest part of the question it lacks
    asked: float  # how much the question asks, on the same scale
    missing: float  # the strongest part it lacks, against the question's strongest
    unknown: float  # share of the question's weight no article holds
    concepts: int  # how many parts the question has
    # The share of the question it holds as the question was meant: `base` counts a
    # corrected slip a little less than a word typed right (it may be another word), this
    # counts it in full, so a slip costs the answer little.
    as_read: float = 0.0
    parts_held: float = 0.0  # the share of the question's parts it holds, counted not weighed
    # How much of the question it holds, not as a share: a long question it holds five
    # parts of says more than a short one it holds whole. Unlike `concepts` and `asked`,
    # these do not grow with words the article lacks.
    held: float = 0.0  # how many of the question's parts it holds
    held_weight: float = 0.0  # `asked` times `as_read`: the question's weight it holds
    apart: float = 0.0  # share of the question's weight in phrases it holds only word by word

    def vector(self) -> list[float]:
        return list(map(float, self))


NAMES = Signals._fields
# The direction each signal may push the answer (0: either): more of what the question asks
# found in the article never makes it less sure, more left out never makes it surer.
SIGNS = (1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, 0, -1, -1, 0, 1, 1, 1, 1, -1)
_ANSWER = tuple(ANSWER_WEIGHTS.get(name, 0.0) for name in NAMES)


def cap_places(caps: dict[str, float]) -> tuple[tuple[int, float], ...]:
    """Each capped signal's place in `Signals.vector()`, with its cap."""
    return tuple((NAMES.index(name), cap) for name, cap in caps.items())


# How long a question the model may count as long: the labelled sets' out-of-scope
# questions are short, so beyond where they reach, length alone would read as "covered"
# (a caller's twelve-part question about a flight held two parts of a parking article and
# came out 94% sure). Fitted with the weights: the 90th percentile of the out-of-scope
# questions' own values.
_CAPS = cap_places(SIGNAL_CAPS)


def inputs(signals: Signals) -> list[float]:
    """The signals as the answerability model reads them: each within its fitted cap."""
    values = signals.vector()
    for place, cap in _CAPS:
        values[place] = min(values[place], cap)
    return values


def answerability(signals: Signals) -> float:
    z = ANSWER_INTERCEPT + sum(w * v for w, v in zip(_ANSWER, inputs(signals), strict=True))
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def question_signals(
    asked: evidence.Question, ranked: list, labels: evidence.Labels, max_idf: float
) -> Signals:
    """What tells a covered question from one that only shares words with an article,
    each on a scale that means the same in any knowledge base."""
    first, _, number, features = ranked[0]
    second = ranked[1][0] if len(ranked) > 1 else 0.0
    strongest = asked.parts[0].strength or 1.0
    unknown = missing = gap = 0.0
    rare = rare_held = ideal = 0.0
    held_parts = 0
    apart = 0.0
    sequence = labels.sequences[number]
    numbers = labels.numbers
    for part in asked.parts:
        if part.shares is not None:
            ideal += part.strength * float(part.shares.max())
        # How rare in English, the same in any knowledge base: "pothole" left out
        # says more than "husband" left out.
        rarity = max(_rarity(word) for word in part.concept.meant)
        rare += rarity
        if part.shares is not None and part.shares[number] > 0:
            rare_held += rarity
            held_parts += 1
            if not evidence.said_together(part.concept, sequence, numbers):
                apart += part.strength
        else:
            missing = max(missing, part.strength / strongest)
            gap = max(gap, rarity)
        if part.shares is None:
            unknown += part.strength
    # The share held, corrected slips in full (a corrected typo is held a little less
    # than said: `asked.certainty`).
    as_meant = features[0] / asked.certainty
    as_read = min(1.0, as_meant)
    weight = asked.total / max_idf
    return Signals(
        *features,
        margin=math.log1p(first - second),
        posterior=1.0 / sum(math.exp(max(-50.0, r[0] - first)) for r in ranked),
        # A phrase held only word by word is no part of holding the question whole.
        whole=_whole(as_meant - apart / asked.total, features[0] * asked.total / ideal)
        if ideal
        else 0.0,
        ideal=ideal / asked.total,
        relative=features[0] * asked.total / ideal if ideal else 0.0,
        rare=rare_held / rare if rare else 0.0,
        gap=gap,
        asked=weight,
        missing=missing,
        unknown=unknown / asked.total,
        concepts=len(asked.concepts),
        as_read=as_read,
        parts_held=held_parts / len(asked.parts),
        held=held_parts,
        held_weight=weight * as_read,
        apart=apart / asked.total,
    )


@functools.lru_cache(maxsize=65_536)
def _rarity(word: str) -> float:
    """0 for the commonest English words to 1 for words English hardly uses."""
    return min(1.0, max(0.0, (RARE_ZIPF - zipf(word)) / 4.0))


def _whole(held: float, relative: float) -> float:
    """0, rising to 1 as an article holds all of the question (as read) and holds it
    better than any other article could."""
    return max(0.0, min(1.0, held) * relative - WHOLE_FROM) / (1 - WHOLE_FROM)
