"""Shared by the loader tests: a valid article body, a file writer, and the checks that
load_articles reports exactly the expected `path:line: reason` problems.

Imported relatively (`from .loader_helpers import ...`); tests/knowledge/conftest.py has
pytest rewrite its asserts, so a failing check shows its values.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from knowledge.loader import LoadError, Problem, load_articles

BODY = textwrap.dedent(
    """\
    Say: "You can apply online and we will write to you within 10 working days."
    - You need proof of identity.
    - The decision letter explains how to appeal.
    Next step: Send the caller the online form link."""
)


def write(path: Path, text: str | bytes) -> Path:
    """Write a file (dedenting text), creating its folders, and return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems_of(path: Path) -> list[Problem]:
    """The problems load_articles reports for path; fails the test if it loads."""
    with pytest.raises(LoadError) as caught:
        load_articles(path)
    problems = caught.value.problems
    assert problems, "LoadError raised without any problem"
    # The message is exactly the problems, one `path:line: reason` a line (`path: reason`
    # for the whole file).
    assert str(caught.value) == "\n".join(
        f"{p.path}{f':{p.line}' if p.line else ''}: {p.reason}" for p in problems
    )
    for line in str(caught.value).splitlines():
        # path:line: reason, or path: reason for the whole file (never a made-up line 0)
        assert re.fullmatch(r".+:[1-9]\d*: .+", line) or re.fullmatch(r"[^:]+: .+", line), line
    return problems


def only_problem(path: Path, *, at: Path | None = None, line: int, says: str) -> Problem:
    """Assert load_articles reports exactly one problem, at (path, line), mentioning `says`."""
    problems = problems_of(path)
    assert len(problems) == 1, [str(p) for p in problems]
    [problem] = problems
    assert problem.path == str(at or path)
    assert problem.line == line, str(problem)
    assert says in problem.reason, str(problem)
    where = f"{at or path}:{line}" if line else f"{at or path}"
    assert str(problem) == f"{where}: {problem.reason}"
    return problem
