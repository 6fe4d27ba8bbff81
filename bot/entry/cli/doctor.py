"""`deskmate doctor`: checks a real install end to end (Slack's tokens, scopes, channels
and people; the database; the knowledge base) and says, for each problem, what to do.
Exit 0 when all is well (warnings allowed), 1 with the list of problems otherwise."""

from __future__ import annotations

import argparse
import logging
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.config.settings import Settings
    from bot.doctor import Finding

MARKS = {"ok": "ok     ", "warn": "warning", "problem": "PROBLEM"}


def add_parser(commands: argparse._SubParsersAction) -> None:
    doctor = commands.add_parser(
        "doctor",
        help="check the install: Slack tokens, scopes, channels, people, database, articles",
        description="Check this install end to end, changing nothing: the Slack bot token "
        "(auth.test) and the scopes it was granted against the manifest's, each channel in "
        "app.yaml (it exists and Deskmate is in it), each supervisor and reviewer (an active "
        "person), the database (it answers, its schema is the newest) and the knowledge "
        "base (the articles, and how well they answer knowledge.queries if set). Each "
        "problem comes with what to do. Exit status 0 when all is well, 1 otherwise.",
    )
    # A one-off command: its report is the point, so the log only warns (even with the
    # Socket Mode tokens set, which would otherwise mean INFO).
    doctor.set_defaults(handler=run, needs_settings=True, long_running=False)


def run(args: argparse.Namespace, settings: Settings) -> int:
    # Each failed call is a finding with its reason; slack_sdk's own error lines would say
    # the same thing again above the report.
    slack_log = logging.getLogger("slack_sdk")
    level = slack_log.level
    slack_log.setLevel(logging.CRITICAL)
    try:
        return report(_findings(settings))
    finally:
        slack_log.setLevel(level)


def _findings(settings: Settings) -> list[Finding]:
    from bot.doctor import check_database, check_knowledge
    from bot.slack.client import make_client
    from bot.slack.doctor import check_slack

    token = os.environ.get("SLACK_BOT_TOKEN", "").strip()
    client = make_client(token, timeout=settings.slack.timeout_seconds) if token else None
    findings = check_slack(client, settings, os.environ)
    database, engine = check_database(settings)
    findings += database
    try:
        findings += check_knowledge(settings, engine)
    finally:
        if engine is not None:
            engine.dispose()
    return findings


def report(findings: list[Finding]) -> int:
    for finding in findings:
        print(f"{MARKS[finding.status]}  {finding.what}")
        if finding.fix and finding.status != "ok":
            print(f"         -> {finding.fix}")
    problems = [finding for finding in findings if finding.failed]
    print()
    if not problems:
        print("All is well: start Deskmate.")
        return 0
    count = f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
    print(f"{count} to fix, then run `deskmate doctor` again:")
    for finding in problems:
        print(f"  - {finding.what}")
    return 1
