"""Weights fitted by `python bench/fit_search.py --write` (do not edit by hand).

Fitted on bundled, harbourside, cedar, afonvalley, northfield, tamar, glenmorven,
brackenfield, hollins, brightwell, each with and without its keywords; confirmed on
riverton, marlowvale, penrose, cascade.
"""

RANK_WEIGHTS = {
    "base": 12.4718,
    "title": 3.0835,
    "fuzzy": 2.1315,
    "phrase": 1.3932,
    "near": 1.7516,
    "anywhere": 0.4033,
    "again": 2.1282,
}

ANSWER_INTERCEPT = -6.2143
ANSWER_WEIGHTS = {
    "base": 0.0000,
    "title": 1.5014,
    "fuzzy": 0.2503,
    "phrase": 0.0000,
    "near": 0.0636,
    "anywhere": 0.0000,
    "again": 0.0000,
    "margin": 0.3498,
    "posterior": 0.0000,
    "whole": 0.8127,
    "ideal": 0.0000,
    "relative": 1.0041,
    "rare": 0.0000,
    "gap": 0.0000,
    "asked": 0.3522,
    "missing": 0.0000,
    "unknown": 0.0000,
    "concepts": -0.0083,
    "as_read": 3.9506,
    "parts_held": 1.0874,
    "held": 0.4596,
    "held_weight": 0.0000,
    "apart": -3.8314,
}

SIGNAL_CAPS = {
    "concepts": 7.0000,
    "asked": 2.5735,
}

THRESHOLD = 0.60
