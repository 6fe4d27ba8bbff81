"""Weights fitted by `python bench/fit_search.py --write` (do not edit by hand).

Fitted on bundled, harbourside, cedar, afonvalley, northfield, each with and without its keywords;
confirmed on tamar, glenmorven, brackenfield, hollins, brightwell, riverton, marlowvale.
"""

RANK_WEIGHTS = {
    "base": 11.8438,
    "title": 3.1701,
    "fuzzy": 2.7015,
    "phrase": 1.5761,
    "near": 1.6607,
    "anywhere": 0.5967,
    "again": 1.5686,
}

ANSWER_INTERCEPT = -6.1624
ANSWER_WEIGHTS = {
    "base": 0.0000,
    "title": 2.0574,
    "fuzzy": 0.0000,
    "phrase": 0.2045,
    "near": 0.3151,
    "anywhere": 0.0000,
    "again": 0.0000,
    "margin": 0.2933,
    "posterior": 0.0000,
    "whole": 2.4385,
    "ideal": 0.0000,
    "relative": 1.7878,
    "rare": 0.0000,
    "gap": 0.0000,
    "asked": 0.4978,
    "missing": 0.0000,
    "unknown": 0.0000,
    "concepts": -0.1717,
    "as_read": 3.3600,
    "parts_held": 0.0000,
    "held": 0.7586,
    "held_weight": 0.0000,
    "apart": -4.0419,
}

SIGNAL_CAPS = {
    "concepts": 6.0000,
    "asked": 2.4330,
}

THRESHOLD = 0.55
