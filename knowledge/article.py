"""The article record and its Markdown form (YAML front matter, then the script body)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import yaml

FIELDS = ("id", "title", "category", "keywords", "phrasings", "owner", "reviewed")
# A phrasing is a question as a CSR typed it, not an essay: longer text would only blur
# what the article is found for.
MAX_PHRASING_CHARS = 200


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    category: str
    body: str
    keywords: tuple[str, ...] = field(default_factory=tuple)
    # Questions, as CSRs typed them, found to mean this article (learned from use, or
    # written by its owner); search reads them as a field of their own.
    phrasings: tuple[str, ...] = field(default_factory=tuple)
    owner: str | None = None
    reviewed: dt.date | None = None

    @property
    def say(self) -> str | None:
        """The script line the CSR reads out, without its label (`Say:`, or another of
        SCRIPT_LABELS) and quotes."""
        line = self._say_line
        if line is None:
            return None
        return line.split(":", 1)[1].strip().strip('"').strip("\u201c\u201d").strip()

    @property
    def _say_line(self) -> str | None:
        return next((ln for ln in self.body.splitlines() if _is_say(ln)), None)

    @property
    def scripted(self) -> bool:
        """Whether the body is nothing but script parts (the `Say:` line, fact bullets, the
        `Next step:`), so that showing those parts shows all of it. A council's own page
        often opens with a `Say:` line over numbered steps or notes: not scripted."""
        return all(
            not line.strip() or _is_say(line) or _is_fact(line) or _is_next_step(line)
            for line in self.body.splitlines()
        )

    @property
    def unsaid(self) -> str:
        """The body without its `Say:` line: what follows the script, as written."""
        lines = self.body.splitlines()
        said = self._say_line
        if said is not None:
            lines.remove(said)
        return "\n".join(lines).strip()

    @property
    def facts(self) -> list[str]:
        return [line.strip()[2:].strip() for line in self.body.splitlines() if _is_fact(line)]

    @property
    def next_step(self) -> str | None:
        for line in self.body.splitlines():
            if _is_next_step(line):
                return line.split(":", 1)[1].strip()
        return None


# The labels a line to read out goes under: Deskmate's own `Say:`, and those that councils'
# and utilities' own pages use for the same line ("Script:", "Tell the resident:").
SCRIPT_LABELS = (
    "say:",
    "script:",
    "read out:",
    "tell the caller:",
    "tell the customer:",
    "tell the resident:",
    "tell the tenant:",
)


def _is_say(line: str) -> bool:
    return line.strip().lower().startswith(SCRIPT_LABELS)


def _is_fact(line: str) -> bool:
    return line.strip().startswith(("- ", "* "))


def _is_next_step(line: str) -> bool:
    return line.strip().lower().startswith("next step:")


def to_markdown(article: Article) -> str:
    """The article as a file that `load_articles` reads back to an equal Article."""
    front: dict[str, object] = {
        "id": article.id,
        "title": article.title,
        "category": article.category,
    }
    if article.keywords:
        front["keywords"] = list(article.keywords)
    if article.phrasings:
        # A block list, one question a line: they are longer than keywords, and learned ones
        # come one at a time, so the history of an exported file shows each on its own.
        front["phrasings"] = list(article.phrasings)
    if article.owner:
        front["owner"] = article.owner
    if article.reviewed:
        front["reviewed"] = article.reviewed
    lines = []
    for key, value in front.items():
        if key == "keywords":
            # A flow list on one line, like the hand-written files.
            dumped = yaml.safe_dump(
                value, allow_unicode=True, default_flow_style=True, width=10_000
            )
            lines.append(f"keywords: {dumped.strip()}")
        else:
            dumped = yaml.safe_dump({key: value}, allow_unicode=True, width=10_000)
            lines.append(dumped.strip())
    return "---\n" + "\n".join(lines) + "\n---\n" + article.body.strip() + "\n"
