"""People's names from users.info (bot.slack.users.Names), against the recording fake Slack."""

from __future__ import annotations

from bot.slack.client import make_client
from bot.slack.users import Names


def test_a_name_is_asked_for_once_until_it_is_old(slack_api):
    now = [0.0]
    names = Names(make_client("xoxb-t", base_url=slack_api.api_url), clock=lambda: now[0])
    slack_api.person("U0SAM", real_name="Sam Patel")

    assert [names.name("U0SAM"), names.name("U0SAM")] == ["Sam Patel", "Sam Patel"]
    assert len(slack_api.called("users.info")) == 1
    slack_api.person("U0SAM", real_name="Sam Okafor")  # changed their name in Slack
    now[0] = 3600.0

    assert names.name("U0SAM") == "Sam Okafor"
    assert len(slack_api.called("users.info")) == 2


def test_someone_slack_will_not_show_has_no_name_and_is_no_failure(slack_api):
    names = Names(make_client("xoxb-t", base_url=slack_api.api_url))
    slack_api.person("U0CONNECT", error="user_not_visible")

    assert names.name("U0CONNECT") == ""
    assert names.failed is None


def test_the_username_stands_in_when_there_is_no_other_name(slack_api):
    names = Names(make_client("xoxb-t", base_url=slack_api.api_url))

    assert names.name("U0PLAIN") == "u0plain"  # the fake's username for an unknown person
