"""Reading labelled questions and scoring a knowledge base against them."""

from __future__ import annotations

import pytest

from knowledge.evaluate import evaluate, format_report, read_queries
from knowledge.loader import LoadError
from knowledge.search import SearchIndex
from knowledge.synonyms import Synonyms


def write(tmp_path, text: str):
    path = tmp_path / "queries.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_queries_answers_and_kinds(tmp_path):
    items = read_queries(
        write(tmp_path, "query,expected,kind\nskip permit,skip,terse\nbins,,out_of_scope\n")
    )
    assert [(i.query, set(i.expected), i.kind, i.line) for i in items] == [
        ("skip permit", {"skip"}, "terse", 2),
        ("bins", set(), "out_of_scope", 3),
    ]


def test_other_column_names_and_several_right_answers(tmp_path):
    items = read_queries(write(tmp_path, "Question,Article_ID\nscaffold,a; b\nbins,none\n"))
    assert items[0].expected == {"a", "b"}
    assert items[1].expected == frozenset()
    assert items[1].kind == "out_of_scope"


@pytest.mark.parametrize(
    ("text", "says"),
    [("words,answers\nx,y\n", "'query' and 'expected'"), ("query,expected\n", "no queries")],
)
def test_bad_files_are_refused(tmp_path, text, says):
    with pytest.raises(LoadError) as caught:
        read_queries(write(tmp_path, text))
    assert says in str(caught.value)


def test_scores_hits_misses_and_false_answers(make_article, tmp_path):
    index = SearchIndex(
        [
            make_article(1, id="skip", title="Skip permit", keywords=()),
            make_article(2, id="scaffold", title="Scaffolding licence", keywords=()),
        ],
        synonyms=Synonyms(),
    )
    items = read_queries(
        write(
            tmp_path,
            "query,expected\nskip permit,skip\nscaffolding licence,skip\n"
            "skip permit please,\nquantum physics,\n",
        )
    )
    report = evaluate(index, items)
    assert (report.answerable, report.hit1, report.out_of_scope, report.false_answers) == (
        2,
        1,
        2,
        1,
    )
    assert report.hit_at_1 == 0.5
    assert report.mrr == 0.5
    text = format_report(report)
    assert "hit@1               0.500" in text
    assert "'scaffolding licence'  want skip  got scaffold" in text
    assert "'skip permit please'  want (no answer)  got skip" in text


def test_a_file_of_out_of_scope_questions_alone_counts_what_is_answered(make_article, tmp_path):
    # As knowledge/eval/offtopic.csv is used: other organisations' questions, none covered.
    index = SearchIndex(
        [make_article(1, id="skip", title="Skip permit", keywords=())], synonyms=Synonyms()
    )
    items = read_queries(write(tmp_path, "query,expected\nskip permit please,\nquantum physics,\n"))
    report = evaluate(index, items)
    assert (report.answerable, report.out_of_scope, report.false_answers) == (0, 2, 1)
    text = format_report(report)
    assert "hit@1" not in text and "MRR" not in text
    assert "out-of-scope        2, answered wrongly: 1 (50.0%)" in text
