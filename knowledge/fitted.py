"""Weights fitted by `python bench/fit_search.py --write` (do not edit by hand).

Fitted on bundled, harbourside, each with and without its keywords; confirmed on cedar.
"""

RANK_WEIGHTS = {
    "base": 9.6340,
    "title": 3.0234,
    "fuzzy": 2.4943,
    "phrase": 1.4355,
    "near": 1.2280,
    "label": 0.0000,
    "anywhere": 1.0139,
    "again": 1.3375,
}

ANSWER_INTERCEPT = -7.1694
ANSWER_WEIGHTS = {
    "base": 0.0000,
    "title": 1.3581,
    "fuzzy": 0.0000,
    "phrase": 0.5925,
    "near": 1.4992,
    "label": 0.0000,
    "anywhere": 0.0000,
    "again": 0.0000,
    "margin": 0.8534,
    "posterior": 0.0000,
    "whole": 3.6700,
    "ideal": 0.0000,
    "relative": 0.0000,
    "rare": 0.0000,
    "gap": 0.0000,
    "asked": -0.2876,
    "missing": 0.0000,
    "unknown": 0.0000,
    "concepts": 0.4608,
    "as_read": 2.1615,
    "parts_held": 1.0535,
    "held": 0.2228,
    "held_weight": 1.7657,
}

SIGNAL_CAPS = {
    "concepts": 6.0000,
    "asked": 2.4835,
}

THRESHOLD = 0.50
