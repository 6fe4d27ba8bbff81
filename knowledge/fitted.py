"""Weights fitted by `python bench/fit_search.py --write` (do not edit by hand).

Fitted on bundled, harbourside, cedar, afonvalley, northfield, each with and without its keywords;
confirmed on tamar, glenmorven, brackenfield.
"""

RANK_WEIGHTS = {
    "base": 12.0504,
    "title": 3.1604,
    "fuzzy": 2.5905,
    "phrase": 1.5779,
    "near": 1.5779,
    "anywhere": 0.6049,
    "again": 1.6377,
}

ANSWER_INTERCEPT = -7.5977
ANSWER_WEIGHTS = {
    "base": 0.0000,
    "title": 1.9453,
    "fuzzy": 0.0000,
    "phrase": 0.2196,
    "near": 0.5655,
    "anywhere": 0.0000,
    "again": 0.0000,
    "margin": 0.2553,
    "posterior": 0.0000,
    "whole": 3.0898,
    "ideal": 0.0000,
    "relative": 1.8526,
    "rare": 0.0000,
    "gap": 0.0000,
    "asked": 0.5278,
    "missing": 0.0000,
    "unknown": 0.0000,
    "concepts": 0.1388,
    "as_read": 4.3069,
    "parts_held": 0.0000,
    "held": 0.5108,
    "held_weight": 0.0000,
}

SIGNAL_CAPS = {
    "concepts": 6.0000,
    "asked": 2.4330,
}

THRESHOLD = 0.55
