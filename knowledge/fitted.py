"""Weights fitted by `python bench/fit_search.py --write` (do not edit by hand).

Fitted on bundled, harbourside, cedar, afonvalley, northfield, each with and without its keywords;
confirmed on tamar, glenmorven, brackenfield, hollins, brightwell.
"""

RANK_WEIGHTS = {
    "base": 11.8805,
    "title": 3.1818,
    "fuzzy": 2.6668,
    "phrase": 1.5742,
    "near": 1.6171,
    "anywhere": 0.6152,
    "again": 1.5130,
}

ANSWER_INTERCEPT = -6.0670
ANSWER_WEIGHTS = {
    "base": 0.0000,
    "title": 2.0611,
    "fuzzy": 0.0000,
    "phrase": 0.1852,
    "near": 0.3509,
    "anywhere": 0.0000,
    "again": 0.0000,
    "margin": 0.2386,
    "posterior": 0.2008,
    "whole": 2.8160,
    "ideal": 0.0000,
    "relative": 1.7791,
    "rare": 0.0000,
    "gap": 0.0000,
    "asked": 0.4825,
    "missing": 0.0000,
    "unknown": 0.0000,
    "concepts": -0.1841,
    "as_read": 3.1107,
    "parts_held": 0.0000,
    "held": 0.7697,
    "held_weight": 0.0000,
    "apart": -4.1518,
}

SIGNAL_CAPS = {
    "concepts": 6.0000,
    "asked": 2.4330,
}

THRESHOLD = 0.55
