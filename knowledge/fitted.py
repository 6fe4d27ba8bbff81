"""Weights fitted by `python bench/fit_search.py --write` (do not edit by hand).

Fitted on bundled, harbourside, cedar, afonvalley, northfield, each with and without its keywords;
confirmed on tamar, glenmorven, brackenfield, hollins, brightwell.
"""

RANK_WEIGHTS = {
    "base": 11.8751,
    "title": 3.1711,
    "fuzzy": 2.6884,
    "phrase": 1.5759,
    "near": 1.6569,
    "anywhere": 0.5983,
    "again": 1.5700,
}

ANSWER_INTERCEPT = -6.1802
ANSWER_WEIGHTS = {
    "base": 0.0000,
    "title": 2.0729,
    "fuzzy": 0.0000,
    "phrase": 0.2070,
    "near": 0.2921,
    "anywhere": 0.0000,
    "again": 0.0000,
    "margin": 0.2874,
    "posterior": 0.0000,
    "whole": 2.4286,
    "ideal": 0.0000,
    "relative": 1.9189,
    "rare": 0.0000,
    "gap": 0.0000,
    "asked": 0.4907,
    "missing": 0.0000,
    "unknown": 0.0000,
    "concepts": -0.1755,
    "as_read": 3.2680,
    "parts_held": 0.0000,
    "held": 0.7611,
    "held_weight": 0.0000,
    "apart": -4.0681,
}

SIGNAL_CAPS = {
    "concepts": 6.0000,
    "asked": 2.4330,
}

THRESHOLD = 0.55
