"""What a question means beyond its words: token vectors read from the wheel, words' and
articles' meanings, and what they cost."""

from __future__ import annotations

import importlib.util
import json
import socket
import struct
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from knowledge import meaning
from knowledge.meaning import question_vector, tokens, word_vector
from knowledge.search import SearchIndex


@pytest.fixture
def fresh_model():
    """The model read again (and read again after the test), caches emptied."""
    meaning._model.cache_clear()
    meaning.word_vector.cache_clear()
    yield
    meaning._model.cache_clear()
    meaning.word_vector.cache_clear()


@pytest.mark.parametrize("word", ["streetlight", "accidents", "council", "hmo", "licence"])
def test_a_words_tokens_spell_it(word):
    _, known, _ = meaning._model()
    text = {number: token for token, number in known.items()}
    found = tokens(word)
    assert found and meaning.SPACE not in found
    assert "".join(text[number] for number in found).lstrip(meaning.WORD_START) == word


def test_a_word_of_characters_no_token_holds_has_no_meaning():
    assert tokens("\u0378") == []  # an unassigned code point
    assert not word_vector("\u0378").any()
    assert not question_vector([]).any()
    assert not question_vector(["\u0378"]).any()


def test_a_questions_meaning_is_a_unit_vector_summed_from_its_words():
    asked = question_vector(["missed", "bin"])
    assert asked.dtype == np.float32 and asked.shape == (256,)
    assert np.linalg.norm(asked) == pytest.approx(1.0, abs=1e-5)
    summed = word_vector("missed").astype(np.float32) + word_vector("bin").astype(np.float32)
    np.testing.assert_allclose(asked, summed / np.linalg.norm(summed), atol=1e-5)


def test_a_question_in_other_words_is_nearer_the_article_it_means(make_article):
    # No word of the question is in either article: only meaning can tell them apart.
    index = SearchIndex(
        [
            make_article(
                1,
                title="Dog fouling",
                keywords=(),
                body="Owners must pick up after their pets in public places; we fine them.",
            ),
            make_article(
                2,
                title="Council tax bill",
                keywords=(),
                body="Your annual charge is split into ten monthly instalments from April.",
            ),
        ]
    )
    asked = question_vector(["puppy", "mess", "footpath"])
    (label_0, whole_0), (label_1, whole_1) = index._meanings.likeness(asked, [0, 1])
    assert label_0 > label_1 and whole_0 > whole_1
    for value in (label_0, whole_0, label_1, whole_1):
        assert 0.0 <= value <= 1.0
    assert index._meanings.likeness(asked, []).shape == (0, 2)


def test_an_articles_meaning_is_worked_out_once_and_within_a_bound(make_article, monkeypatch):
    index = SearchIndex([make_article(n) for n in range(1, 6)])
    meanings = index._meanings
    first = meanings.of(0).copy()
    assert first.dtype == np.float16 and first.shape == (2, 256)
    assert np.linalg.norm(first[1].astype(np.float32)) == pytest.approx(1.0, abs=1e-2)
    worked_out = []
    monkeypatch.setattr(
        meanings, "_meaning", lambda stems: worked_out.append(stems) or np.ones(256) / 16
    )
    np.testing.assert_array_equal(meanings.of(0), first)  # remembered, not worked out again
    assert worked_out == []
    meanings.of(1)
    assert len(worked_out) == 2  # its title and keywords, and all of it
    monkeypatch.setattr(meaning, "ABOUT_REMEMBERED", 2)
    for number in range(5):
        meanings.of(number)
        assert len(meanings._slots) <= 2 and len(meanings._table) <= 64


def test_an_article_with_no_words_has_no_meaning(make_article):
    index = SearchIndex([make_article(1, title="—", keywords=(), body="— … !!")])
    label, whole = index._meanings.of(0)
    assert not label.any() and not whole.any()
    assert index.closest("streetlight out") == []


