"""Weights fitted by `python bench/fit_search.py --write` (do not edit by hand).

Fitted on bundled, harbourside, cedar, afonvalley, northfield, each with and without its keywords;
confirmed on tamar, glenmorven, brackenfield, hollins, brightwell.
"""

RANK_WEIGHTS = {
    "base": 11.8993,
    "title": 3.1887,
    "fuzzy": 2.6567,
    "phrase": 1.5753,
    "near": 1.6042,
    "anywhere": 0.6003,
    "again": 1.6506,
}

ANSWER_INTERCEPT = -7.3359
ANSWER_WEIGHTS = {
    "base": 0.0000,
    "title": 1.8639,
    "fuzzy": 0.0000,
    "phrase": 0.1741,
    "near": 0.4875,
    "anywhere": 0.0000,
    "again": 0.0000,
    "margin": 0.3512,
    "posterior": 0.0000,
    "whole": 2.6375,
    "ideal": 0.0000,
    "relative": 1.4529,
    "rare": 0.0000,
    "gap": 0.0000,
    "asked": 0.4526,
    "missing": 0.0000,
    "unknown": 0.0000,
    "concepts": 0.1151,
    "as_read": 4.5608,
    "parts_held": 0.0000,
    "held": 0.5213,
    "held_weight": 0.0000,
}

SIGNAL_CAPS = {
    "concepts": 6.0000,
    "asked": 2.4330,
}

THRESHOLD = 0.55
