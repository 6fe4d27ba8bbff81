from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.config.settings import SettingsError, load_settings
from knowledge import BUNDLED_ARTICLES, BUNDLED_SYNONYMS

REPO_APP_YAML = Path(__file__).resolve().parents[3] / "app.yaml"


def test_defaults_without_any_file(tmp_path):
    settings = load_settings()

    assert settings.timezone == "Europe/London"
    assert settings.tz == ZoneInfo("Europe/London")
    assert settings.database.url == "sqlite:///deskmate.db"
    assert settings.knowledge.articles == BUNDLED_ARTICLES
    assert settings.knowledge.synonyms == BUNDLED_SYNONYMS
    assert settings.search.threshold is None  # the answerability model's own
    assert settings.search.limit == 5


def test_app_yaml_in_the_current_folder_is_read(tmp_path):
    (tmp_path / "app.yaml").write_text("search:\n  limit: 3\n")

    assert load_settings().search.limit == 3


def test_deskmate_config_wins_over_the_current_folder(tmp_path, write_config):
    (tmp_path / "app.yaml").write_text("search:\n  limit: 3\n")
    write_config("search:\n  limit: 7\n")

    assert load_settings().search.limit == 7


def test_the_shipped_app_yaml_is_valid():
    settings = load_settings(REPO_APP_YAML)

    assert settings.knowledge.articles == BUNDLED_ARTICLES
    assert settings.database.url == f"sqlite:///{REPO_APP_YAML.parent / 'deskmate.db'}"


def test_empty_file_and_empty_sections_mean_defaults(write_config):
    write_config("# nothing set\nsearch:\nknowledge:\n")

    assert load_settings().search.limit == 5


