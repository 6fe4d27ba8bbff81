"""The knowledge bases the search benchmark measures: the bundled articles cut or padded to
a size with seeded filler (see bench/search.py for how), the data files, one JSON object a
line, that its child processes read, and the labelled sets its accuracy is measured on.

Filler is generated one article at a time and written straight out, so the parent never
holds a padded knowledge base: 50,000 articles take about half a second and a 57 MB file.
The fresh-word pool (about 32,000 words) is drawn from with replacement; distinct title and
keyword words come to about 3,400 at 1,000 articles, 16,500 at 10,000 and 32,000 at 50,000,
growth like Heaps' law with an exponent near 0.4. By 50,000 the pool is nearly all used, so
sizes much beyond that would need a wider pool to keep the vocabulary growing.

Nothing heavy is imported at module level, so a child pays only for the engine it measures.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Iterator
from pathlib import Path

SEED = 20260901


def _fresh_words(bundled_vocabulary: set[str]) -> list[str]:
    """Less common English words the bundled articles do not use: new vocabulary for filler."""
    from wordfreq import top_n_list

    return [
        w
        for w in top_n_list("en", 40_000)[3_000:]
        if w.isascii() and w.isalpha() and len(w) >= 4 and w not in bundled_vocabulary
    ]


def padded(articles: list, size: int, fresh_words: int, seed: int = SEED) -> Iterator[dict]:
    """`size` articles as plain dicts, one at a time: the first `size` bundled ones, or all
    of them and then filler."""
    from knowledge.text import words

    records = [
        {
            "id": a.id,
            "title": a.title,
            "category": a.category,
            "keywords": list(a.keywords),
            "owner": a.owner,
            "body": a.body,
        }
        for a in articles
    ]
    yield from records[:size]
    if size <= len(records):
        return

    rng = random.Random(seed)
    titles = [a.title.split() for a in articles]
    keywords = sorted({k for a in articles for k in a.keywords})
    says = [a.say for a in articles if a.say]
    facts = [f for a in articles for f in a.facts]
    next_steps = [a.next_step for a in articles if a.next_step]
    categories = sorted({a.category for a in articles})
    owners = sorted({a.owner for a in articles if a.owner})
    vocabulary = {w for a in articles for w in words(f"{a.title} {' '.join(a.keywords)} {a.body}")}
    fresh = _fresh_words(vocabulary) if fresh_words else []

    for number in range(1, size - len(records) + 1):
        head, tail = rng.choice(titles), rng.choice(titles)
        title = head[: rng.randint(1, max(1, len(head) - 1))] + tail[rng.randint(1, len(tail)) :]
        new = [rng.choice(fresh) for _ in range(fresh_words)] if fresh else []
        if new:
            title.insert(rng.randint(0, len(title)), new[0])
        chosen = rng.sample(keywords, rng.randint(2, 6)) + new[1:]
        body = "\n".join(
            [f'Say: "{rng.choice(says)}"']
            + [f"- {fact}" for fact in rng.sample(facts, rng.randint(2, 5))]
            + [f"Next step: {rng.choice(next_steps)}"]
        )
        yield {
            "id": f"filler-{number:05d}",
            "title": " ".join(title),
            "category": rng.choice(categories),
            "keywords": chosen,
            "owner": rng.choice(owners) if owners else None,
            "body": body,
        }


def write_data(path: Path, records: Iterable[dict], queries: list) -> None:
    """One JSON object a line (queries first), so a child never holds the whole file."""
    with path.open("w", encoding="utf-8") as out:
        for q in queries:
            out.write(json.dumps({"query": q.query, "expected": sorted(q.expected)}) + "\n")
        for record in records:
            out.write(json.dumps(record) + "\n")


def read_data(path: Path) -> tuple[list, list[tuple[str, frozenset[str]]]]:
    from knowledge.article import Article

    articles, queries = [], []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            if "query" in row:
                queries.append((row["query"], frozenset(row["expected"])))
            else:
                row["keywords"] = tuple(row["keywords"])
                articles.append(Article(**row))
    return articles, queries


def labelled_sets() -> dict[str, tuple[Path, Path]]:
    """Each labelled set's articles and questions: the bundled one first, then the
    knowledge bases written by others (knowledge/eval/README.md)."""
    from knowledge import LABELLED_SETS

    return LABELLED_SETS


def read_labelled(name: str) -> tuple[list, list[tuple[str, frozenset[str]]]]:
    """A labelled set as `deskmate kb check` reads it: loaded from its own files, not via a
    data file, so nothing an article carries (phrasings, say) is lost on the way."""
    from knowledge.evaluate import read_queries
    from knowledge.loader import load_articles

    articles_path, queries_path = labelled_sets()[name]
    queries = [(q.query, q.expected) for q in read_queries(queries_path)]
    return load_articles(articles_path), queries
