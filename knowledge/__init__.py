"""The knowledge base: articles, their loaders, synonyms and the search index (no Slack here)."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
BUNDLED_ARTICLES = PACKAGE_DIR / "articles"
BUNDLED_SYNONYMS = PACKAGE_DIR / "synonyms.yaml"
BUNDLED_QUERIES = PACKAGE_DIR / "eval" / "queries.csv"
BUNDLED_CURRICULUM = PACKAGE_DIR / "training" / "curriculum.yaml"
