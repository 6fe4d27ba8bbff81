"""How the candidates are ordered, and whether the first one answers the question.

Both read features that mean the same in any knowledge base, whatever its number of
keywords or the length of its articles (knowledge/evidence.py), with weights fitted on the
labelled questions of five knowledge bases written in different house styles and confirmed
on three more (knowledge/fitted.py, written by `bench/fit_search.py`):
- the ranking score is a weighted sum of an article's features (log-odds of being the one);
- the answerability model gives the probability that the first article is right, from its
  features, its lead over the runner-up and what the question asks that it lacks.
"""

from __future__ import annotations

import math
import operator
from typing import NamedTuple

from knowledge.evidence import RANK_FEATURES
from knowledge.fitted import (
    ANSWER_INTERCEPT,
    ANSWER_WEIGHTS,
    RANK_WEIGHTS,
    SIGNAL_CAPS,
    THRESHOLD,
)

DEFAULT_THRESHOLD = THRESHOLD
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
SIGNS = (1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, 0, -1, -1, 0, 1, 1, 1, 1, -1)
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
