"""What a question and an article are about, beyond the words they share.

Word matching cannot tell that "any break on his bill for older folks" is the senior
discount, or that "get my dog back if the council has picked it up" is about stray dogs and
not the taxi driver who picked someone up: the caller's words are not the article's. Each
word here has a meaning vector, the sum of its tokens' in WordLlama's static token vectors
(the `wordllama` wheel carries them, so nothing is downloaded); a text's meaning is the sum
of its words' vectors, and a question's likeness to an article is the cosine of the two.
Two likenesses are ranking features (`knowledge.evidence`): to the article's title and
keywords (`sense`), and to all of it (`gist`).

Nothing is worked out at build: an article's meaning when it first comes up as a candidate,
from the words the index already holds (`Labels.sequences`, stop words left out), and then
remembered, as `Labels.about` is; a word's when it is first met. So the build costs no more,
and memory grows with the articles asked about, within a bound, not with the knowledge base.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import struct
import threading
from pathlib import Path

import numpy as np

from knowledge.evidence import ABOUT_REMEMBERED, SEPARATOR, Labels

# The wheel's 256-dimension model (Matryoshka-trained: fewer dimensions would do, but 128
# ranked the labelled sets a point worse).
WEIGHTS = "weights/l2_supercat_256.safetensors"
TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"
WORD_START = "\u2581"  # how the tokenizer marks the start of a word
SPACE = 29871  # the word-start mark as a token of its own, which means nothing


@functools.cache
def _model() -> tuple[TokenVectors, dict[str, int], int]:
    """The token vectors, the tokens by their text, and the longest token's length."""
    spec = importlib.util.find_spec("wordllama")  # its files, without importing it
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("the wordllama package is not installed", name="wordllama")
    package = Path(spec.submodule_search_locations[0])
    tokens = _vocabulary(package / TOKENIZER)
    return TokenVectors(package / WEIGHTS), tokens, max(map(len, tokens))


def _vocabulary(path: Path) -> dict[str, int]:
    """The tokenizer file's tokens that words can hold, by their text. Only its "vocab"
    object is parsed: the 61,000 merges after it, which this module does not use, would
    treble the memory that loading takes (an emoji among the tokens makes Python hold the
    text at four bytes a character)."""
    data = path.read_bytes()
    start = data.index(b"{", data.index(b'"vocab"'))
    end = data.find(b'"merges"', start)
    text = data[start : end if end != -1 else len(data)].decode("utf-8")
    vocabulary, _ = json.JSONDecoder().raw_decode(text)
    # Only tokens a word can hold: `knowledge.text.words` gives lower-case ASCII letters and
    # digits, so the other 15,000 tokens (capitals, punctuation, other scripts) never match.
    return {
        token: number
        for token, number in vocabulary.items()
        if (rest := token.removeprefix(WORD_START)).isascii()
        and rest.isalnum()
        and rest == rest.lower()
    }


class TokenVectors:
    """The safetensors file's one tensor (an 8-byte header length, a JSON header, then
    float16 rows), read a row at a time when a word first needs it. Neither read whole nor
    mapped: a mapped file's pages count in the process's memory once touched, and the words
    of a day's questions touch nearly all 16 MB; a word's vector, once summed, is kept."""

    def __init__(self, path: Path):
        with path.open("rb") as file:
            (length,) = struct.unpack("<Q", file.read(8))
            header = json.loads(file.read(length))
        tensor = header["embedding.weight"]
        if tensor["dtype"] != "F16":
            raise ValueError(f"{path}: expected float16 token vectors, found {tensor['dtype']}")
        self.count, self.dimensions = tensor["shape"]
        self._row = self.dimensions * 2  # bytes
        self._start = 8 + length + tensor["data_offsets"][0]
        self._file = os.open(path, os.O_RDONLY)  # read by offset: safe across threads

    def rows(self, numbers: list[int]) -> np.ndarray:
        """The tokens' rows, one a token (float16)."""
        size, start = self._row, self._start
        data = b"".join(os.pread(self._file, size, start + n * size) for n in numbers)
        if len(data) != size * len(numbers):
            raise ValueError("the token vectors' file is shorter than its header says")
        return np.frombuffer(data, dtype=np.float16).reshape(len(numbers), self.dimensions)


