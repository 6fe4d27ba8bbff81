"""The knowledge base: articles, their loaders, synonyms and the search index (no Slack here)."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
BUNDLED_ARTICLES = PACKAGE_DIR / "articles"
BUNDLED_SYNONYMS = PACKAGE_DIR / "synonyms.yaml"
BUNDLED_QUERIES = PACKAGE_DIR / "eval" / "queries.csv"
# Knowledge bases written by others, in other house styles, each with its own labelled
# questions (`queries.csv` beside its articles, a folder or a CSV): how the search does on
# a council's or utility's own articles (knowledge/eval/README.md).
EVAL_SETS = {
    name: (PACKAGE_DIR / "eval" / name / articles, PACKAGE_DIR / "eval" / name / "queries.csv")
    for name, articles in (
        ("harbourside", "articles.csv"),
        ("cedar", "articles"),
        ("afonvalley", "articles"),
        ("tamar", "articles.csv"),
        ("glenmorven", "articles"),
        ("northfield", "articles"),
        ("brackenfield", "articles.csv"),
        ("hollins", "articles"),
        ("brightwell", "articles.csv"),
        ("riverton", "articles"),
        ("marlowvale", "articles.csv"),
        ("penrose", "articles"),
        ("cascade", "articles.csv"),
        ("kestrel", "articles.csv"),
        ("lakeshore", "articles"),
        ("hartwell", "articles.csv"),
        ("prairie", "articles"),
    )
}
# Sets nobody changing the search has read beyond their totals: a failing check shows their
# figures, not their questions. The fit uses the first nine as labels (bench/fit_search.py,
# FIT_SETS); the sets it does not fit on judge each change as a council's own knowledge base
# would.
UNREAD_SETS = (
    "tamar",
    "glenmorven",
    "brackenfield",
    "hollins",
    "brightwell",
    "riverton",
    "marlowvale",
    "penrose",
    "cascade",
    "kestrel",
    "lakeshore",
    "hartwell",
    "prairie",
)
# Every labelled set by name: the bundled one first, then those written by others.
LABELLED_SETS = {"bundled": (BUNDLED_ARTICLES, BUNDLED_QUERIES), **EVAL_SETS}
# Questions about other organisations' business that no council or utility covers, many
# sharing their words: what any knowledge base should mostly decline (all out of scope).
OFF_TOPIC_QUERIES = PACKAGE_DIR / "eval" / "offtopic.csv"
# More of them by a second writer, written after the search was changed for the first file:
# that it holds for questions nobody looked at while changing it.
OFF_TOPIC_CONFIRM = PACKAGE_DIR / "eval" / "offtopic-confirm.csv"
BUNDLED_CURRICULUM = PACKAGE_DIR / "training" / "curriculum.yaml"
# The bundled articles come from two contact centres in two countries: a UK council's
# service areas and a US county water utility's billing (dollars, checks). An install
# chooses which to start with (`knowledge.bundled` in app.yaml), so a council never reads
# out a US card fee; call craft (greeting, holding, transfers) suits either.
BUNDLED_SETS = {
    "council": ("housing", "benefits", "planning", "licensing", "callcraft"),
    "billing": ("billing", "callcraft"),
    "both": ("housing", "benefits", "planning", "licensing", "billing", "callcraft"),
    "none": (),
}
