"""Posting a message that must appear once (a kudos, a scheduled post, a lesson), even when
Slack does not answer.

A post that timed out, whose connection dropped, or that got an error page may have been
posted all the same, so posting it again blindly could show it twice. Each such post
carries its own `key` in Slack's message metadata (event type `deskmate_post`); when
Slack's answer is missing or unsure, the channel's messages since the first attempt are
searched for that key (conversations.history with all metadata) before posting again.
A post Slack refused or never received (a rate limit the client's retries did not outlast,
a connection that never opened) is simply not there, and its error is raised as it is.

Looking needs the channel's history scopes, a channel ID (Slack looks up messages by ID,
not #name), and Deskmate in the channel (it joins a public one if need be). When it cannot
look, the post may or may not be there: `PostUnsure` says so, and the caller must not send
it again without looking (kudos keep their claim until it runs out, then look first;
scheduled posts keep their delivery row, so they are not sent again).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from http.client import HTTPException

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.slack.retries import unanswered
from bot.store.models import utcnow

EVENT_TYPE = "deskmate_post"
ATTEMPTS = 3  # posts of one message before giving up for now
# A pause before looking for a post Slack did not answer, so a slow Slack can finish it.
SETTLE_SECONDS = 1.0
# Messages are looked for from this long before the first attempt: Slack's clock and ours
# need not agree.
CLOCK_SKEW = dt.timedelta(minutes=2)
HISTORY_PAGE = 200
HISTORY_PAGES = 10
# Slack's errors for "something went wrong, and it may have been partly done".
MAYBE_DONE = frozenset({"internal_error", "fatal_error", "request_timeout"})
# Slack's refusals that the same post meets every time until someone changes something:
# the channel (Deskmate not in it, gone, archived, posting restricted), the token
# (revoked, the app uninstalled) or the app's scopes. Trying again only fills the log.
PERMANENT = frozenset(
    {
        "not_in_channel",
        "channel_not_found",
        "is_archived",
        "restricted_action",
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "missing_scope",
    }
)
_CALL_ERRORS = (SlackClientError, OSError, HTTPException)

log = logging.getLogger(__name__)


class PostUnsure(SlackClientError):
    """The post may or may not be in the channel, and there was no way to look."""


class NotPosted(SlackClientError):
    """Slack answered none of the attempts, and none of them is in the channel."""


def uncertain(error: BaseException) -> bool:
    """Slack may have acted on the call that raised `error` without saying so."""
    if isinstance(error, SlackApiError):
        data = error.response.data if isinstance(error.response.data, dict) else {}
        return error.response.status_code >= 500 or data.get("error") in MAYBE_DONE
    return unanswered(error)


def refused_for_good(error: BaseException) -> str | None:
    """Slack's error code when it refused a call for a reason in PERMANENT, else None."""
    code = _error_code(error)
    return code if code in PERMANENT else None


def maybe_posted(error: BaseException) -> bool:
    """After a send raised `error`, may the post be there? Then it must not be sent again
    without looking first."""
    if isinstance(error, PostUnsure):
        return True
    if isinstance(error, NotPosted):
        return False
    return uncertain(error)


def metadata(key: str) -> dict:
    return {"event_type": EVENT_TYPE, "event_payload": {"key": key}}


