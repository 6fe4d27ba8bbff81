"""`deskmate init` in the core: a complete, commented app.yaml for a real install, from the
admin's answers (time zone, channels, supervisors, which articles to start with). Pure:
answers in, the file's text out; the command line asks the questions and writes it."""

from __future__ import annotations

from dataclasses import dataclass, field

# The channels app.yaml has, with the question the command line asks for each.
CHANNELS = {
    "kudos": "Where /kudos shout-outs and the weekly kudos digest go",
    "training": "Where the daily training tip or quiz goes",
    "supervisors": "Where the monthly figures for supervisors go",
    "article_owners": "Where feedback and suggested edits for article owners go",
}
# The holidays a time zone most likely keeps; any other zone gets none until set.
HOLIDAYS = {"Europe/London": "{country: GB, subdivision: ENG}"}


@dataclass(frozen=True)
class Answers:
    timezone: str = "Europe/London"
    channels: dict[str, str | None] = field(default_factory=dict)
    supervisors: tuple[str, ...] = ()
    bundled: str = "both"  # council, billing, both or none
    articles: str | None = None  # the centre's own articles (with bundled "none")


def holidays_line(timezone: str) -> str:
    if timezone in HOLIDAYS:
        return f"holidays: {HOLIDAYS[timezone]}"
    if timezone.startswith("America/"):
        return "holidays: {country: US}   # add subdivision: with your state, e.g. NY"
    return "holidays: {country: ~}   # none: set country (and subdivision) for yours"


def _channel(name: str, value: str | None) -> str:
    if value is None:
        return f"  # {name}: C0123ABCD   (not set: see above)"
    return f'  {name}: "{value}"'


def _knowledge(answers: Answers) -> str:
    if answers.articles is not None:
        return f'  articles: "{answers.articles}"'
    return f"  bundled: {answers.bundled}"


def _people(ids: tuple[str, ...]) -> str:
    if not ids:
        return "# supervisors: [U0123ABCD, U0456EFGH]   (none yet)"
    return f"supervisors: [{', '.join(ids)}]"


def render(answers: Answers) -> str:
    """The app.yaml for `answers`: every setting, each with why it is there."""
    channels = "\n".join(_channel(name, answers.channels.get(name)) for name in CHANNELS)
    return TEMPLATE.format(
        timezone=answers.timezone,
        knowledge=_knowledge(answers),
        channels=channels,
        supervisors=_people(answers.supervisors),
        holidays=holidays_line(answers.timezone),
    )


TEMPLATE = """\
# Deskmate settings, written by `deskmate init`.
#
# Deskmate reads this file when it starts: the file named by the DESKMATE_CONFIG
# environment variable, or else app.yaml in the folder it is started from. A misspelt
# setting or a wrong value stops Deskmate with the setting's name and what it expected.
# Check the whole install (Slack tokens, scopes, channels, people, database) with
#   deskmate doctor
#
# No secrets here: Slack tokens and database passwords go in environment variables
# (SLACK_BOT_TOKEN, SLACK_APP_TOKEN, SLACK_SIGNING_SECRET, DATABASE_URL).
# Relative paths below are taken from the folder this file is in.

# Time zone for scheduled posts, working days and reports, as an IANA name.
timezone: {timezone}

# Scheduled posts go out on these days, except bank holidays.
working_days: [mon, tue, wed, thu, fri]
# Bank holidays from the `holidays` package: a country code and, optionally, a region
# (GB: ENG, SCT, WLS, NIR; US: a state such as NY).
{holidays}

database:
  # The default: a SQLite file, deskmate.db, beside this file; it suits one machine.
  # For several instances use PostgreSQL: set the DATABASE_URL environment variable, e.g.
  #   DATABASE_URL=postgresql+psycopg://deskmate@db.example.gov.uk/deskmate
  # (the password from PGPASSWORD or ~/.pgpass). DATABASE_URL always wins over this.
  # url: sqlite:///deskmate.db

knowledge:
  # The articles a new database starts with. bundled: chooses among those that come
  # with Deskmate: council (a UK council's housing, benefits, planning and licensing),
  # billing (a US county water utility's billing, in dollars), both, or none (start
  # empty and import the centre's own with `deskmate kb import PATH`). Call craft
  # (greeting, holding, transfers) comes with council and billing. Or name the centre's
  # own with articles: (a folder of Markdown articles or a CSV) instead of bundled:.
  # After the first start the database holds the articles; change them with
  #   deskmate kb import PATH   and   deskmate kb export DIR
{knowledge}
  # A CSV of labelled caller questions (query,expected) for `deskmate doctor` to measure
  # the search on, as `deskmate kb check` does.
  # queries: my-questions.csv

channels:
  # Channel IDs (in Slack: the channel's name, About, the ID at the bottom). Invite
  # Deskmate to each private channel (/invite @Deskmate) or it cannot post there.
  # Kudos: without one, a kudos is posted where /kudos was typed and there is no digest.
  # Training: without one, the daily training tip or quiz is not posted.
  # Supervisors: the monthly figures (chart and summary); each CSR gets theirs by DM.
  # Article owners: feedback and suggested edits (or per owner, under owners: below).
{channels}

# Article owners (as written in the articles' owner: line) with a channel of their own.
# owners:
#   Revenues team: C0123ABCD

# Supervisors: people, as Slack member IDs (their profile, the ⋮ menu, "Copy member ID").
# Not the supervisors' channel above. Only they use /reports, enrol new starters
# (/training enrol), see others' training progress and mark articles reviewed; their
# kudos are marked as from a supervisor.
{supervisors}

# Who else may press "Mark reviewed" on the weekly review reminders, as member IDs.
# reviewers: [U0789IJKL]

# search:
#   threshold: 0.5   # how sure search must be before it answers (0 to 1)
#   limit: 5         # the most answers shown for one search

# kudos:
#   daily_allowance: 5   # kudos one person may give a day
#   values: [customer insight, culture, information and access, delivery,
#            timeliness and quality of service, empathy, teamwork]

# When each job runs (cron: minute hour day month weekday), in the time zone above.
# See them with `deskmate jobs list`.
# jobs:
#   training_nudge: {{cron: "0 9 * * *"}}
#   kudos_digest: {{cron: "0 16 * * fri"}}
#   review_reminders: {{cron: "0 9 * * mon"}}
#   starter_lessons: {{cron: "0 9 * * *"}}
#   monthly_figures: {{cron: "0 9 1-7 * *", first_working_day: true}}
#   search_log_purge: {{cron: "30 2 * * *", working_days_only: false}}

# Day 1 of the daily training curriculum (50 working days).
# training: {{start_date: 2027-01-04}}

# How long searches are kept for the knowledge-gap reports (days).
# logs: {{retention_days: 90}}

# How long Deskmate waits for Slack to answer one call (seconds).
# slack: {{timeout_seconds: 10}}
"""
