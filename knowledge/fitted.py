"""Weights fitted by `python bench/fit_search.py --write` (do not edit by hand).

Fitted on bundled, harbourside, cedar, afonvalley, northfield, each with and without its keywords;
confirmed on tamar, glenmorven, brackenfield, hollins, brightwell.
"""

RANK_WEIGHTS = {
    "base": 12.0627,
    "title": 3.1518,
    "fuzzy": 2.5915,
    "phrase": 1.5787,
    "near": 1.5790,
    "anywhere": 0.5985,
    "again": 1.6866,
}

ANSWER_INTERCEPT = -7.5990
ANSWER_WEIGHTS = {
    "base": 0.0000,
    "title": 1.9440,
    "fuzzy": 0.0000,
    "phrase": 0.2199,
    "near": 0.5654,
    "anywhere": 0.0000,
    "again": 0.0000,
    "margin": 0.2548,
    "posterior": 0.0000,
    "whole": 3.0891,
    "ideal": 0.0000,
    "relative": 1.8539,
    "rare": 0.0000,
    "gap": 0.0000,
    "asked": 0.5281,
    "missing": 0.0000,
    "unknown": 0.0000,
    "concepts": 0.1389,
    "as_read": 4.3086,
    "parts_held": 0.0000,
    "held": 0.5106,
    "held_weight": 0.0000,
}

SIGNAL_CAPS = {
    "concepts": 6.0000,
    "asked": 2.4330,
}

THRESHOLD = 0.55
