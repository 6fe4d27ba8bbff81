"""The house's rules (README, "Architecture"), checked from the source's own imports with the
standard library's `ast`: every import counts, including those inside functions and under
TYPE_CHECKING, so a rule cannot be dodged by importing late.

- Layers run one way: knowledge, then the core (bot.config, bot.store, the feature rules in
  bot/), then the Slack-facing pieces both surfaces use (bot.slack), then the two surfaces
  (handlers for Slack's requests, scheduler for the clock), then the entry points
  (bot.entry). A file imports only from its own layer or those below.
- The surfaces do not import each other; nothing imports an entry point but another one.
- knowledge knows no Slack and no database; the core knows no Slack.
- No file imports another that imports it back, directly or round a loop.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("knowledge", "bot", "handlers", "scheduler")
LAYERS = {"knowledge": 0, "config": 1, "store": 2, "core": 3, "slack": 4, "surface": 5, "entry": 6}
SLACK = ("slack_bolt", "slack_sdk")
DATABASE = ("sqlalchemy", "sqlmodel", "alembic", "psycopg")


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer(module: str) -> str:
    """Which layer a module of ours is in, by where it lives."""
    parts = module.split(".")
    if parts[0] == "knowledge":
        return "knowledge"
    if parts[0] in ("handlers", "scheduler"):
        return "surface"
    if len(parts) > 1 and parts[1] in ("config", "store", "slack", "entry"):
        return parts[1]
    if module == "bot.__main__":
        return "entry"
    return "core"


def imports(root: Path) -> dict[str, set[str]]:
    """Each module of ours and every module it imports (ours and others', as named)."""
    found: dict[str, set[str]] = {}
    paths = [p for package in PACKAGES for p in (root / package).rglob("*.py")]
    modules = {module_name(root, p) for p in paths}
    for path in paths:
        name = module_name(root, path)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets = found.setdefault(name, set())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    base = ".".join(up + ([base] if base else []))
                # `from bot.store import kb` imports the module bot.store.kb
                for alias in node.names:
                    whole = f"{base}.{alias.name}"
                    targets.add(whole if whole in modules else base)
    return found


def ours(module: str) -> bool:
    return module.split(".")[0] in PACKAGES


def broken_rules(graph: dict[str, set[str]]) -> Iterator[str]:
    for module, targets in sorted(graph.items()):
        here = layer(module)
        for target in sorted(targets):
            top = target.split(".")[0]
            if here == "knowledge" and top in SLACK + DATABASE:
                yield f"{module} imports {target}: knowledge knows no Slack and no database"
            if here in ("config", "store", "core") and top in SLACK:
                yield f"{module} imports {target}: the core knows no Slack"
            if not ours(target) or target == module:
                continue
            there = layer(target)
            if LAYERS[there] > LAYERS[here]:
                yield f"{module} ({here}) imports {target} ({there}), a layer above it"
            elif here == there == "surface" and top != module.split(".")[0]:
                yield f"{module} imports {target}: handlers and scheduler do not import each other"


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Groups of our modules that import each other round a loop (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for target in graph.get(module, ()):
            if target not in graph:
                continue
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def _without_package_faces(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    # A package's __init__ that registers its own modules (handlers.register) is the
    # package itself, not a loop: its modules do not import it back.
    return {m: {t for t in ts if not m.startswith(t + ".")} for m, ts in graph.items()}


def test_every_import_runs_down_the_layers():
    assert list(broken_rules(imports(REPO))) == []


def test_no_file_imports_another_that_imports_it_back():
    assert circles(_without_package_faces(imports(REPO))) == []


def test_every_module_is_in_a_layer_the_readme_names():
    graph = imports(REPO)
    assert {layer(module) for module in graph} == set(LAYERS)
    assert layer("bot.entry.cli.main") == "entry"
    assert layer("bot.slack.blocks.kudos") == "slack"
    assert layer("bot.kudos") == "core"


# -- the checks themselves catch what they are for ----------------------------------------


def _house(tmp_path: Path, files: dict[str, str]) -> dict[str, set[str]]:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    for package in PACKAGES:
        (tmp_path / package).mkdir(exist_ok=True)
    return imports(tmp_path)


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {"bot/kudos.py": "def f():\n    from handlers import kudos\n", "handlers/kudos.py": ""},
            "bot.kudos (core) imports handlers.kudos (surface), a layer above it",
        ),
        (
            {
                "scheduler/jobs.py": "from handlers.reviews import pages\n",
                "handlers/reviews.py": "",
            },
            "scheduler.jobs imports handlers.reviews: handlers and scheduler do not import "
            "each other",
        ),
        (
            {"bot/store/kb.py": "from slack_sdk import WebClient\n"},
            "bot.store.kb imports slack_sdk: the core knows no Slack",
        ),
        (
            {"knowledge/search.py": "import sqlalchemy\n"},
            "knowledge.search imports sqlalchemy: knowledge knows no Slack and no database",
        ),
        (
            {"handlers/answer.py": "from bot.entry import app\n", "bot/entry/app.py": ""},
            "handlers.answer (surface) imports bot.entry.app (entry), a layer above it",
        ),
    ],
)
def test_a_broken_rule_is_named(tmp_path, files, expected):
    assert expected in list(broken_rules(_house(tmp_path, files)))


def test_a_loop_of_imports_is_found_however_it_is_hidden(tmp_path):
    graph = _house(
        tmp_path,
        {
            "bot/console.py": "from bot.console_forms import fill_in\n",
            "bot/console_forms.py": (
                "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                "    from bot.console import Console\n"
            ),
            "bot/one.py": "from . import two\n",
            "bot/two.py": "def f():\n    from bot import one\n",
        },
    )
    assert circles(graph) == [["bot.console", "bot.console_forms"], ["bot.one", "bot.two"]]
