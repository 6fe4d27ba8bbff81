"""The search engines the benchmark compares: our `SearchIndex`, a plain rapidfuzz WRatio
over the titles, and bm25s.

Each is two steps: `prepare()` imports (not timed), the builder it returns makes the index
from the articles (timed) and returns a search: query -> up to LIMIT article ids, best first.
Nothing is imported at module level, so a child process loads only the engine it measures.
"""

from __future__ import annotations

from collections.abc import Callable

ENGINES = ("deskmate", "wratio", "bm25s")
LIMIT = 5

Search = Callable[[str], list[str]]


def prepare_deskmate() -> Callable[[list], Search]:
    from knowledge.search import SearchIndex

    def build(articles: list) -> Search:
        index = SearchIndex(articles)
        return lambda query: [hit.article.id for hit in index.search(query, limit=LIMIT)]

    return build


def prepare_wratio() -> Callable[[list], Search]:
    from rapidfuzz import fuzz, process, utils

    def build(articles: list) -> Search:
        # Titles are lower-cased and stripped of punctuation once, the query on each search.
        titles = [utils.default_process(a.title) for a in articles]
        ids = [a.id for a in articles]

        def search(query: str) -> list[str]:
            found = process.extract(
                utils.default_process(query), titles, scorer=fuzz.WRatio, limit=LIMIT
            )
            return [ids[number] for _, score, number in found if score > 0]

        return search

    return build


def prepare_bm25s() -> Callable[[list], Search]:
    import bm25s

    def build(articles: list) -> Search:
        corpus = [f"{a.title} {' '.join(a.keywords)} {a.body}" for a in articles]
        tokens = bm25s.tokenize(corpus, stopwords="en", show_progress=False)
        retriever = bm25s.BM25()
        retriever.index(tokens, show_progress=False)
        ids = [a.id for a in articles]
        k = min(LIMIT, len(ids))

        def search(query: str) -> list[str]:
            query_tokens = bm25s.tokenize(
                query, stopwords="en", return_ids=False, show_progress=False
            )
            docs, scores = retriever.retrieve(query_tokens, k=k, show_progress=False)
            return [ids[d] for d, s in zip(docs[0], scores[0], strict=True) if s > 0]

        return search

    return build


PREPARE = {"deskmate": prepare_deskmate, "wratio": prepare_wratio, "bm25s": prepare_bm25s}
