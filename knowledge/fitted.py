"""Weights fitted by `python bench/fit_search.py --write` (do not edit by hand).

Fitted on bundled, harbourside, cedar, afonvalley, northfield, each with and without its keywords;
confirmed on tamar, glenmorven, brackenfield, hollins, brightwell.
"""

RANK_WEIGHTS = {
    "base": 11.8803,
    "title": 3.1816,
    "fuzzy": 2.6667,
    "phrase": 1.5742,
    "near": 1.6171,
    "anywhere": 0.6152,
    "again": 1.5153,
}

ANSWER_INTERCEPT = -6.0852
ANSWER_WEIGHTS = {
    "base": 0.0000,
    "title": 2.0758,
    "fuzzy": 0.0000,
    "phrase": 0.1817,
    "near": 0.3750,
    "anywhere": 0.0000,
    "again": 0.0000,
    "margin": 0.2753,
    "posterior": 0.0795,
    "whole": 2.4147,
    "ideal": 0.0000,
    "relative": 1.7873,
    "rare": 0.0000,
    "gap": 0.0000,
    "asked": 0.4861,
    "missing": 0.0000,
    "unknown": 0.0000,
    "concepts": -0.1820,
    "as_read": 3.2342,
    "parts_held": 0.0000,
    "held": 0.7625,
    "held_weight": 0.0000,
    "apart": -4.0780,
}

SIGNAL_CAPS = {
    "concepts": 6.0000,
    "asked": 2.4330,
}

THRESHOLD = 0.55
