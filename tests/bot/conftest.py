"""Every bot test runs in its own temporary folder with no settings or Slack tokens from the
machine, so no test reads the developer's app.yaml, writes a deskmate.db into the repository
or talks to a real Slack workspace."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.entry.cli.main import main

from ..db_faults import breakable  # noqa: F401 - the fixture, for test_server_db_down


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("DESKMATE_CONFIG", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    # A developer's real Slack tokens would send `deskmate` to Slack instead of the console.
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_API_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def write_config(tmp_path, monkeypatch) -> Callable[[str], Path]:
    """Write an app.yaml in a folder of its own and point DESKMATE_CONFIG at it."""

    def write(text: str = "database:\n  url: sqlite:///test.db\n") -> Path:
        folder = tmp_path / "config"
        folder.mkdir(exist_ok=True)
        path = folder / "app.yaml"
        path.write_text(text, encoding="utf-8")
        monkeypatch.setenv("DESKMATE_CONFIG", str(path))
        return path

    return write


@pytest.fixture
def cli(write_config, capsys) -> Callable[..., tuple[int, str, str]]:
    """Run `deskmate ARGS` in-process against a temporary database; returns
    (exit code, stdout, stderr)."""
    write_config()

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run
