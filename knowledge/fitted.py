"""Weights fitted by `python bench/fit_search.py --write` (do not edit by hand).

Fitted on bundled, harbourside, each with and without its keywords; confirmed on cedar.
"""

RANK_WEIGHTS = {
    "base": 9.6466,
    "title": 3.0207,
    "fuzzy": 2.4922,
    "phrase": 1.4349,
    "near": 1.2301,
    "label": 0.0000,
    "anywhere": 0.9999,
    "again": 1.2760,
}

ANSWER_INTERCEPT = -9.7217
ANSWER_WEIGHTS = {
    "base": 0.0000,
    "title": 1.4382,
    "fuzzy": 0.0000,
    "phrase": 0.7052,
    "near": 1.4162,
    "label": 0.0000,
    "anywhere": 0.0000,
    "again": 0.0000,
    "margin": 0.7512,
    "posterior": 0.4224,
    "whole": 2.6978,
    "ideal": 0.1331,
    "relative": 0.1296,
    "rare": 0.0000,
    "gap": 0.0000,
    "asked": 0.6083,
    "missing": 0.0000,
    "unknown": 0.0000,
    "concepts": 0.5918,
    "as_read": 4.5620,
    "parts_held": 2.2652,
}

THRESHOLD = 0.50
