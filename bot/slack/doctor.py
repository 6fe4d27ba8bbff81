"""`deskmate doctor`'s Slack checks: the tokens, the scopes the app was installed with
against the manifest's, each configured channel, and each supervisor and reviewer. Each
finding says what to do (bot.doctor.Finding); nothing is posted or changed in Slack."""

from __future__ import annotations

from collections.abc import Mapping

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.config.settings import Settings
from bot.doctor import Finding, ok, problem, warn
from bot.slack.manifest import manifest
from bot.slack.posting import SLACK_ERRORS, reason
from bot.slack.users import SlackUnavailable, display_name, look_up

BAD_TOKEN = ("invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired")
INVITE = "in Slack, open the channel and type `/invite @Deskmate`"


def check_slack(
    client: WebClient | None, settings: Settings, environ: Mapping[str, str]
) -> list[Finding]:
    """Every Slack check, in the order an admin fixes them: the channels and people are
    checked only once the token works, as each would fail for the same reason."""
    if client is None:
        return [
            problem(
                "SLACK_BOT_TOKEN is not set",
                "set it to the Bot User OAuth Token (xoxb-...) from the app's Install App page",
            )
        ]
    token, scopes = _auth(client)
    findings = [token, *_mode(environ)]
    if scopes is None:
        return findings
    findings.append(_scopes(scopes))
    findings += [_channel(client, key, channel) for key, channel in configured_channels(settings)]
    return findings + check_people(client, settings)


def _mode(environ: Mapping[str, str]) -> list[Finding]:
    """The app has what its way of running needs: Socket Mode's app token, or HTTP mode's
    signing secret."""
    app_token = environ.get("SLACK_APP_TOKEN", "").strip()
    if app_token and not app_token.startswith("xapp-"):
        return [
            problem(
                "SLACK_APP_TOKEN does not start xapp-",
                "use an app-level token with connections:write (Basic Information, "
                "App-Level Tokens)",
            )
        ]
    if not app_token and not environ.get("SLACK_SIGNING_SECRET", "").strip():
        return [
            problem(
                "neither SLACK_APP_TOKEN (Socket Mode) nor SLACK_SIGNING_SECRET (HTTP mode) is set",
                "set SLACK_APP_TOKEN for Socket Mode, or SLACK_SIGNING_SECRET for "
                "`deskmate serve --http`",
            )
        ]
    return []


def _auth(client: WebClient) -> tuple[Finding, set[str] | None]:
    """auth.test: whether the token works, and the scopes it was granted (None: unknown)."""
    try:
        response = client.auth_test()
    except SlackApiError as error:
        if _code(error) in BAD_TOKEN:
            return problem(
                f"Slack refused SLACK_BOT_TOKEN ({_code(error)})",
                "copy the Bot User OAuth Token again from the app's Install App page "
                "(reinstalling the app makes a new one)",
            ), None
        return problem(f"Slack's auth.test failed ({reason(error)})", _REACH), None
    except SLACK_ERRORS as error:
        return problem(f"Slack did not answer auth.test ({reason(error)})", _REACH), None
    headers = {key.lower(): value for key, value in (response.headers or {}).items()}
    granted = str(headers.get("x-oauth-scopes", ""))
    finding = ok(
        f"Slack bot token: {response.get('user', '?')} ({response.get('user_id', '?')}) "
        f"in {response.get('team', '?')}"
    )
    return finding, {scope.strip() for scope in granted.split(",") if scope.strip()}


def _code(error: SlackApiError) -> str | None:
    data = error.response.data
    return data.get("error") if isinstance(data, dict) else None


_REACH = (
    "check this machine can reach slack.com over HTTPS (a proxy: SLACK_API_URL), then try again"
)


def _scopes(granted: set[str]) -> Finding:
    """The scopes the token was granted against the manifest's: a scope added in a newer
    Deskmate needs the app updated and reinstalled."""
    wanted = manifest()["oauth_config"]["scopes"]["bot"]
    missing = [scope for scope in wanted if scope not in granted]
    if missing:
        return problem(
            f"scopes: the app lacks {', '.join(missing)}",
            "update the app from `deskmate manifest` (the app's App Manifest page), then "
            "reinstall it to the workspace (Install App)",
        )
    return ok(f"scopes: all {len(wanted)} the manifest asks for")


def configured_channels(settings: Settings) -> list[tuple[str, str]]:
    """(setting, channel) for every channel app.yaml names."""
    channels = [
        (f"channels.{name}", value)
        for name, value in settings.channels.model_dump().items()
        if value is not None
    ]
    channels += [(f"owners.{owner}", channel) for owner, channel in settings.owners.items()]
    return channels


def _channel(client: WebClient, key: str, channel: str) -> Finding:
    if channel.startswith("#"):
        return warn(
            f"{key} {channel}: a #name, which Slack cannot look up or read back",
            "put the channel's ID instead (in Slack: the channel's name, About, the ID at "
            "the bottom), so posts Slack did not answer can be checked before sending again",
        )
    try:
        info = client.conversations_info(channel=channel).get("channel") or {}
    except SlackApiError as error:
        code = (
            (error.response.data or {}).get("error")
            if isinstance(error.response.data, dict)
            else None
        )
        if code == "channel_not_found":
            return problem(
                f"{key} {channel}: Slack knows no such channel, or it is private and "
                "Deskmate is not in it",
                f"check the ID in app.yaml; for a private channel, {INVITE}",
            )
        return problem(f"{key} {channel}: could not be checked ({reason(error)})", _REACH)
    except SLACK_ERRORS as error:
        return problem(f"{key} {channel}: could not be checked ({reason(error)})", _REACH)
    name = f"{channel} (#{info.get('name', '?')})"
    if info.get("is_archived"):
        return problem(f"{key} {name}: archived", "unarchive it, or name another channel")
    if not info.get("is_member"):
        return problem(f"{key} {name}: Deskmate is not in it", INVITE)
    return ok(f"{key} {name}: Deskmate is in it")


def check_people(client: WebClient, settings: Settings) -> list[Finding]:
    """Each supervisor and reviewer is an active person Slack will show."""
    people = [("supervisors", user_id) for user_id in settings.supervisors]
    people += [("reviewers", user_id) for user_id in settings.reviewers]
    return [_person(client, key, user_id) for key, user_id in people]


def _person(client: WebClient, key: str, user_id: str) -> Finding:
    fix = f"correct or remove {user_id} under {key}: in app.yaml"
    try:
        user = look_up(client, user_id)
    except SlackUnavailable as error:
        return problem(f"{key} {user_id}: could not be checked ({error})", _REACH)
    if user is None:
        return problem(f"{key} {user_id}: Slack knows no such person", fix)
    if user.get("not_visible"):
        return problem(f"{key} {user_id}: Slack will not show this person to Deskmate", fix)
    name = f"{user_id} ({display_name(user) or '?'})"
    if user.get("deleted"):
        return problem(f"{key} {name}: the account is deactivated", fix)
    if user.get("is_bot"):
        return problem(f"{key} {name}: a bot, not a person", fix)
    return ok(f"{key} {name}: an active person")
