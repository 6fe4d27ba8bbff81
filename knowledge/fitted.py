"""Weights fitted by `python bench/fit_search.py --write` (do not edit by hand).

Fitted on bundled, harbourside, each with and without its keywords; confirmed on cedar.
"""

RANK_WEIGHTS = {
    "base": 9.6961,
    "title": 3.2886,
    "fuzzy": 2.9198,
    "phrase": 1.5552,
    "near": 1.0180,
    "label": 0.0043,
    "anywhere": 1.9212,
}

ANSWER_INTERCEPT = -10.8114
ANSWER_WEIGHTS = {
    "base": 0.7953,
    "title": 1.3582,
    "fuzzy": 0.0000,
    "phrase": 0.6710,
    "near": 1.9041,
    "label": 0.0000,
    "anywhere": 0.0000,
    "margin": 0.1837,
    "posterior": 0.4667,
    "whole": 2.9697,
    "ideal": 2.8404,
    "relative": 3.2614,
    "rare": 1.1077,
    "gap": 0.0000,
    "asked": 0.8006,
    "missing": 0.0000,
    "unknown": 0.0000,
    "concepts": 0.4891,
}

THRESHOLD = 0.55
