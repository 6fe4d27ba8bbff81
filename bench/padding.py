"""The knowledge bases the search benchmark measures: the bundled articles cut or padded to
a size with seeded filler (see bench/search.py for how), and the data files, one JSON object
a line, that its child processes read.

Nothing heavy is imported at module level, so a child pays only for the engine it measures.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

SEED = 20260901
BUNDLED = 0  # the size that means "the bundled knowledge base, unpadded"


def _fresh_words(bundled_vocabulary: set[str]) -> list[str]:
    """Less common English words the bundled articles do not use: new vocabulary for filler."""
    from wordfreq import top_n_list

    return [
        w
        for w in top_n_list("en", 40_000)[3_000:]
        if w.isascii() and w.isalpha() and len(w) >= 4 and w not in bundled_vocabulary
    ]


def padded(articles: list, size: int, fresh_words: int, seed: int = SEED) -> list[dict]:
    """`size` articles as plain dicts: the first `size` bundled ones, or all plus filler."""
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
    if size == BUNDLED:
        return records
    if size <= len(records):
        return records[:size]

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
        records.append(
            {
                "id": f"filler-{number:05d}",
                "title": " ".join(title),
                "category": rng.choice(categories),
                "keywords": chosen,
                "owner": rng.choice(owners) if owners else None,
                "body": body,
            }
        )
    return records


def write_data(path: Path, records: list[dict], queries: list) -> None:
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
