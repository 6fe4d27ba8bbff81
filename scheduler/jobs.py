"""Every scheduled job by the name app.yaml's `jobs:` gives it; each feature's jobs live in
the scheduler module named after it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from scheduler.answer import search_log_purge
from scheduler.delivery import JobContext
from scheduler.figures import monthly_figures
from scheduler.kudos import kudos_digest
from scheduler.reviews import review_reminders
from scheduler.training import starter_lessons, training_nudge

JOBS: dict[str, Callable[[JobContext, dt.datetime], None]] = {
    "training_nudge": training_nudge,
    "kudos_digest": kudos_digest,
    "search_log_purge": search_log_purge,
    "review_reminders": review_reminders,
    "starter_lessons": starter_lessons,
    "monthly_figures": monthly_figures,
}
