"""`run JOB` in the console: a scheduled job's posts sent now to the console's stand-in Slack,
through the scheduler's own code, shown as Slack would show them (files included)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from bot.config.settings import load_settings
from bot.entry.console import run_console
from bot.store import kb, models

REPO = Path(__file__).resolve().parents[3]


def _console(settings, *lines: str) -> str:
    out = io.StringIO()
    run_console(settings, stdin=io.StringIO("".join(f"{x}\n" for x in lines)), stdout=out)
    return out.getvalue()


def test_a_job_that_is_not_one_names_those_there_are(write_config):
    out = _console(load_settings(write_config()), "run nonsense", "quit")
    assert "There is no job called 'nonsense'. Try one of: training_nudge, kudos_digest," in out


def test_the_monthly_figures_arrive_as_dms_and_the_teams_files(write_config):
    settings = load_settings(
        write_config(
            "database:\n  url: sqlite:///test.db\n"
            "teams:\n  - name: Revenues\n    members: {U0CONSOLE: 37.5, U0SAM: 22.5}\n"
            "    supervisors: [U0CONSOLE]\n"
        )
    )
    last_month = (dt.datetime.now(dt.UTC).replace(day=1) - dt.timedelta(days=3)).replace(hour=12)
    engine = kb.open_database(settings)
    with engine.begin() as connection:
        for user in ("U0CONSOLE", "U0SAM"):
            connection.execute(
                models.SearchLog.__table__.insert().values(
                    user_id=user,
                    query="council tax",
                    result_ids=[],
                    answered=False,
                    latency_ms=1.0,
                    created_at=last_month,
                )
            )
    engine.dispose()

    out = _console(settings, "run monthly_figures", "quit")

    assert "[direct message to @you] Deskmate shared Revenues:" in out
    assert "Revenues: monthly figures," in out
    assert "[direct message to @sam] Deskmate:" in out
    assert "(monthly_figures ran; its posts are above)" in out


def test_a_job_that_cannot_run_says_why(write_config):
    out = _console(load_settings(write_config()), "run training_nudge", "quit")
    assert "(training_nudge was skipped: channels.training is not set in app.yaml)" in out


def test_the_samples_settings_are_valid_and_name_the_consoles_people(monkeypatch):
    monkeypatch.setenv("DESKMATE_CONFIG", str(REPO / "samples" / "app.yaml"))
    settings = load_settings()
    assert settings.figures.agents["1002"] == "U0SAM"
    assert [team.name for team in settings.teams] == ["Revenues", "Housing"]
    assert settings.kudos.customer_praise
