"""A kudos whose post Slack refuses for good (Deskmate not in the channel, the channel gone
or archived, the token revoked) is stopped rather than retried for ever: the giver is told
plainly, the log names the fix, and `resume_stopped` (deskmate kudos retry) lets it go out
once the admin has fixed the cause. Transient refusals are still retried."""

from __future__ import annotations

import json
import logging

import pytest

from bot.kudos import resume_stopped
from bot.slack.posting import PERMANENT

from .kudos_app import (  # noqa: F401 - fixtures
    KUDOS_CHANNEL,
    _real_time,
    app,
    clock,
    engine,
    giver,
    kudos,
    person,
    posts,
    sent,
    stored,
    told,
)

ADMIN_FIX = {
    "not_in_channel": f"invite Deskmate to {KUDOS_CHANNEL}",
    "channel_not_found": "set channels.kudos in app.yaml",
    "is_archived": f"{KUDOS_CHANNEL} is archived",
    "restricted_action": f"does not let Deskmate post in {KUDOS_CHANNEL}",
    "invalid_auth": "reinstall the Slack app and set the new bot token",
    "account_inactive": "reinstall the Slack app and set the new bot token",
    "token_revoked": "reinstall the Slack app and set the new bot token",
    "missing_scope": "reinstall it from the manifest",
}
GIVER_TOLD = {
    "not_in_channel": f"Deskmate isn't a member of <#{KUDOS_CHANNEL}>",
    "channel_not_found": f"Slack can't find <#{KUDOS_CHANNEL}>",
    "is_archived": f"<#{KUDOS_CHANNEL}> has been archived",
    "restricted_action": f"Deskmate isn't allowed to post in <#{KUDOS_CHANNEL}>",
    "invalid_auth": "Slack has stopped accepting Deskmate's messages",
    "account_inactive": "Slack has stopped accepting Deskmate's messages",
    "token_revoked": "Slack has stopped accepting Deskmate's messages",
    "missing_scope": "Deskmate hasn't been given permission to post there",
}


def _about(fake, who: str) -> list:
    return [post for post in posts(fake) if f"<@{who}>" in json.dumps(post.body)]


@pytest.mark.parametrize("code", sorted(ADMIN_FIX))
def test_a_post_refused_for_good_is_stopped_the_giver_told_and_the_fix_logged(
    app, slack_api, engine, giver, code, caplog
):
    assert code in PERMANENT
    alex = person()
    slack_api.reply("chat.postMessage", body={"ok": False, "error": code}, once=True)

    with caplog.at_level(logging.ERROR):
        kudos(app, slack_api, giver, f"<@{alex}> for staying late to help the new starters")

    [row] = stored(engine, giver)
    assert (row.posted_ts, row.claimed_at, row.post_stopped) == (None, None, code)
    [said] = told(slack_api)
    assert said.startswith(f"Thanks! Your kudos for <@{alex}> is saved, but I can't post it: ")
    assert GIVER_TOLD[code] in said
    assert "keep trying" not in said and "admin" in said
    [line] = [r.getMessage() for r in caplog.records if "Could not post kudos" in r.getMessage()]
    assert f"Could not post kudos {row.id} in {KUDOS_CHANNEL}: HTTP 200, {code}" in line
    assert ADMIN_FIX[code] in line and "deskmate kudos retry" in line

    # Later kudos run the retry pass: it leaves the stopped one alone.
    kudos(app, slack_api, person(), f"<@{person()}> for an excellent first week")
    kudos(app, slack_api, person(), f"<@{person()}> for an excellent second week")

    assert len(_about(slack_api, alex)) == 1  # the one refused attempt
    assert stored(engine, giver)[0].attempts == 1


def test_once_the_admin_has_fixed_it_deskmate_kudos_retry_posts_it_once(
    app, slack_api, engine, giver
):
    alex = person()
    slack_api.reply("chat.postMessage", body={"ok": False, "error": "not_in_channel"}, once=True)
    kudos(app, slack_api, giver, f"<@{alex}> for a patient and careful call")

    assert resume_stopped(engine) >= 1  # what `deskmate kudos retry` does
    kudos(app, slack_api, person(), f"<@{person()}> for a brilliant handover")
    kudos(app, slack_api, person(), f"<@{person()}> for another brilliant handover")

    assert len(_about(slack_api, alex)) == 2  # refused, then posted once
    [row] = stored(engine, giver)
    assert (row.posted_ts, row.post_stopped) == ("1700000000.000100", None)
    assert resume_stopped(engine) == 0


def test_a_retry_refused_for_good_stops_and_tells_the_giver_by_direct_message(
    app, slack_api, engine, giver
):
    alex = person()
    slack_api.reply("chat.postMessage", body={"ok": False, "error": "ratelimited"}, once=True)
    kudos(app, slack_api, giver, f"<@{alex}> for calming down a very upset caller")
    assert "I'll keep trying" in told(slack_api)[0]
    slack_api.reply("chat.postMessage", body={"ok": False, "error": "is_archived"}, once=True)

    kudos(app, slack_api, person(), f"<@{person()}> for a tidy set of call notes")

    [row] = stored(engine, giver)
    assert row.post_stopped == "is_archived"
    [dm] = [call for call in sent(slack_api, "chat.postMessage") if call.body["channel"] == giver]
    assert dm.body["text"].startswith(f"Your kudos for <@{alex}> is saved, but I can't post it")
    assert f"<#{KUDOS_CHANNEL}> has been archived" in dm.body["text"]


@pytest.mark.parametrize("code", ["service_unavailable", "ratelimited"])
def test_a_transient_refusal_is_still_retried(app, slack_api, engine, giver, code):
    alex = person()
    slack_api.reply("chat.postMessage", body={"ok": False, "error": code}, once=True)
    kudos(app, slack_api, giver, f"<@{alex}> for a lovely calm call today")
    assert stored(engine, giver)[0].post_stopped is None

    kudos(app, slack_api, person(), f"<@{person()}> for a lovely calm call tomorrow")

    assert stored(engine, giver)[0].posted_ts is not None
    assert len(_about(slack_api, alex)) == 2
