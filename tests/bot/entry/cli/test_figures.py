"""`deskmate figures import`: the shipped samples with the shipped settings and no Slack
token, a bad file refused with nothing stored, agents matched by e-mail through Slack."""

from __future__ import annotations

from pathlib import Path

from bot.config.settings import load_settings
from bot.figures.imports import agent_users
from bot.store import kb

REPO = Path(__file__).resolve().parents[4]
SAMPLES = REPO / "samples"
CARDS = "Call ID,Agent ID,Call Date,Rating,Comment\n"


def _stored(table: str) -> int:
    engine = kb.open_database(load_settings())
    try:
        with engine.connect() as connection:
            return connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar()
    finally:
        engine.dispose()


def test_the_shipped_samples_import_with_the_shipped_settings_and_no_slack(cli, write_config):
    write_config((REPO / "app.yaml").read_text(encoding="utf-8"))

    code, out, err = cli("figures", "import", str(SAMPLES / "agent_daily.csv"))
    assert (code, err) == (0, "")
    assert out.startswith("agent_daily: added 702, updated 0, unchanged 0\n")
    assert "12 agents not yet matched to a Slack user (kept, and counted once matched)" in out

    code, out, _ = cli("figures", "import", str(SAMPLES / "survey_cards.csv"))
    assert code == 0 and out.startswith("survey_cards: added 1773,")

    code, out, _ = cli("figures", "import", str(SAMPLES / "agent_daily.csv"))
    assert out.startswith("agent_daily: added 0, updated 0, unchanged 702\n")
    assert (_stored("agent_day"), _stored("survey_card")) == (702, 1773)


def test_a_file_with_a_bad_row_is_refused_line_by_line_and_nothing_is_stored(cli, tmp_path):
    path = tmp_path / "cards.csv"
    path.write_text(CARDS + "C1,1001,2026-09-01,5,\nC2,1001,2026-09-01,9,\n", encoding="utf-8")

    code, out, err = cli("figures", "import", str(path))

    assert code == 1 and out == ""
    assert err == f"{path}:3: rating '9' is outside 1-5\nNothing was imported.\n"
    assert _stored("survey_card") == 0


def test_agents_listed_in_app_yaml_are_matched_and_not_listed(cli, write_config, tmp_path):
    write_config(
        "database:\n  url: sqlite:///test.db\nfigures:\n  agents:\n    '1001': U0AAAA001\n"
    )
    path = tmp_path / "cards.csv"
    path.write_text(CARDS + "C1,1001,2026-09-01,5,\nC2,1002,2026-09-01,4,\n", encoding="utf-8")

    code, out, _ = cli("figures", "import", str(path))

    assert code == 0
    assert "1 agent not yet matched to a Slack user (kept, and counted once matched): 1002." in out


def test_agents_given_by_email_are_matched_with_slack(cli, tmp_path, slack_api, monkeypatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-figures")
    monkeypatch.setenv("SLACK_API_URL", slack_api.api_url)
    slack_api.reply("users.lookupByEmail", body={"ok": True, "user": {"id": "U0SAM0001"}})
    path = tmp_path / "cards.csv"
    path.write_text(CARDS + "C1,Sam@Council.example,2026-09-01,5,\n", encoding="utf-8")

    code, out, _ = cli("figures", "import", str(path))

    assert code == 0
    assert "matched 1 agent to Slack by e-mail" in out and "not yet matched" not in out
    [call] = slack_api.called("users.lookupByEmail")
    assert call.body["email"] == "sam@council.example"
    engine = kb.open_database(load_settings())
    assert agent_users(engine, agents={}) == {"sam@council.example": "U0SAM0001"}
    engine.dispose()


def test_an_email_slack_does_not_know_stays_unmatched(cli, tmp_path, slack_api, monkeypatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-figures")
    monkeypatch.setenv("SLACK_API_URL", slack_api.api_url)
    slack_api.fail("users.lookupByEmail", "users_not_found")
    path = tmp_path / "cards.csv"
    path.write_text(CARDS + "C1,nobody@council.example,2026-09-01,5,\n", encoding="utf-8")

    code, out, err = cli("figures", "import", str(path))

    assert (code, err) == (0, "")
    assert "1 agent not yet matched to a Slack user" in out
    assert "nobody@council.example" in out


def test_slack_that_cannot_be_reached_leaves_agents_unmatched_and_says_so(
    cli, tmp_path, slack_api, monkeypatch
):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-figures")
    monkeypatch.setenv("SLACK_API_URL", slack_api.api_url)
    slack_api.fail("users.lookupByEmail", "invalid_auth")
    path = tmp_path / "cards.csv"
    path.write_text(CARDS + "C1,sam@council.example,2026-09-01,5,\n", encoding="utf-8")

    code, out, err = cli("figures", "import", str(path))

    assert code == 0 and out.startswith("survey_cards: added 1,")
    assert err == "deskmate: could not look agents up by e-mail: HTTP 200, invalid_auth\n"
    assert "1 agent not yet matched" in out


def test_with_customer_praise_on_a_five_with_a_comment_becomes_a_kudos(cli, write_config, tmp_path):
    write_config(
        "database:\n  url: sqlite:///test.db\nchannels:\n  kudos: C0KUDOS001\n"
        "kudos:\n  customer_praise: true\nfigures:\n  agents:\n    '1001': U0AAAA001\n"
    )
    path = tmp_path / "cards.csv"
    path.write_text(CARDS + "C1,1001,2026-09-01,5,So kind\nC2,1001,2026-09-01,5,\n")

    code, out, _ = cli("figures", "import", str(path))
    again = cli("figures", "import", str(path))[1]

    assert code == 0
    assert "1 survey card rated 5 with a comment became kudos from a customer" in out
    assert "became kudos" not in again  # once
    assert _stored("kudos") == 1


def test_customer_praise_without_a_kudos_channel_says_what_is_missing(cli, write_config, tmp_path):
    write_config("database:\n  url: sqlite:///test.db\nkudos:\n  customer_praise: true\n")
    path = tmp_path / "cards.csv"
    path.write_text(CARDS + "C1,1001,2026-09-01,5,So kind\n")

    code, _, err = cli("figures", "import", str(path))

    assert code == 0
    assert err == (
        "Survey praise is not posted: kudos.customer_praise needs channels.kudos in app.yaml.\n"
    )
    assert _stored("kudos") == 0