def test_the_model_is_read_from_the_installed_wheel_without_the_network(fresh_model, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the meaning model tried to reach the network")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    vectors, known, longest = meaning._model()
    assert (vectors.count, vectors.dimensions) == (32_000, 256)
    assert vectors.rows([0, vectors.count - 1]).dtype == np.float16
    # Only the tokens words can hold: lower-case ASCII letters and digits.
    assert 10_000 < len(known) < vectors.count
    assert all(token.lstrip(meaning.WORD_START).isalnum() for token in known)
    assert 0 < longest < 64
    assert question_vector(["streetlight", "out"]).any()


def test_searching_never_imports_the_wordllama_package():
    # Only its files are read: the package's own imports cost 28 MB.
    code = (
        "import sys\n"
        "from knowledge.loader import load_articles\n"
        "from knowledge.search import SearchIndex\n"
        "from knowledge import BUNDLED_ARTICLES\n"
        "hits = SearchIndex(load_articles(BUNDLED_ARTICLES)).search('level monthly payments')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('wordllama', 'tokenizers', 'safetensors', 'torch')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_a_missing_package_is_named(fresh_model, monkeypatch):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *args: None)
    with pytest.raises(ModuleNotFoundError, match="wordllama"):
        meaning._model()


def _weights_file(tmp_path, dtype: str, rows: np.ndarray, shape=None):
    shape = list(rows.shape) if shape is None else shape
    header = json.dumps(
        {"embedding.weight": {"dtype": dtype, "shape": shape, "data_offsets": [0, rows.nbytes]}}
    ).encode()
    path = tmp_path / "weights.safetensors"
    path.write_bytes(struct.pack("<Q", len(header)) + header + rows.tobytes())
    return path


def test_a_weights_file_of_another_kind_is_refused_with_its_path(tmp_path):
    path = _weights_file(tmp_path, "F32", np.zeros((2, 2), dtype=np.float32))
    with pytest.raises(ValueError, match=r"weights\.safetensors.*float16.*F32"):
        meaning.TokenVectors(path)


def test_token_rows_are_read_as_written(tmp_path):
    rows = np.arange(12, dtype=np.float16).reshape(4, 3)
    vectors = meaning.TokenVectors(_weights_file(tmp_path, "F16", rows))
    assert (vectors.count, vectors.dimensions) == (4, 3)
    np.testing.assert_array_equal(vectors.rows([2, 0, 2]), rows[[2, 0, 2]])
    assert vectors.rows([]).shape == (0, 3)


def test_a_weights_file_shorter_than_its_header_is_refused(tmp_path):
    rows = np.zeros((2, 3), dtype=np.float16)
    vectors = meaning.TokenVectors(_weights_file(tmp_path, "F16", rows, shape=[5, 3]))
    with pytest.raises(ValueError, match="shorter"):
        vectors.rows([4])


def test_searches_from_many_threads_each_get_their_articles_meaning(make_article, monkeypatch):
    # HTTP mode's threads search at once; a small bound empties and refills the table often.
    articles = [
        make_article(n, title=title, keywords=(), body=body)
        for n, (title, body) in enumerate(
            [
                ("Dog fouling", "Owners must pick up after their pets."),
                ("Council tax bill", "Your annual charge is split into monthly instalments."),
                ("Missed bin", "Report a missed collection within two working days."),
                ("Pothole", "Report a pothole and we inspect it within a week."),
                ("Parking permit", "Residents can buy a permit for their street."),
                ("Noise complaint", "Keep a diary of the noise from your neighbours."),
            ],
            start=1,
        )
    ]
    asked = question_vector(["rubbish", "collection"])
    expected = SearchIndex(articles)._meanings.likeness(asked, list(range(6)))
    meanings = SearchIndex(articles)._meanings
    monkeypatch.setattr(meaning, "ABOUT_REMEMBERED", 2)
    orders = [[n % 6, (n + 1) % 6, (n + 3) % 6] for n in range(6)]

    def search(order: list[int]) -> list[tuple[list[int], np.ndarray]]:
        return [(order, meanings.likeness(asked, order)) for _ in range(200)]

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = [found for batch in pool.map(search, orders * 2) for found in batch]
    for order, likeness in results:
        np.testing.assert_allclose(likeness, expected[order], atol=1e-6)
