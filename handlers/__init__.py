"""The Slack surface: slash commands, buttons, modals and App Home. Thin: parse the
payload, call the core, render Block Kit, respond."""

from __future__ import annotations

from slack_bolt import App


def register(app: App) -> None:
    """Wire every listener group onto `app` (one `register(app)` per group)."""
    # Imported here, not above: each group imports its siblings through this package
    # (handlers.replies, handlers.auth), which must not need the groups to be loaded first.
    from handlers import answer, home, kudos, reports, reviews, training

    answer.register(app)
    home.register(app)
    kudos.register(app)
    reports.register(app)
    reviews.register(app)
    training.register(app)
