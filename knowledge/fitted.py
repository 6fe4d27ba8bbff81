"""Weights fitted by `python bench/fit_search.py --write` (do not edit by hand).

Fitted on bundled, harbourside, each with and without its keywords; confirmed on cedar.
"""

RANK_WEIGHTS = {
    "base": 9.6517,
    "title": 3.0203,
    "fuzzy": 2.4873,
    "phrase": 1.4350,
    "near": 1.2297,
    "label": 0.0000,
    "anywhere": 1.0034,
    "again": 1.2639,
}

ANSWER_INTERCEPT = -9.7410
ANSWER_WEIGHTS = {
    "base": 0.0000,
    "title": 1.4400,
    "fuzzy": 0.0000,
    "phrase": 0.7062,
    "near": 1.4169,
    "label": 0.0000,
    "anywhere": 0.0000,
    "again": 0.0000,
    "margin": 0.7533,
    "posterior": 0.4158,
    "whole": 2.6985,
    "ideal": 0.1597,
    "relative": 0.1476,
    "rare": 0.0000,
    "gap": 0.0000,
    "asked": 0.6091,
    "missing": 0.0000,
    "unknown": 0.0000,
    "concepts": 0.5912,
    "as_read": 4.5271,
    "parts_held": 2.2760,
}

THRESHOLD = 0.50
