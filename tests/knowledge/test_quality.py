"""The search-quality gate: the bundled labelled caller queries must keep hit@1 >= 0.90."""

from knowledge import BUNDLED_QUERIES
from knowledge.evaluate import evaluate, format_report, read_queries

MIN_HIT_AT_1 = 0.90


def test_labelled_queries_cover_every_kind():
    items = read_queries(BUNDLED_QUERIES)
    kinds = {item.kind for item in items}
    assert len(items) >= 300
    assert {"typo", "abbreviation", "caller", "terse", "plain", "out_of_scope"} <= kinds
    assert sum(1 for item in items if not item.expected) >= 40


def test_hit_at_1_on_the_bundled_queries(bundled_index):
    report = evaluate(bundled_index, read_queries(BUNDLED_QUERIES))
    assert report.hit_at_1 >= MIN_HIT_AT_1, format_report(report)
    assert report.hit_at_3 >= report.hit_at_1


def test_expected_ids_exist(bundled_articles):
    known = {article.id for article in bundled_articles}
    items = read_queries(BUNDLED_QUERIES)
    assert {i for item in items for i in item.expected} <= known