def test_relative_paths_are_resolved_against_the_app_yaml_folder(tmp_path, write_config):
    config = write_config(
        "database:\n  url: sqlite:///data/bot.db\n"
        "knowledge:\n  articles: kb\n  synonyms: kb/synonyms.yaml\n"
    )
    (config.parent / "kb").mkdir()
    (config.parent / "kb" / "synonyms.yaml").write_text("one_way: {}\n")

    settings = load_settings()

    assert settings.knowledge.articles == config.parent / "kb"
    assert settings.knowledge.synonyms == config.parent / "kb" / "synonyms.yaml"
    assert settings.database.url == f"sqlite:///{config.parent / 'data' / 'bot.db'}"


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        (
            "search:\n  threshold: high\n",
            "search.threshold: expected a number between 0 and 1, got 'high'",
        ),
        (
            "search:\n  threshold: 1.5\n",
            "search.threshold: expected a number between 0 and 1, got 1.5",
        ),
        (
            "search:\n  treshold: 0.3\n",
            "search.treshold: unknown setting (expected one of: threshold, limit)",
        ),
        ("search:\n  limit: 0\n", "search.limit: expected a whole number between 1 and 20, got 0"),
        (
            "search:\n  limit: 2.5\n",
            "search.limit: expected a whole number between 1 and 20, got 2.5",
        ),
        (
            "search:\n  limit: yes\n",
            "search.limit: expected a whole number between 1 and 20, got true",
        ),
        ("search: 5\n", "search: expected a section of settings (threshold, limit), got 5"),
        (
            "timezone: Mars/Olympus\n",
            "timezone: expected an IANA time zone name such as Europe/London, got 'Mars/Olympus'",
        ),
        (
            "timezone: 5\n",
            "timezone: expected an IANA time zone name such as Europe/London, got 5",
        ),
        (
            "chanels: {}\n",
            "chanels: unknown setting (expected one of: timezone, database, knowledge, search, "
            "channels, owners, supervisors, reviewers, kudos, logs, working_days, holidays, jobs, "
            "teams, targets, figures, training, slack)",
        ),
        (
            "slack:\n  timeout_seconds: 0.5\n",
            "slack.timeout_seconds: expected a number of seconds between 1 and 120, got 0.5",
        ),
        (
            "slack:\n  timeout_seconds: soon\n",
            "slack.timeout_seconds: expected a number of seconds between 1 and 120, got 'soon'",
        ),
        (
            "slack:\n  timeout: 5\n",
            "slack.timeout: unknown setting (expected one of: timeout_seconds)",
        ),
        (
            "channels:\n  article_owners: kb owners\n",
            "channels.article_owners: expected a Slack channel ID such as C0123ABCD or a #name",
        ),
        (
            "owners:\n  Revenues team: nope\n",
            "owners: Revenues team: expected a Slack channel ID such as C0123ABCD or a #name",
        ),
        (
            "channels:\n  kudos: '#Kudos Wall'\n",
            "channels.kudos: expected a Slack channel ID such as C0123ABCD or a #name",
        ),
        (
            "supervisors: U0123ABCD\n",
            "supervisors: expected a list of Slack user IDs such as U0123ABCD, got 'U0123ABCD'",
        ),
        (
            "supervisors: [U0123ABCD, '@alex']\n",
            "supervisors: expected Slack user IDs such as U0123ABCD",
        ),
        (
            "reviewers: U0123ABCD\n",
            "reviewers: expected a list of Slack user IDs such as U0123ABCD, got 'U0123ABCD'",
        ),
        (
            "reviewers: [U0123ABCD, Sam Smith]\n",
            "reviewers: expected Slack user IDs such as U0123ABCD (in Slack: a person's profile, "
            "⋮, Copy member ID), got 'Sam Smith'",
        ),
        ("reviewers: [42]\n", "reviewers: expected Slack user IDs such as U0123ABCD"),
        (
            "kudos:\n  daily_allowance: 0\n",
            "kudos.daily_allowance: expected a whole number between 1 and 100, got 0",
        ),
        (
            "kudos:\n  values: culture\n",
            "kudos.values: expected a list of values such as 'customer insight', got 'culture'",
        ),
        (
            "kudos:\n  values: [culture, Culture]\n",
            "kudos.values: 'Culture' is listed twice",
        ),
        (
            "kudos:\n  value: [culture]\n",
            "kudos.value: unknown setting (expected one of: values, daily_allowance, "
            "customer_praise)",
        ),
        (
            "logs:\n  retention_days: 0\n",
            "logs.retention_days: expected a whole number of days between 1 and 3650, got 0",
        ),
        (
            "database:\n  url: nonsense\n",
            "database.url: expected a database URL such as sqlite:///deskmate.db",
        ),
        (
            "database:\n  url: postgresql://deskmate:hunter2@db/deskmate\n",
            "database.url: a password does not belong in app.yaml",
        ),
        (
            "database:\n  path: x.db\n",
            "database.path: unknown setting (expected one of: url)",
        ),
        (
            "knowledge:\n  articles: missing-folder\n",
            "knowledge.articles: expected a folder of article files or a CSV of articles, but",
        ),
        (
            "knowledge:\n  articles: [a, b]\n",
            "knowledge.articles: expected a folder of article files or a CSV of articles, "
            "got a list",
        ),
        ("knowledge:\n  synonyms: .\n", "knowledge.synonyms: expected a synonyms YAML file, but"),
        (
            "knowledge:\n  bundled: uk\n",
            "knowledge.bundled: expected one of council, billing, both, none (which of the "
            "articles that come with Deskmate to start with), got 'uk'",
        ),
        (
            "knowledge:\n  articles: .\n  bundled: council\n",
            "knowledge.bundled: chooses among the articles that come with Deskmate; leave it "
            "out when knowledge.articles names the centre's own",
        ),
        (
            "knowledge:\n  queries: nowhere.csv\n",
            "knowledge.queries: expected a CSV of labelled caller questions, but",
        ),
    ],
)
def test_a_wrong_value_names_its_dotted_path_and_what_was_expected(
    write_config, yaml_text, message
):
    config = write_config(yaml_text)

    with pytest.raises(SettingsError) as error:
        load_settings()

    assert str(error.value).startswith(f"{config}: {message}")


