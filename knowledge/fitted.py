"""Weights fitted by `python bench/fit_search.py --write` (do not edit by hand).

Fitted on bundled, harbourside, cedar, afonvalley, northfield, each with and without its keywords;
confirmed on tamar, glenmorven, brackenfield, hollins, brightwell.
"""

RANK_WEIGHTS = {
    "base": 11.9955,
    "title": 3.2074,
    "fuzzy": 2.5971,
    "phrase": 1.5059,
    "near": 1.6203,
    "anywhere": 0.5989,
    "again": 1.8060,
}

ANSWER_INTERCEPT = -7.3677
ANSWER_WEIGHTS = {
    "base": 0.0000,
    "title": 1.8945,
    "fuzzy": 0.0000,
    "phrase": 0.1752,
    "near": 0.5191,
    "anywhere": 0.0000,
    "again": 0.0000,
    "margin": 0.3325,
    "posterior": 0.0000,
    "whole": 2.9716,
    "ideal": 0.0000,
    "relative": 1.5044,
    "rare": 0.0000,
    "gap": 0.0000,
    "asked": 0.4724,
    "missing": 0.0000,
    "unknown": 0.0000,
    "concepts": 0.1127,
    "as_read": 4.4716,
    "parts_held": 0.0000,
    "held": 0.5304,
    "held_weight": 0.0000,
}

SIGNAL_CAPS = {
    "concepts": 6.0000,
    "asked": 2.4330,
}

THRESHOLD = 0.55
