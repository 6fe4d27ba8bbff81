"""Weights fitted by `python bench/fit_search.py --write` (do not edit by hand).

Fitted on bundled, harbourside, each with and without its keywords; confirmed on cedar.
"""

RANK_WEIGHTS = {
    "base": 9.8908,
    "title": 3.1926,
    "fuzzy": 3.0908,
    "phrase": 1.5471,
    "near": 1.2023,
    "label": 0.0000,
    "anywhere": 1.3359,
    "again": 1.1716,
}

ANSWER_INTERCEPT = -11.3260
ANSWER_WEIGHTS = {
    "base": 0.1296,
    "title": 1.4604,
    "fuzzy": 0.0000,
    "phrase": 0.5994,
    "near": 1.6522,
    "label": 0.0000,
    "anywhere": 0.0000,
    "again": 0.0000,
    "margin": 0.7858,
    "posterior": 0.0000,
    "whole": 3.6130,
    "ideal": 3.4727,
    "relative": 3.9076,
    "rare": 1.0081,
    "gap": 0.0000,
    "asked": 0.7096,
    "missing": 0.0000,
    "unknown": 0.0000,
    "concepts": 0.5105,
}

THRESHOLD = 0.50