def test_every_problem_is_reported_at_once(write_config):
    write_config("timezone: Nowhere\nsearch:\n  limit: 99\n  colour: blue\n")

    with pytest.raises(SettingsError) as error:
        load_settings()

    lines = str(error.value).splitlines()
    assert [line.split(": ")[1] for line in lines] == [
        "timezone",
        "search.limit",
        "search.colour",
    ]


def test_the_message_uses_the_path_the_admin_gave(tmp_path):
    (tmp_path / "app.yaml").write_text("search:\n  treshold: 0.3\n")

    with pytest.raises(SettingsError) as error:
        load_settings()

    assert str(error.value) == (
        "app.yaml: search.treshold: unknown setting (expected one of: threshold, limit)"
    )


def test_invalid_yaml_reports_the_line(write_config):
    config = write_config("timezone: Europe/London\nsearch:\n  limit: [5\n")

    with pytest.raises(SettingsError) as error:
        load_settings()

    assert str(error.value).startswith(f"{config}:4: not valid YAML:")


def test_a_top_level_list_is_rejected(write_config):
    config = write_config("- search\n")

    with pytest.raises(SettingsError, match="top level") as error:
        load_settings()

    assert str(error.value).startswith(f"{config}: ")


def test_a_missing_deskmate_config_file_is_reported(tmp_path, monkeypatch):
    monkeypatch.setenv("DESKMATE_CONFIG", str(tmp_path / "nope.yaml"))

    with pytest.raises(SettingsError, match="DESKMATE_CONFIG: no such settings file"):
        load_settings()


def test_settings_are_read_only():
    settings = load_settings()

    with pytest.raises(ValueError):
        settings.search.limit = 10


def test_feedback_goes_to_the_owners_channel_or_the_shared_one(write_config):
    write_config(
        'channels:\n  article_owners: "#kb-owners"\n'
        "owners:\n  Revenues team: C0123ABCD\n"
        "logs:\n  retention_days: 30\n"
    )
    settings = load_settings()
    assert settings.owner_channel("Revenues team") == "C0123ABCD"
    assert settings.owner_channel("Licensing team") == "#kb-owners"
    assert settings.owner_channel(None) == "#kb-owners"
    assert settings.logs.retention_days == 30


def test_no_owner_channel_by_default():
    settings = load_settings()
    assert settings.owner_channel("Revenues team") is None
    assert settings.logs.retention_days == 90


def test_kudos_settings_default_to_the_cse_themes_and_five_a_day():
    settings = load_settings()

    assert settings.kudos.values == [
        "customer insight",
        "culture",
        "information and access",
        "delivery",
        "timeliness and quality of service",
        "empathy",
        "teamwork",
    ]
    assert settings.kudos.daily_allowance == 5
    assert (settings.channels.kudos, settings.supervisors) == (None, [])


def test_kudos_channel_supervisors_values_and_allowance_are_read(write_config):
    write_config(
        'channels:\n  kudos: "#kudos"\n'
        "supervisors: [U0SUPER001, W0SUPER002]\n"
        "kudos:\n  values: [' empathy ', teamwork]\n  daily_allowance: 3\n"
    )

    settings = load_settings()

    assert settings.channels.kudos == "#kudos"
    assert settings.is_supervisor("W0SUPER002")
    assert not settings.is_supervisor("U0CSR00001")
    assert settings.kudos.values == ["empathy", "teamwork"]
    assert settings.kudos.daily_allowance == 3


def test_reviewers_and_supervisors_may_review_and_nobody_else(write_config):
    write_config("supervisors: [U0SUPER001]\nreviewers: [U0REVIEW01, W0REVIEW02]\n")

    settings = load_settings()

    assert [settings.can_review(user) for user in ("U0REVIEW01", "W0REVIEW02", "U0SUPER001")] == [
        True,
        True,
        True,
    ]
    assert not settings.can_review("U0CSR00001")
    assert not settings.is_supervisor("U0REVIEW01")  # reviewing grants nothing else
    assert load_settings(write_config("")).reviewers == []