def tokens(word: str) -> list[int]:
    """The word's tokens, longest first from the left. The tokenizer's own byte-pair merges
    split a quarter of words differently ("accident|s" here, "acc|idents" there), which
    ranked the labelled sets within half a point of this, for 17 MB less memory."""
    _, known, longest = _model()
    text = WORD_START + word
    found: list[int] = []
    place = 0
    while place < len(text):
        for end in range(min(len(text), place + longest), place, -1):
            token = known.get(text[place:end])
            if token is not None:
                if token != SPACE:
                    found.append(token)
                place = end
                break
        else:
            place += 1  # a character no token holds: nothing to add
    return found


@functools.lru_cache(maxsize=8_192)  # the words of the articles and questions in use
def word_vector(word: str) -> np.ndarray:
    """The sum of the word's tokens' vectors (float16, half a kilobyte; zeros for a word of
    none)."""
    vectors = _model()[0]
    found = tokens(word)
    if not found:
        return np.zeros(vectors.dimensions, dtype=np.float16)
    return vectors.rows(found).sum(axis=0, dtype=np.float32).astype(np.float16)


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector


def question_vector(words: list[str]) -> np.ndarray:
    """The question's meaning, from its words as meant, as a unit vector (float32)."""
    total = np.zeros(_model()[0].dimensions, dtype=np.float32)
    for word in words:
        total += word_vector(word)  # summed in float32
    return _unit(total)


class Meanings:
    """The articles' meanings, each worked out when first asked for and remembered: two
    unit vectors an article (its title and keywords', all of its words'), float16 rows of
    one table that grows as articles are asked about, up to a bound."""

    def __init__(self, labels: Labels):
        self._labels = labels
        self._slots: dict[int, int] = {}  # article number -> its rows' place in the table
        self._table = np.zeros((0, 2, _model()[0].dimensions), dtype=np.float16)
        # HTTP mode searches from several threads at once: a slot given out twice, or reused
        # after the bound empties the table while another search reads it, would give an
        # article another's meaning. Held for a search's few microseconds here.
        self._lock = threading.Lock()

    def _meaning(self, stems: str) -> np.ndarray:
        """The meaning of a run of stem characters (Labels) as a unit vector."""
        numbers = np.frombuffer(stems.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        used, counts = np.unique(numbers[numbers != ord(SEPARATOR)], return_counts=True)
        if not len(used):
            return np.zeros(_model()[0].dimensions, dtype=np.float32)
        written = self._labels.written  # per stem number, its shortest word as written
        rows = np.array([word_vector(written[n]) for n in used.tolist()], dtype=np.float32)
        return _unit(counts.astype(np.float32) @ rows)

    def _room(self, wanted: int) -> None:
        """Forget every meaning when the articles about to be asked for might pass the
        bound: before a search's slots are given out, never while (a slot given out again in
        the same search would give its first article the second's meaning)."""
        # As many as Labels.about remembers, for the same reason: the same few hundred come
        # up all day, and the bound keeps a large knowledge base small (a kilobyte an
        # article).
        if len(self._slots) + wanted > ABOUT_REMEMBERED:
            self._slots.clear()  # cheaper than tracking which was used last

    def _slot(self, number: int) -> int:
        slot = self._slots.get(number)
        if slot is None:
            slot = len(self._slots)
            if slot == len(self._table):  # doubling: each row copied a few times at most
                grown = np.zeros((max(64, 2 * slot), *self._table.shape[1:]), np.float16)
                grown[:slot] = self._table
                self._table = grown
            labels = self._labels
            self._table[slot] = (
                self._meaning(labels.named(number)),
                self._meaning(labels.sequences[number]),
            )
            self._slots[number] = slot
        return slot

    def of(self, number: int) -> np.ndarray:
        """The meaning of the article's title and keywords, and of all of its words: two
        unit vectors, one a row (float16, a copy)."""
        with self._lock:
            self._room(1)
            slot = self._slot(number)  # first: it may grow the table
            return self._table[slot].copy()

    def likeness(self, question: np.ndarray, numbers: list[int]) -> np.ndarray:
        """The question's likeness to each article's title and keywords, and to all of it:
        cosines, one row an article, below 0 counted as 0 (unlike is no evidence against)."""
        with self._lock:
            self._room(len(numbers))
            slots = [self._slot(number) for number in numbers]
            both = self._table[slots].astype(np.float32)  # a copy, taken while it is theirs
        return np.maximum(both @ question, 0.0)
