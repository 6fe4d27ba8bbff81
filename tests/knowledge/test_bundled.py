"""The knowledge base shipped in knowledge/articles/: size, layout and script shape."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from knowledge import BUNDLED_ARTICLES
from knowledge.loader import load_articles
from knowledge.training import load_curriculum

CATEGORIES = ("housing", "benefits", "planning", "licensing", "billing")
FILES = sorted(BUNDLED_ARTICLES.rglob("*.md"))


def test_bundled_knowledge_base_loads_with_at_least_150_articles():
    articles = load_articles(BUNDLED_ARTICLES)
    assert len(articles) >= 150
    assert len(articles) == len(FILES)
    assert len({a.id for a in articles}) == len(articles)


def test_at_least_30_articles_in_each_category():
    counts = Counter(a.category for a in load_articles(BUNDLED_ARTICLES))
    assert {c: counts[c] for c in CATEGORIES if counts[c] < 30} == {}


def test_categories_are_the_five_services_and_call_craft():
    counts = Counter(a.category for a in load_articles(BUNDLED_ARTICLES))
    assert set(counts) == {*CATEGORIES, "callcraft"}
    assert counts["callcraft"] >= 12


def test_articles_sit_one_folder_deep():
    assert FILES
    assert all(f.parent.parent == BUNDLED_ARTICLES for f in FILES)


@pytest.mark.parametrize("file", FILES, ids=lambda f: f.stem)
def test_bundled_article(file: Path):
    [article] = load_articles(file)
    assert article.id == file.stem
    assert article.category == file.parent.name
    lines = [line.strip() for line in article.body.splitlines()]
    assert sum(line.startswith("Say:") for line in lines) == 1
    assert article.say
    assert 2 <= sum(line.startswith("- ") for line in lines) <= 5
    assert sum(line.startswith("Next step:") for line in lines) == 1
    assert article.next_step
    assert article.keywords, "callers' words and abbreviations belong in keywords"


def test_every_call_craft_day_suits_a_centre_of_either_country():
    # Every install gets the call-craft days, so none may name one centre's services or money.
    for prompt in load_curriculum():
        if prompt.article.startswith("callcraft-"):
            words = " ".join((prompt.text, *prompt.options, prompt.explain or "")).lower()
            assert not re.search(r"\$|dollar|water bill|council tax", words), prompt.day
