"""Weights fitted by `python bench/fit_search.py --write` (do not edit by hand).

Fitted on bundled, harbourside, each with and without its keywords; confirmed on cedar, afonvalley.
"""

RANK_WEIGHTS = {
    "base": 9.6240,
    "title": 3.0247,
    "fuzzy": 2.6966,
    "phrase": 1.4341,
    "near": 1.2777,
    "anywhere": 1.0551,
    "again": 1.3363,
}

ANSWER_INTERCEPT = -7.0845
ANSWER_WEIGHTS = {
    "base": 0.0000,
    "title": 1.3461,
    "fuzzy": 0.0000,
    "phrase": 0.5833,
    "near": 1.4971,
    "anywhere": 0.0000,
    "again": 0.0000,
    "margin": 0.8472,
    "posterior": 0.0000,
    "whole": 3.6958,
    "ideal": 0.0000,
    "relative": 0.0000,
    "rare": 0.0000,
    "gap": 0.0000,
    "asked": -0.2995,
    "missing": 0.0000,
    "unknown": 0.0000,
    "concepts": 0.4547,
    "as_read": 2.1521,
    "parts_held": 0.9709,
    "held": 0.2203,
    "held_weight": 1.8073,
}

SIGNAL_CAPS = {
    "concepts": 6.0000,
    "asked": 2.4835,
}

THRESHOLD = 0.50
