"""The training curriculum (`knowledge/training/curriculum.yaml`): one tip or quiz question a
working day, each tied to a knowledge-base article.

The same list serves the daily training-channel nudge (which wraps round after the last day)
and the ten-week new-starter programme (day N on the starter's Nth working day). Every problem
in the file is collected and raised as one `LoadError` of `path:line: reason` lines, so a bad
edit is caught whole, before anything is posted. No Slack and no database here.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from knowledge import BUNDLED_CURRICULUM
from knowledge.loader import LoadError, Problem

KINDS = ("tip", "quiz")
KEYS = ("day", "kind", "article", "text", "options", "answer", "explain")
REQUIRED = ("day", "kind", "article", "text")
QUIZ_ONLY = ("options", "answer", "explain")
MIN_OPTIONS, MAX_OPTIONS = 2, 4
MAX_TEXT_CHARS = 500  # a tip or question is read in a few seconds, not scrolled
MAX_OPTION_CHARS = 75  # an option becomes a Slack button, whose text holds at most 75
_INT_TAG = "tag:yaml.org,2002:int"
_NULL_TAG = "tag:yaml.org,2002:null"


@dataclass(frozen=True)
class Prompt:
    """One day of the curriculum: a tip, or a quiz question with its options."""

    day: int
    kind: str  # "tip" or "quiz"
    article: str  # the id of the knowledge-base article it comes from
    text: str  # the tip itself, or the question
    options: tuple[str, ...] = ()
    answer: int | None = None  # index into options of the right one (quiz only)
    explain: str | None = None  # shown after answering (quiz only, optional)

    @property
    def is_quiz(self) -> bool:
        return self.kind == "quiz"


def load_curriculum(
    path: str | Path | None = None, *, article_ids: Collection[str] | None = None
) -> list[Prompt]:
    """The prompts in `path` (the bundled curriculum by default), sorted by day.

    With `article_ids`, every prompt's article must be one of them. Raises `LoadError`
    listing every problem found, each as `path:line: reason`.
    """
    path = Path(path) if path is not None else BUNDLED_CURRICULUM
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise LoadError([Problem(source, 0, "no such file")]) from None
    except UnicodeDecodeError as exc:
        raise LoadError([Problem(source, 1, f"not UTF-8 text ({exc.reason})")]) from None
    except OSError as exc:
        raise LoadError([Problem(source, 0, f"cannot read the file ({exc.strerror})")]) from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        reason = getattr(exc, "problem", None) or str(exc)
        raise LoadError([Problem(source, line, f"not valid YAML: {reason}")]) from None
    return _Reader(source, article_ids).read(root)


def for_articles(prompts: Sequence[Prompt], article_ids: Collection[str]) -> tuple[Prompt, ...]:
    """The prompts whose article is in the knowledge base (`article_ids`), in day order.

    A council that starts without the US utility's billing articles gets no billing days:
    a nudge must never send a CSR to an answer `/answer` cannot give, nor quote a fee in a
    currency the centre does not take. Each prompt keeps its day, which is how quiz
    answers are stored; `prompt_for_day` counts along what is left.
    """
    ids = set(article_ids)
    return tuple(sorted((p for p in prompts if p.article in ids), key=lambda p: p.day))


def prompt_for_day(prompts: Sequence[Prompt], n: int) -> Prompt:
    """The `n`th prompt (1-based) in day order, starting again at the first after the last."""
    if not prompts:
        raise ValueError("the curriculum has no prompts")
    if n < 1:
        raise ValueError(f"days count from 1, not {n}")
    ordered = sorted(prompts, key=lambda p: p.day)
    return ordered[(n - 1) % len(ordered)]


def _line(node: Node) -> int:
    return node.start_mark.line + 1


class _Reader:
    def __init__(self, source: str, article_ids: Collection[str] | None):
        self.source = source
        self.article_ids = set(article_ids) if article_ids is not None else None
        self.problems: list[Problem] = []

    def problem(self, line: int, reason: str) -> None:
        self.problems.append(Problem(self.source, line, reason))

    def read(self, root: Node | None) -> list[Prompt]:
        days = self.days_node(root)
        prompts: list[Prompt] = []
        numbered: list[tuple[int, int]] = []  # (day, line) of every entry with a good day
        for entry in days:
            prompt, day = self.entry(entry)
            if prompt is not None:
                prompts.append(prompt)
            if day is not None:
                numbered.append((day, _line(entry)))
        self.check_days(numbered)
        if self.problems:
            raise LoadError(sorted(self.problems, key=lambda p: p.line))
        return sorted(prompts, key=lambda p: p.day)

    def days_node(self, root: Node | None) -> list[Node]:
        if root is None:
            self.problem(1, "the file is empty: expected 'days:' and a list of prompts")
        elif not isinstance(root, MappingNode):
            self.problem(_line(root), "expected 'days:' and a list of prompts")
        else:
            days = None
            for key, value in root.value:
                name = key.value if isinstance(key, ScalarNode) else None
                if name == "days":
                    days = value
                else:
                    self.problem(_line(key), f"unknown key '{name}' (expected: days)")
            if days is None:
                self.problem(_line(root), "'days' is required: a list of prompts")
            elif not isinstance(days, SequenceNode):
                self.problem(_line(days), "'days' must be a list of prompts ('- day: 1' ...)")
            elif not days.value:
                self.problem(_line(days), "'days' has no prompts")
            else:
                return list(days.value)
        raise LoadError(self.problems)

    def entry(self, node: Node) -> tuple[Prompt | None, int | None]:
        """The prompt (None if anything is wrong) and its day (None if the day is wrong)."""
        line = _line(node)
        if not isinstance(node, MappingNode):
            self.problem(line, "each day must be 'day:', 'kind:', 'article:', 'text:' ... lines")
            return None, None
        before = len(self.problems)
        fields: dict[str, Node] = {}
        key_lines: dict[str, int] = {}
        for key, value in node.value:
            name = str(key.value) if isinstance(key, ScalarNode) else "?"
            if name not in KEYS:
                self.problem(_line(key), f"unknown key '{name}' (expected: {', '.join(KEYS)})")
            elif name in fields:
                self.problem(_line(key), f"'{name}' is given twice (also line {key_lines[name]})")
            else:
                fields[name] = value
                key_lines[name] = _line(key)
        for name in REQUIRED:
            if name not in fields:
                self.problem(line, f"'{name}' is required")

        day = self.whole_number(fields.get("day"), "day")
        if day is not None and day < 1:
            self.problem(_line(fields["day"]), f"'day' must be 1 or more, not {day}")
            day = None
        kind = self.text(fields.get("kind"), "kind")
        if kind is not None and kind not in KINDS:
            self.problem(_line(fields["kind"]), f"'kind' must be tip or quiz, not '{kind}'")
        article = self.text(fields.get("article"), "article")
        if article is not None and self.article_ids is not None:
            self.check_article(article, _line(fields["article"]))
        text = self.text(fields.get("text"), "text", limit=MAX_TEXT_CHARS)

        options: tuple[str, ...] = ()
        answer = explain = None
        if kind == "tip":
            for name in QUIZ_ONLY:
                if name in fields:
                    self.problem(key_lines[name], f"a tip has no '{name}' (only a quiz has)")
        elif kind == "quiz":
            options = self.options(fields.get("options"), line)
            answer = self.answer(fields.get("answer"), line, len(options))
            if "explain" in fields:
                explain = self.text(fields["explain"], "explain", limit=MAX_TEXT_CHARS)

        if len(self.problems) > before:
            return None, day
        return Prompt(day, kind, article, text, options, answer, explain), day

    def text(self, node: Node | None, name: str, *, limit: int | None = None) -> str | None:
        """A scalar as the text it was written as ("yes", "2026-01-01" and "12" stay text)."""
        if node is None:
            return None
        if not isinstance(node, ScalarNode):
            self.problem(_line(node), f"'{name}' must be text, not a list or mapping")
            return None
        value = node.value.strip() if node.tag != _NULL_TAG else ""
        if not value:
            self.problem(_line(node), f"'{name}' is empty")
            return None
        if limit is not None and len(value) > limit:
            self.problem(_line(node), f"'{name}' is {len(value)} characters long (at most {limit})")
            return None
        return value

    def whole_number(self, node: Node | None, name: str) -> int | None:
        if node is None:
            return None
        if not isinstance(node, ScalarNode) or node.tag != _INT_TAG:
            shown = node.value if isinstance(node, ScalarNode) else "a list or mapping"
            self.problem(_line(node), f"'{name}' must be a whole number, not '{shown}'")
            return None
        return yaml.SafeLoader("").construct_yaml_int(node)

    def options(self, node: Node | None, line: int) -> tuple[str, ...]:
        if node is None:
            self.problem(line, f"a quiz needs 'options': {MIN_OPTIONS} to {MAX_OPTIONS} answers")
            return ()
        if not isinstance(node, SequenceNode):
            self.problem(_line(node), '\'options\' must be a list like ["yes", "no"]')
            return ()
        count = len(node.value)
        if not MIN_OPTIONS <= count <= MAX_OPTIONS:
            self.problem(
                _line(node),
                f"a quiz needs {MIN_OPTIONS} to {MAX_OPTIONS} options, not {count}",
            )
        options = []
        for item in node.value:
            option = self.text(item, "option", limit=MAX_OPTION_CHARS)
            if option is not None and option in options:
                self.problem(_line(item), f"option '{option}' is given twice")
            options.append(option)
        return tuple(option or "" for option in options)

    def answer(self, node: Node | None, line: int, count: int) -> int | None:
        if node is None:
            self.problem(line, "a quiz needs 'answer': the index of the right option, from 0")
            return None
        answer = self.whole_number(node, "answer")
        if answer is not None and MIN_OPTIONS <= count <= MAX_OPTIONS and not 0 <= answer < count:
            self.problem(
                _line(node),
                f"'answer' is {answer}, but it counts options from 0, so it must be "
                f"0 to {count - 1} for {count} options",
            )
            return None
        return answer

    def check_article(self, article: str, line: int) -> None:
        assert self.article_ids is not None
        if article in self.article_ids:
            return
        close = difflib.get_close_matches(article, self.article_ids, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        self.problem(line, f"unknown article '{article}'{hint}")

    def check_days(self, numbered: list[tuple[int, int]]) -> None:
        """Days run 1, 2, 3 ... with no repeats and no gaps (file order does not matter)."""
        first_line: dict[int, int] = {}
        for day, line in numbered:
            if day in first_line:
                self.problem(line, f"day {day} is given twice (also line {first_line[day]})")
            else:
                first_line[day] = line
        for day in range(1, max(first_line, default=0) + 1):
            if day not in first_line:
                later = min(d for d in first_line if d > day)
                self.problem(
                    first_line[later],
                    f"day {day} is missing: days must run 1, 2, 3 ... with no gaps",
                )
