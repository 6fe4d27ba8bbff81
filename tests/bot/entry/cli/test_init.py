"""`deskmate init`: a complete, commented app.yaml from answers on standard input or
options, checked as Deskmate will read it, never overwriting a file."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot.config.settings import load_settings
from bot.entry.cli.main import main

ALL_OPTIONS = [
    "--timezone", "Europe/London",
    "--kudos-channel", "C0KUDOS001",
    "--training-channel", "",
    "--supervisors-channel", "G0SUPER01",
    "--article-owners-channel", "",
    "--supervisors", "U0SAM,U0ALEX",
    "--articles", "council",
]  # fmt: skip


@pytest.fixture
def init(monkeypatch, capsys):
    """Run `deskmate init ARGS` with `answers` as standard input; (code, out, err)."""

    def run(*args: str, answers: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(answers))
        code = main(["init", *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_answers_on_standard_input_make_a_file_deskmate_starts_with(init, tmp_path):
    answers = "\n".join(
        [
            "London",  # not an IANA name: asked again
            "Europe/London",
            "C0KUDOS001",
            "",  # no training channel
            "kudos",  # not a channel ID: asked again
            "G0SUPER01",
            "#kb-owners",
            "U0SAM Bob",  # Bob is not a member ID: asked again
            "U0SAM U0ALEX",
            "uk",  # not a choice: asked again
            "council",
        ]
    )

    code, out, err = init(answers=answers + "\n")

    assert (code, err) == (0, "")
    assert "expected an IANA time zone name such as Europe/London, got 'London'" in out
    assert "expected a Slack channel ID such as C0123ABCD (or a #name), got 'kudos'" in out
    assert "got 'Bob'. Please try again." in out
    assert "expected one of council, billing, both, none, got 'uk'" in out
    assert f"DESKMATE_CONFIG={tmp_path / 'app.yaml'} deskmate doctor" in out
    settings = load_settings(tmp_path / "app.yaml")
    assert settings.timezone == "Europe/London"
    assert settings.channels.kudos == "C0KUDOS001"
    assert settings.channels.training is None
    assert (settings.channels.supervisors, settings.channels.article_owners) == (
        "G0SUPER01",
        "#kb-owners",
    )
    assert settings.supervisors == ["U0SAM", "U0ALEX"]
    assert settings.knowledge.bundled == "council"
    assert (settings.holidays.country, settings.holidays.subdivision) == ("GB", "ENG")
    assert settings.database.url == f"sqlite:///{tmp_path / 'deskmate.db'}"


def test_the_file_explains_each_setting(init, tmp_path):
    init(*ALL_OPTIONS)

    text = (tmp_path / "app.yaml").read_text()
    assert text.startswith("# Deskmate settings, written by `deskmate init`.")
    assert "deskmate doctor" in text
    assert "Invite\n  # Deskmate to each private channel (/invite @Deskmate)" in text
    assert "Not the supervisors' channel above." in text
    assert "  # training: C0123ABCD   (not set: see above)" in text
    assert "DATABASE_URL=postgresql+psycopg://" in text


def test_options_answer_every_question_without_asking(init, tmp_path):
    code, out, err = init(*ALL_OPTIONS)

    assert (code, err) == (0, "")
    assert "?" not in out.split("Wrote")[0] and ": " not in out.split("Wrote")[0]
    settings = load_settings(tmp_path / "app.yaml")
    assert settings.supervisors == ["U0SAM", "U0ALEX"]
    assert settings.channels.training is None


def test_a_us_utility_gets_us_holidays_and_the_billing_articles(init, tmp_path):
    code, _, _ = init(*ALL_OPTIONS[:-4], "--timezone", "America/Chicago", "--supervisors", "",
                      "--articles", "billing")  # fmt: skip

    assert code == 0
    settings = load_settings(tmp_path / "app.yaml")
    assert (settings.holidays.country, settings.holidays.subdivision) == ("US", None)
    assert settings.knowledge.bundled == "billing"
    assert settings.supervisors == []


def test_none_with_the_centres_own_articles_names_them(init, tmp_path):
    (tmp_path / "our-articles").mkdir()
    options = ALL_OPTIONS[:-2]
    answers = "none\nnowhere\nour-articles\n"  # a folder that is not there is asked again

    code, out, err = init(*options, answers=answers)

    assert (code, err) == (0, "")
    assert f"{tmp_path / 'nowhere'} does not exist. Please try again." in out
    settings = load_settings(tmp_path / "app.yaml")
    assert settings.knowledge.articles == tmp_path / "our-articles"


def test_none_without_articles_yet_starts_empty(init, tmp_path):
    code, _, _ = init(*ALL_OPTIONS[:-2], answers="none\n\n")

    assert code == 0
    assert load_settings(tmp_path / "app.yaml").knowledge.categories == ()


def test_an_existing_file_is_never_overwritten(init, tmp_path):
    (tmp_path / "app.yaml").write_text("timezone: Europe/London\n")

    code, out, err = init(*ALL_OPTIONS)

    assert code == 1
    assert err == (
        "deskmate: app.yaml already exists; nothing written (move it, or name another file)\n"
    )
    assert (tmp_path / "app.yaml").read_text() == "timezone: Europe/London\n"


def test_input_that_ends_early_writes_nothing(init, tmp_path):
    code, _, err = init(answers="Europe/London\nC0KUDOS001\n")

    assert code == 1
    assert err.startswith("deskmate: no answer to 'Where the daily training tip or quiz goes")
    assert err.endswith("(the input ended); nothing written\n")
    assert not (tmp_path / "app.yaml").exists()


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--timezone", "Mars/Olympus"], "--timezone: expected an IANA time zone name"),
        (["--kudos-channel", "kudos"], "--kudos-channel: expected a Slack channel ID"),
        (["--supervisors", "sam"], "--supervisors: expected Slack user IDs such as U0123ABCD"),
        (["--own-articles", "kb"], "--own-articles goes with --articles none"),
        (["--articles", "none", "--own-articles", "kb"], "--own-articles: "),
    ],
)
def test_a_wrong_option_names_it_and_writes_nothing(init, tmp_path, args, says):
    code, _, err = init(*ALL_OPTIONS, *args)

    assert code == 1
    assert err.startswith(f"deskmate: {says}")
    assert err.endswith("; nothing written\n")
    assert not (tmp_path / "app.yaml").exists()


def test_another_path_can_be_named(init, tmp_path):
    # The folder is made: a folder of its own, where the data will live too.
    code, _, _ = init(str(Path("config") / "deskmate.yaml"), *ALL_OPTIONS)

    assert code == 0
    assert load_settings(tmp_path / "config" / "deskmate.yaml").channels.kudos == "C0KUDOS001"
