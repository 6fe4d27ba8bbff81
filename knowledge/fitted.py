"""Weights fitted by `python bench/fit_search.py --write` (do not edit by hand).

Fitted on bundled, harbourside, each with and without its keywords; confirmed on cedar.
"""

RANK_WEIGHTS = {
    "base": 9.6616,
    "title": 3.0722,
    "fuzzy": 2.5652,
    "phrase": 1.4639,
    "near": 1.1888,
    "label": 0.0000,
    "anywhere": 1.0468,
    "again": 1.1337,
}

ANSWER_INTERCEPT = -11.2986
ANSWER_WEIGHTS = {
    "base": 0.3220,
    "title": 1.4411,
    "fuzzy": 0.0000,
    "phrase": 0.6234,
    "near": 1.6537,
    "label": 0.0000,
    "anywhere": 0.0000,
    "again": 0.0000,
    "margin": 0.7946,
    "posterior": 0.0000,
    "whole": 3.5662,
    "ideal": 3.3251,
    "relative": 3.7702,
    "rare": 1.1025,
    "gap": 0.0000,
    "asked": 0.7280,
    "missing": 0.0000,
    "unknown": 0.0000,
    "concepts": 0.5093,
}

THRESHOLD = 0.50
