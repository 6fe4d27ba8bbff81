"""The Slack surface: slash commands, buttons, modals and App Home. Thin: parse the
payload, call the core, render Block Kit, respond."""

from __future__ import annotations

from slack_bolt import App


def register(app: App) -> None:
    """Wire every listener group onto `app` (one `register(app)` per group)."""
    from handlers import answer, home, kudos, reports, reviews, starters, training

    answer.register(app)
    home.register(app)
    kudos.register(app)
    reports.register(app)
    reviews.register(app)
    starters.register(app)
    training.register(app)
