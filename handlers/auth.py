"""Who may do what. Every supervisor-only command and button asks `refusal` before it reads
or changes anything, so the rule and the private message that explains it live here once.

The people come from `app.yaml` (`supervisors:`, and `reviewers:` for "Mark reviewed"), never
from Slack: a channel's membership or a Slack admin role grants nothing here."""

from __future__ import annotations

from bot.config.settings import Settings

NAMED = 5  # people named in a refusal; beyond that "and others"


def _who(people: list[str]) -> str:
    names = [f"<@{user_id}>" for user_id in people[:NAMED]]
    if len(people) > NAMED:
        names.append("others")
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def refusal(
    settings: Settings,
    user_id: str,
    *,
    to: str,
    reviewers: bool = False,
    instead: str | None = None,
) -> str | None:
    """None when `user_id` may `to` (e.g. "enrol new starters"); otherwise the private
    reply that says who can. `reviewers`: article reviewers may too. `instead`: a line that
    points somewhere useful in place of "ask one of them"."""
    allowed = settings.can_review(user_id) if reviewers else settings.is_supervisor(user_id)
    if allowed:
        return None
    roles, key = "supervisors", "`supervisors:`"
    people = list(settings.supervisors)
    if reviewers:
        roles, key = "supervisors and article reviewers", "`reviewers:`"
        people += [person for person in settings.reviewers if person not in people]
    first = f"Only {roles} can {to}."
    if instead:
        return f"{first} {instead}"
    if not people:
        return f"{first} None are set up yet: an admin adds them to {key} in app.yaml."
    return f"{first} Ask {_who(people)}, or an admin to add you to {key} in app.yaml."
