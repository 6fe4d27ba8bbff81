"""Weights fitted by `python bench/fit_search.py --write` (do not edit by hand).

Fitted on bundled, harbourside, each with and without its keywords; confirmed on cedar.
"""

RANK_WEIGHTS = {
    "base": 9.6463,
    "title": 3.0195,
    "fuzzy": 2.4963,
    "phrase": 1.4354,
    "near": 1.2290,
    "label": 0.0000,
    "anywhere": 0.9963,
    "again": 1.2678,
}

ANSWER_INTERCEPT = -10.9656
ANSWER_WEIGHTS = {
    "base": 0.2783,
    "title": 1.4051,
    "fuzzy": 0.0000,
    "phrase": 0.6088,
    "near": 1.6423,
    "label": 0.0000,
    "anywhere": 0.0000,
    "again": 0.0000,
    "margin": 0.8558,
    "posterior": 0.0000,
    "whole": 3.5937,
    "ideal": 3.1927,
    "relative": 3.8463,
    "rare": 0.9137,
    "gap": 0.0000,
    "asked": 0.5448,
    "missing": 0.0000,
    "unknown": 0.0000,
    "concepts": 0.5379,
}

THRESHOLD = 0.50
