"""Weights fitted by `python bench/fit_search.py --write` (do not edit by hand).

Fitted on bundled, harbourside, cedar, afonvalley, northfield, tamar, glenmorven,
brackenfield, hollins, brightwell, riverton, marlowvale, penrose, cascade, each with and
without its keywords; confirmed on kestrel, lakeshore.
"""

RANK_WEIGHTS = {
    "base": 12.7864,
    "title": 3.2253,
    "fuzzy": 2.7280,
    "phrase": 1.3196,
    "near": 1.8205,
    "anywhere": 0.3560,
    "again": 1.6466,
}

ANSWER_INTERCEPT = -6.8963
ANSWER_WEIGHTS = {
    "base": 0.0000,
    "title": 1.5651,
    "fuzzy": 0.8031,
    "phrase": 0.0000,
    "near": 0.2966,
    "anywhere": 0.0000,
    "again": 0.0000,
    "margin": 0.2949,
    "posterior": 0.0713,
    "whole": 0.2465,
    "ideal": 0.0000,
    "relative": 1.1836,
    "rare": 0.0000,
    "gap": 0.0000,
    "asked": 0.3729,
    "missing": 0.0000,
    "unknown": 0.0000,
    "concepts": 0.0540,
    "as_read": 4.1268,
    "parts_held": 1.2569,
    "held": 0.3558,
    "held_weight": 0.0000,
    "apart": -4.2668,
}

SIGNAL_CAPS = {
    "concepts": 7.0000,
    "asked": 2.6548,
}

THRESHOLD = 0.55
