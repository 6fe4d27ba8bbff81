"""Weights fitted by `python bench/fit_search.py --write` (do not edit by hand).

Fitted on bundled, harbourside, cedar, afonvalley, northfield, each with and without its keywords;
confirmed on tamar, glenmorven, brackenfield, hollins, brightwell.
"""

RANK_WEIGHTS = {
    "base": 11.8807,
    "title": 3.1820,
    "fuzzy": 2.6650,
    "phrase": 1.5743,
    "near": 1.6169,
    "anywhere": 0.6170,
    "again": 1.5110,
}

ANSWER_INTERCEPT = -6.1107
ANSWER_WEIGHTS = {
    "base": 0.0000,
    "title": 2.0712,
    "fuzzy": 0.0000,
    "phrase": 0.1441,
    "near": 0.3792,
    "anywhere": 0.0000,
    "again": 0.0000,
    "margin": 0.2130,
    "posterior": 0.1572,
    "whole": 3.1700,
    "ideal": 0.0000,
    "relative": 1.7785,
    "rare": 0.0000,
    "gap": 0.0000,
    "asked": 0.4783,
    "missing": 0.0000,
    "unknown": 0.0000,
    "concepts": -0.1741,
    "as_read": 3.3131,
    "parts_held": 0.0000,
    "held": 0.7569,
    "held_weight": 0.0000,
    "apart": -3.8455,
}

SIGNAL_CAPS = {
    "concepts": 6.0000,
    "asked": 2.4330,
}

THRESHOLD = 0.55
