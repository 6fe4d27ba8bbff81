"""The admin-editable list of abbreviations, jargon and caller phrasing (`synonyms.yaml`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from knowledge.loader import LoadError, Problem
from knowledge.text import terms, words

Phrase = tuple[str, ...]


@dataclass
class Synonyms:
    """For each phrase (as stemmed terms), the phrases it should also search for."""

    expansions: dict[Phrase, list[Phrase]] = field(default_factory=dict)
    words: set[str] = field(default_factory=set)  # as written (folded), for typo correction

    def add(self, source: str, targets: list[str]) -> None:
        key = tuple(terms(source))
        if not key:
            return
        self.words.update(words(source))
        for target in targets:
            self.words.update(words(target))
        known = self.expansions.setdefault(key, [])
        for target in targets:
            phrase = tuple(terms(target))
            if phrase and phrase != key and phrase not in known:
                known.append(phrase)

    def extended(self, more: dict[str, set[str]]) -> Synonyms:
        """A copy with these one-way entries added (the list itself is shared, unchanged)."""
        copy = Synonyms(
            {key: list(targets) for key, targets in self.expansions.items()}, set(self.words)
        )
        for source, targets in sorted(more.items()):
            copy.add(source, sorted(targets))
        return copy

    def __len__(self) -> int:
        return len(self.expansions)


def parse_synonyms(data: object, source: str = "synonyms") -> Synonyms:
    problems: list[Problem] = []
    synonyms = Synonyms()
    if data is None:
        return synonyms
    if not isinstance(data, dict):
        raise LoadError([Problem(source, 1, "expected 'one_way:' and 'two_way:' sections")])
    for key in data:
        if key not in ("one_way", "two_way"):
            problems.append(
                Problem(source, 0, f"unknown section '{key}' (expected one_way, two_way)")
            )
    one_way = data.get("one_way") or {}
    if not isinstance(one_way, dict):
        problems.append(Problem(source, 0, "one_way: expected 'term: [words, ...]' entries"))
        one_way = {}
    for term, targets in one_way.items():
        if isinstance(targets, str):
            targets = [targets]
        if not isinstance(targets, list) or not all(isinstance(t, str) for t in targets):
            problems.append(Problem(source, 0, f"one_way.{term}: expected a list of words"))
            continue
        synonyms.add(str(term), targets)
    two_way = data.get("two_way") or []
    if not isinstance(two_way, list):
        problems.append(Problem(source, 0, "two_way: expected a list of [word, word, ...] groups"))
        two_way = []
    for number, group in enumerate(two_way, start=1):
        if not isinstance(group, list) or not all(isinstance(t, str | int) for t in group):
            problems.append(Problem(source, 0, f"two_way[{number}]: expected [word, word, ...]"))
            continue
        for member in group:
            synonyms.add(str(member), [str(other) for other in group if other != member])
    if problems:
        raise LoadError(problems)
    return synonyms


def load_synonyms(path: str | Path) -> Synonyms:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise LoadError([Problem(str(path), 0, f"cannot read the file ({exc.strerror})")]) from exc
    except UnicodeDecodeError as exc:
        raise LoadError([Problem(str(path), 1, f"not UTF-8 text ({exc.reason})")]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        reason = getattr(exc, "problem", None) or str(exc)
        raise LoadError([Problem(str(path), line, f"not valid YAML: {reason}")]) from exc
    return parse_synonyms(data, str(path))
