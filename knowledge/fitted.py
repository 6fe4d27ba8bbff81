"""Weights fitted by `python bench/fit_search.py --write` (do not edit by hand).

Fitted on bundled, harbourside, cedar, afonvalley, northfield, tamar, glenmorven,
brackenfield, hollins, brightwell, riverton, marlowvale, penrose, cascade, each with and
without its keywords; confirmed on kestrel, lakeshore, hartwell, prairie.
"""

RANK_WEIGHTS = {
    "base": 10.9266,
    "title": 2.0390,
    "fuzzy": 1.1290,
    "phrase": 0.8855,
    "near": 1.4303,
    "anywhere": 0.2065,
    "again": 1.3123,
    "sense": 2.7522,
    "gist": 15.2708,
}

ANSWER_INTERCEPT = -6.6593
ANSWER_WEIGHTS = {
    "base": 0.0000,
    "title": 1.0214,
    "fuzzy": 0.1495,
    "phrase": 0.0000,
    "near": 0.2032,
    "anywhere": 0.0000,
    "again": 0.0000,
    "sense": 0.9292,
    "gist": 0.2939,
    "margin": 0.0000,
    "posterior": 1.2271,
    "whole": 0.8643,
    "ideal": 0.0000,
    "relative": 0.9661,
    "rare": 0.0000,
    "gap": 0.0000,
    "asked": 0.3137,
    "missing": -0.1380,
    "unknown": 0.0000,
    "concepts": 0.0855,
    "as_read": 3.7382,
    "parts_held": 0.9623,
    "held": 0.3550,
    "held_weight": 0.0000,
    "apart": -4.4660,
}

SIGNAL_CAPS = {
    "concepts": 7.0000,
    "asked": 2.6548,
}

THRESHOLD = 0.60
