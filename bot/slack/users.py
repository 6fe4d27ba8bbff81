"""Who someone is, from Slack's users.info: the checks /kudos and /training make before they
store anything about a person."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.posting import SLACK_ERRORS, reason

SORRY_CHECK = "Sorry, I couldn't check who that is with Slack just now, please try again."


NOT_FOUND = ("user_not_found", "users_not_found")


NOT_VISIBLE = ("user_not_visible",)


class SlackUnavailable(Exception):
    """users.info failed for a reason other than the person not existing."""


def look_up(client: WebClient, user_id: str) -> dict | None:
    """users.info's `user`, or None when Slack does not know them (`not_visible` set when
    Slack will not show them to us)."""
    try:
        response = client.users_info(user=user_id)
    except SlackApiError as error:
        data = error.response.data if isinstance(error.response.data, dict) else {}
        if data.get("error") in NOT_FOUND:
            return None
        if data.get("error") in NOT_VISIBLE:
            # Someone Slack will not show us (another organisation's, through Slack
            # Connect): asking again will never work, so say who and why.
            return {"id": user_id, "not_visible": True}
        raise SlackUnavailable(reason(error)) from error
    except SLACK_ERRORS as error:
        raise SlackUnavailable(reason(error)) from error
    user = response.get("user")
    return user if isinstance(user, dict) else None


def user_by_email(client: WebClient, email: str) -> str | None:
    """The Slack user ID for an e-mail address (users.lookupByEmail, scope
    users:read.email), or None when no one in the workspace has it."""
    try:
        response = client.users_lookupByEmail(email=email)
    except SlackApiError as error:
        data = error.response.data if isinstance(error.response.data, dict) else {}
        if data.get("error") == "users_not_found":
            return None
        raise SlackUnavailable(reason(error)) from error
    except SLACK_ERRORS as error:
        raise SlackUnavailable(reason(error)) from error
    user = response.get("user")
    return user.get("id") if isinstance(user, dict) else None
