"""Who someone is, from Slack's users.info: the checks /kudos and /training make before they
store anything about a person, and people's names for what a person reads (`Names`)."""

from __future__ import annotations

import time

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


def display_name(user: dict) -> str:
    """What Slack shows for a person: their display name, else their full name, else
    their username."""
    profile = user.get("profile") if isinstance(user.get("profile"), dict) else {}
    for name in (
        profile.get("display_name"),
        profile.get("real_name"),
        user.get("real_name"),
        user.get("name"),
    ):
        if isinstance(name, str) and name.strip():
            return name.strip()
    return ""


class Names:
    """People's names by member ID, from users.info, each looked up once in `max_age`
    seconds: a report naming the same people on every row asks Slack once a person.

    `name(user_id)` is "" for someone Slack does not know or will not show. After the first
    failure that is not about the person (a bad token, a missing scope, Slack down) it stops
    asking, so a long list does not wait out a timeout per row; `failed` says why."""

    def __init__(self, client: WebClient, *, max_age: float = 3600.0, clock=time.monotonic):
        self._client = client
        self._max_age = max_age
        self._clock = clock
        self._known: dict[str, tuple[float, str]] = {}
        self.failed: str | None = None

    def name(self, user_id: str) -> str:
        now = self._clock()
        cached = self._known.get(user_id)
        if cached is not None and now - cached[0] < self._max_age:
            return cached[1]
        if self.failed is not None:
            return ""
        try:
            user = look_up(self._client, user_id)
        except SlackUnavailable as error:
            self.failed = str(error)
            return ""
        name = "" if user is None or user.get("not_visible") else display_name(user)
        self._known[user_id] = (now, name)
        return name


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
