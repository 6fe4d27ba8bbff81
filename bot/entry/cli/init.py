"""`deskmate init`: writes a complete, commented app.yaml for a real install, asking on
standard input (or taking as options) the time zone, the channels, the supervisors and
which articles to start with. Every answer is checked as Deskmate will check the file, so
what it writes starts; it never overwrites a file."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ARTICLE_SETS = ("council", "billing", "both", "none")


class Stop(Exception):
    """Nothing is written; the message says why."""


@dataclass(frozen=True)
class Question:
    option: str  # the option's attribute that answers it without asking
    prompt: str
    default: str
    read: Callable[[str], Any]  # the answer as a setting, or ValueError saying why


def add_parser(commands: argparse._SubParsersAction) -> None:
    init = commands.add_parser(
        "init",
        help="write a complete, commented app.yaml for this install, asking what it needs",
        description="Write PATH (app.yaml by default), a complete, commented settings file, "
        "asking on standard input for what is not given as an option. Never overwrites.",
    )
    init.add_argument("path", nargs="?", default="app.yaml", metavar="PATH", type=Path)
    init.add_argument("--timezone", metavar="ZONE", help="an IANA name such as Europe/London")
    for name in ("kudos", "training", "supervisors", "article_owners"):
        init.add_argument(
            f"--{name.replace('_', '-')}-channel",
            dest=f"{name}_channel",
            metavar="ID",
            help=f"the {name.replace('_', ' ')} channel's ID ('' for none)",
        )
    init.add_argument("--supervisors", metavar="IDS", help="member IDs, e.g. 'U0123ABCD U0456'")
    init.add_argument(
        "--articles",
        choices=ARTICLE_SETS,
        help="the bundled articles to start with: council areas, the water utility's "
        "billing, both, or none (the centre's own)",
    )
    init.add_argument("--own-articles", metavar="PATH", help="with --articles none: its articles")
    init.set_defaults(handler=run, needs_settings=False, long_running=False)


def run(args: argparse.Namespace, _settings: None = None) -> int:
    from bot.config.init import Answers, render

    target: Path = args.path
    if target.exists():
        print(
            f"deskmate: {target} already exists; nothing written (move it, or name another file)",
            file=sys.stderr,
        )
        return 1
    try:
        values = {q.option: _answer(args, q, target) for q in _questions(target)}
        answers = Answers(
            timezone=values["timezone"],
            channels={name: values[f"{name}_channel"] for name in _CHANNEL_NAMES},
            supervisors=values["supervisors"],
            bundled=values["articles"],
            articles=_own_articles(args, values["articles"], target),
        )
        _write(target, render(answers))
    except Stop as stop:
        print(f"deskmate: {stop}; nothing written", file=sys.stderr)
        return 1
    print(f"\nWrote {target}. Next: set SLACK_BOT_TOKEN and SLACK_APP_TOKEN, then run")
    print(f"  DESKMATE_CONFIG={target.resolve()} deskmate doctor")
    return 0


_CHANNEL_NAMES = ("kudos", "training", "supervisors", "article_owners")


def _questions(target: Path) -> list[Question]:
    from bot.config.init import CHANNELS

    questions = [
        Question(
            "timezone", "Time zone (an IANA name)", "Europe/London", _checked(target, "timezone")
        ),
    ]
    for name in _CHANNEL_NAMES:
        prompt = f"{CHANNELS[name]}: channel ID, or blank for none"
        questions.append(Question(f"{name}_channel", prompt, "", _channel))
    questions.append(
        Question(
            "supervisors",
            "Supervisors' Slack member IDs (space between them), or blank",
            "",
            _people(target),
        )
    )
    questions.append(
        Question(
            "articles",
            "Articles to start with: council (UK council areas), billing (a US water "
            "utility's), both, or none (the centre's own)",
            "both",
            _article_set,
        )
    )
    return questions


def _answer(args: argparse.Namespace, question: Question, target: Path) -> Any:
    given = getattr(args, question.option)
    if given is not None:
        try:
            return question.read(given)
        except ValueError as error:
            raise Stop(f"--{question.option.replace('_', '-')}: {error}") from None
    while True:
        shown = f" [{question.default}]" if question.default else ""
        text = _ask(f"{question.prompt}{shown}: ", question.prompt)
        try:
            return question.read(text or question.default)
        except ValueError as error:
            print(f"  {error}. Please try again.")


def _ask(prompt: str, what: str) -> str:
    sys.stdout.write(prompt)
    sys.stdout.flush()
    line = sys.stdin.readline()
    if not line:
        raise Stop(f"no answer to {what!r} (the input ended)")
    return line.strip()


def _checked(target: Path, key: str) -> Callable[[str], Any]:
    """A reader that checks an answer as Deskmate will check the file."""
    from bot.config.settings import SettingsError, check

    def read(text: str) -> Any:
        try:
            check({key: text}, source=str(target), base=target.resolve().parent)
        except SettingsError as error:
            raise ValueError(str(error).split(": ", 2)[-1]) from None
        return text

    return read


def _people(target: Path) -> Callable[[str], tuple[str, ...]]:
    checked = _checked(target, "supervisors")

    def read(text: str) -> tuple[str, ...]:
        ids = tuple(part for part in re.split(r"[\s,]+", text) if part)
        checked(list(ids))
        return ids

    return read


def _channel(text: str) -> str | None:
    from bot.config.base import CHANNEL

    text = text.strip()
    if not text or text.lower() == "none":
        return None
    if not CHANNEL.match(text):
        raise ValueError(
            f"expected a Slack channel ID such as C0123ABCD (or a #name), got {text!r}"
        )
    return text


def _article_set(text: str) -> str:
    if text.strip().lower() not in ARTICLE_SETS:
        raise ValueError(f"expected one of {', '.join(ARTICLE_SETS)}, got {text!r}")
    return text.strip().lower()


def _own_articles(args: argparse.Namespace, chosen: str, target: Path) -> str | None:
    """With no bundled articles: the centre's own, if it has them yet (blank: later)."""
    if chosen != "none":
        if args.own_articles is not None:
            raise Stop("--own-articles goes with --articles none")
        return None
    if args.own_articles is not None:
        return _existing(args.own_articles, target, option=True)
    while True:
        text = _ask(
            "The centre's own articles (a folder of .md files or a CSV), or blank to import "
            "them later with deskmate kb import: ",
            "the centre's own articles",
        )
        if not text:
            return None
        try:
            return _existing(text, target, option=False)
        except Stop as error:
            print(f"  {error}. Please try again.")


def _existing(text: str, target: Path, *, option: bool) -> str:
    path = Path(text).expanduser()
    where = path if path.is_absolute() else target.resolve().parent / path
    if not where.exists():
        prefix = "--own-articles: " if option else ""
        raise Stop(f"{prefix}{where} does not exist")
    return text


def _write(target: Path, text: str) -> None:
    """Check the whole file as Deskmate will read it, then create it (never replacing one
    that appeared meanwhile)."""
    import yaml

    from bot.config.settings import SettingsError, check

    try:
        check(yaml.safe_load(text), source=str(target), base=target.resolve().parent)
    except SettingsError as error:
        raise Stop(str(error)) from None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)  # a folder of its own, new
        with target.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise Stop(f"{target} appeared meanwhile") from None
    except OSError as error:
        raise Stop(f"cannot write {target} ({error.strerror})") from None
