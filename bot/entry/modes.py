"""Which way Deskmate runs, from the environment alone (DESIGN.md, "Environment"): both Slack
tokens mean Socket Mode, none means the local console, one alone is a mistake worth naming.
Kept apart from bot.entry.run so the command line can ask without loading Slack's SDK."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Literal

Mode = Literal["socket", "console"]


BOT_TOKEN = "SLACK_BOT_TOKEN"


APP_TOKEN = "SLACK_APP_TOKEN"


SIGNING_SECRET = "SLACK_SIGNING_SECRET"


class RunError(Exception):
    """Deskmate cannot start as asked; the message tells the admin what to set."""


def is_set(environ: Mapping[str, str], name: str) -> bool:
    return bool(environ.get(name, "").strip())


def choose_mode(environ: Mapping[str, str] | None = None) -> Mode:
    """Socket Mode with both Slack tokens, the local console with neither."""
    environ = os.environ if environ is None else environ
    bot, app = is_set(environ, BOT_TOKEN), is_set(environ, APP_TOKEN)
    if bot and app:
        return "socket"
    if bot or app:
        missing = APP_TOKEN if bot else BOT_TOKEN
        raise RunError(
            f"Socket Mode needs both {BOT_TOKEN} and {APP_TOKEN}, and {missing} is not set. "
            f"Set it (see `deskmate manifest` for where each token comes from), or unset "
            f"{BOT_TOKEN if bot else APP_TOKEN} to try Deskmate in the local console."
        )
    return "console"


def check_socket_tokens(environ: Mapping[str, str]) -> tuple[str, str]:
    """The (bot, app) tokens, after catching the usual mix-ups before Slack refuses them."""
    if choose_mode(environ) != "socket":
        raise RunError(f"Socket Mode needs {BOT_TOKEN} and {APP_TOKEN} to be set.")
    bot, app = environ[BOT_TOKEN].strip(), environ[APP_TOKEN].strip()
    if not bot.startswith("xoxb-"):
        raise RunError(f"{BOT_TOKEN} should be the Bot User OAuth Token, starting xoxb-.")
    if not app.startswith("xapp-"):
        raise RunError(
            f"{APP_TOKEN} should be an app-level token with connections:write, starting xapp-."
        )
    return bot, app