def post_once(
    client: WebClient,
    *,
    channel: str,
    text: str,
    key: str,
    blocks: list | None = None,
    since: dt.datetime | None = None,
    check_first: bool = False,
    **fields,
) -> str:
    """Post `text` (and `blocks`, and chat.postMessage `fields`) in `channel` (or to a
    person, by user ID) once, marked with `key`; returns the message's ts.

    `since` is when the first attempt started (default now); `check_first` looks for the
    post before sending it at all, for one an earlier attempt may have made. Raises
    PostUnsure, NotPosted, or the error of a post Slack refused or never received."""
    oldest = (since or utcnow()) - CLOCK_SKEW
    message = {"text": text, **({"blocks": blocks} if blocks is not None else {}), **fields}
    look, last = check_first, None
    for attempt in range(1, ATTEMPTS + 1):
        if look:
            found = find_post(client, channel=channel, key=key, since=oldest)
            if found is not None:
                return found
        try:
            response = client.chat_postMessage(channel=channel, metadata=metadata(key), **message)
        except _CALL_ERRORS as error:
            if not uncertain(error):
                raise
            log.warning(
                "Slack did not answer post %s in %s (attempt %d of %d): %s; looking for it "
                "before posting again",
                key,
                channel,
                attempt,
                ATTEMPTS,
                reason(error),
            )
            look, last = True, error
            time.sleep(SETTLE_SECONDS)
            continue
        return response.get("ts") or ""
    found = find_post(client, channel=channel, key=key, since=oldest)
    if found is not None:
        return found
    raise NotPosted(
        f"Slack answered none of {ATTEMPTS} attempts to post {key} in {channel}, and none is "
        f"there: {reason(last)}"
    ) from last


def find_post(client: WebClient, *, channel: str, key: str, since: dt.datetime) -> str | None:
    """The ts of the message marked `key` in `channel` since `since`, or None; PostUnsure
    when Slack's history cannot be read."""
    where = _conversation(client, channel, key)
    cursor, joined = None, False
    for _ in range(HISTORY_PAGES):
        try:
            page = client.conversations_history(
                channel=where,
                oldest=f"{since.timestamp():.6f}",
                include_all_metadata=True,
                limit=HISTORY_PAGE,
                cursor=cursor,
            )
        except _CALL_ERRORS as error:
            if _error_code(error) == "not_in_channel" and not joined:
                # Posted with chat:write.public without being in the channel: join to look.
                _join(client, where, key)
                joined = True
                continue
            raise PostUnsure(
                f"could not read the messages in {channel} to see whether {key} is there: "
                f"{reason(error)}"
            ) from error
        for item in page.get("messages") or []:
            if _key_of(item) == key:
                return item.get("ts") or ""
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not (page.get("has_more") and cursor):
            return None
    raise PostUnsure(f"too many messages in {channel} to look through for {key}")


def _conversation(client: WebClient, channel: str, key: str) -> str:
    """The ID whose history holds posts to `channel`: a person's DM with the app."""
    if channel.startswith("#"):
        raise PostUnsure(
            f"Slack looks messages up by channel ID only, so whether {key} is in {channel} "
            "cannot be checked: give the channel's ID (such as C0123ABCD) in app.yaml"
        )
    if channel[:1] not in ("U", "W"):
        return channel
    try:
        response = client.conversations_open(users=channel)
    except _CALL_ERRORS as error:
        raise PostUnsure(
            f"could not open the DM with {channel} to see whether {key} is there: {reason(error)}"
        ) from error
    return (response.get("channel") or {}).get("id") or channel


def _join(client: WebClient, channel: str, key: str) -> None:
    try:
        client.conversations_join(channel=channel)
    except _CALL_ERRORS as error:
        raise PostUnsure(
            f"could not join {channel} to see whether {key} is there (invite Deskmate to "
            f"the channel): {reason(error)}"
        ) from error


def _key_of(message: dict) -> str | None:
    found = message.get("metadata") or {}
    if found.get("event_type") != EVENT_TYPE:
        return None
    return (found.get("event_payload") or {}).get("key")


def _error_code(error: BaseException) -> str | None:
    if isinstance(error, SlackApiError) and isinstance(error.response.data, dict):
        return error.response.data.get("error")
    return None


# What a Web API or response_url call raises once retries are spent: Slack's refusals,
# and connection errors (urllib's URLError is an OSError).
SLACK_ERRORS = (SlackClientError, OSError)


def reason(error: BaseException | None) -> str:
    """A short, secret-free account of a failed call for the log."""
    if isinstance(error, SlackApiError):
        data = error.response.data if isinstance(error.response.data, dict) else {}
        return f"HTTP {error.response.status_code}, {data.get('error', 'no error given')}"
    return f"{type(error).__name__}: {error}"
