"""The contact centre's teams, targets and export formats in app.yaml (bot.config.figures):
strict, each wrong value named by its path, and what they say about who may see whose
figures."""

from __future__ import annotations

import pytest

from bot.config.settings import Settings, SettingsError, load_settings


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        (
            "teams:\n  - name: Revenues\n    members: {U0AAAA1: 37.5, U0AAAA2: 80}\n",
            "teams[0].members: U0AAAA2: expected contracted hours a week between 0 and 60, "
            "such as 37.5, got 80",
        ),
        (
            "teams:\n  - name: A\n    members: {U0AAAA1: 37.5}\n    channel: revenues\n",
            "teams[0].channel: expected a Slack channel ID such as C0123ABCD or a #name, "
            "got 'revenues'",
        ),
        (
            "teams:\n  - members: {U0AAAA1: 10}\n",
            "teams[0].name: missing (expected the team's name)",
        ),
        (
            "teams:\n  - name: A\n    members: {U0AAAA1: 37.5}\n"
            "  - name: B\n    members: {U0AAAA1: 20}\n",
            "teams: U0AAAA1 is in both 'A' and 'B'",
        ),
        (
            "teams:\n  - name: A\n    members: {U0AAAA1: 37.5}\n"
            "  - name: a\n    members: {U0AAAA2: 20}\n",
            "teams: the team 'a' is listed twice",
        ),
        (
            "teams:\n  - name: A\n    members: [U0AAAA1]\n",
            "teams[0].members: expected 'Slack user ID: contracted hours a week' lines, such as "
            "'U0123ABCD: 37.5', got a list",
        ),
        (
            "targets:\n  satisfaction: 1.5\n",
            "targets.satisfaction: expected a share between 0 and 1, such as 0.9, or nothing, "
            "got 1.5",
        ),
        (
            "targets:\n  colour: red\n",
            "targets.colour: unknown setting (expected one of: satisfaction, handle_minutes, "
            "first_contact_resolution, helpful, quiz)",
        ),
        (
            "figures:\n  agents: {'1001': X1}\n",
            "figures.agents: 1001: expected a Slack user ID such as U0123ABCD, got 'X1'",
        ),
        (
            "figures:\n  formats:\n"
            "    mine: {kind: survey, columns: {call: A, agent: B, date: C}}\n",
            "figures.formats.mine: columns: 'rating' is needed for survey",
        ),
        (
            "figures:\n  formats:\n    mine: {kind: survey, columns: {call: A, colour: B}}\n",
            "figures.formats.mine: unknown field 'colour' for survey (expected: call, agent, "
            "date, rating, comment)",
        ),
    ],
)
def test_a_wrong_value_names_its_path_and_what_was_expected(write_config, yaml_text, message):
    config = write_config(yaml_text)

    with pytest.raises(SettingsError) as error:
        load_settings()

    assert str(error.value).startswith(f"{config}: {message}")


def test_teams_say_who_is_in_each_and_who_may_see_whose_figures():
    settings = Settings(
        supervisors=["U0HEAD001"],
        teams=[
            {
                "name": "Revenues",
                "members": {"U0AAAA001": 37.5, "U0AAAA002": 22.5},
                "supervisors": ["U0SUPR001"],
                "channel": "C0REVENUE1",
            },
            {"name": "Housing", "members": {"U0BBBB001": 37}, "supervisors": ["U0SUPR002"]},
        ],
        targets={"handle_minutes": 5, "first_contact_resolution": 0.75, "quiz": None},
    )

    assert settings.team_of("U0AAAA002").name == "Revenues"
    assert settings.team_of("U0AAAA002").members["U0AAAA002"] == 22.5
    assert settings.team_of("U0NOBODY1") is None
    assert settings.supervises("U0SUPR001", "U0AAAA001")  # their own team's CSR
    assert not settings.supervises("U0SUPR001", "U0BBBB001")  # another team's
    assert not settings.supervises("U0AAAA002", "U0AAAA001")  # a colleague
    assert settings.supervises("U0HEAD001", "U0BBBB001")  # supervisors: the whole centre
    assert (settings.targets.handle_minutes, settings.targets.satisfaction) == (5, 0.9)
    assert settings.targets.quiz is None


def test_the_shipped_export_formats_can_be_renamed_or_added_to():
    settings = Settings(
        figures={
            "formats": {
                "survey_cards": {
                    "kind": "survey",
                    "columns": {"call": "Ref", "agent": "Agent", "date": "Day", "rating": "CSAT"},
                }
            }
        }
    )
    formats = settings.figures.all_formats()
    assert set(formats) == {"agent_daily", "survey_cards"}
    assert formats["survey_cards"].columns["rating"] == "CSAT"
    assert formats["agent_daily"].columns["calls"] == "Calls Handled"
