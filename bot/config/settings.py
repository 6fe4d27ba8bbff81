"""The one settings object: `app.yaml` (no secrets) plus the environment.

Where the file comes from: `DESKMATE_CONFIG`, else `./app.yaml`, else the built-in defaults.
A wrong key or value raises `SettingsError` naming the key's dotted path and what was
expected, so an admin can fix the file without reading a traceback.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import (
    Field,
    ValidationError,
    field_validator,
)

from bot.config.base import CHANNEL, check_channel, model_at, path_of
from bot.config.base import Section as _Section
from bot.config.base import custom as _custom
from bot.config.base import show as _show
from bot.config.database import DEFAULT_DATABASE_URL, DatabaseSettings, warn_of_a_database_left_here
from bot.config.figures import FiguresSettings, Targets, Team, check_teams
from bot.config.knowledge import KnowledgeSettings
from bot.config.schedule import (
    DAY_NAMES,
    HolidaySettings,
    JobsSettings,
    TrainingSettings,
    check_working_days,
)

CONFIG_ENV = "DESKMATE_CONFIG"
_USER = re.compile(r"^[UW][A-Z0-9]{2,}$")
# The Customer Service Excellence Standard's five criteria.
CSE_VALUES = (
    "customer insight",
    "culture",
    "information and access",
    "delivery",
    "timeliness and quality of service",
)
# The Standard's criteria plus the two things supervisors most often praise on a call.
DEFAULT_KUDOS_VALUES = (*CSE_VALUES, "empathy", "teamwork")
VALUE_CHARS = 75  # Slack's limit for a select option's text
DATABASE_ENV = "DATABASE_URL"
DEFAULT_CONFIG = Path("app.yaml")
SLACK_TIMEOUT_SECONDS = 10


class SettingsError(Exception):
    """A setting is wrong; the message is meant for the admin, one problem per line."""


class SearchSettings(_Section):
    # None: the answerability model's own threshold, the same on any knowledge base.
    threshold: Annotated[float, Field(ge=0, le=1)] | None = Field(
        None, description="a number between 0 and 1"
    )
    limit: Annotated[int, Field(ge=1, le=20)] = Field(
        5, description="a whole number between 1 and 20"
    )


class ChannelSettings(_Section):
    # Channel IDs (C0123ABCD) or names (#kb-owners). Optional until the feature is used.
    article_owners: str | None = Field(
        None, description="a Slack channel ID or #name where feedback for owners goes"
    )
    # Without one, a kudos is posted in the channel where /kudos was typed.
    kudos: str | None = Field(None, description="a Slack channel ID or #name for kudos")
    # The daily training nudge; without one it is not posted.
    training: str | None = Field(
        None, description="a Slack channel ID or #name for the daily training nudge"
    )
    supervisors: str | None = Field(
        None, description="a Slack channel ID or #name for supervisors' reports"
    )

    @field_validator("article_owners", "kudos", "training", "supervisors")
    @classmethod
    def _check_channel(cls, value: str | None) -> str | None:
        return check_channel(value)


class KudosSettings(_Section):
    values: list[str] = Field(
        default_factory=lambda: list(DEFAULT_KUDOS_VALUES),
        description="a list of values such as 'customer insight'",
    )
    daily_allowance: Annotated[int, Field(ge=1, le=100)] = Field(
        5, description="a whole number between 1 and 100"
    )
    # A survey card rated 5 with a comment becomes a kudos "from a customer" to the CSR who
    # took the call (bot.kudos_praise): posted once, counted like any other kudos.
    customer_praise: bool = Field(False, description="true or false")

    @field_validator("values", mode="before")
    @classmethod
    def _check_values(cls, value: Any) -> list[str]:
        if not isinstance(value, list) or not value:
            raise _custom(
                f"expected a list of values such as 'customer insight', got {_show(value)}"
            )
        seen: set[str] = set()
        for item in value:
            if not isinstance(item, str) or not item.strip():
                raise _custom(f"expected each value to be a name, got {_show(item)}")
            if len(item.strip()) > VALUE_CHARS:
                raise _custom(f"{item.strip()!r} is longer than {VALUE_CHARS} characters")
            key = re.sub(r"[^a-z0-9]", "", item.lower())
            if not key:
                raise _custom(f"{item!r} needs a letter or digit to be used as a #tag")
            if key in seen:
                raise _custom(f"{item.strip()!r} is listed twice")
            seen.add(key)
        if len(value) > 100:
            raise _custom("expected at most 100 values (Slack's limit for a list to pick from)")
        return [item.strip() for item in value]


class SlackSettings(_Section):
    # How long one Web API call may take before Deskmate treats it as unanswered (and, for
    # a post, looks for it before posting again). slack_sdk's own default is 30 seconds.
    timeout_seconds: Annotated[float, Field(ge=1, le=120)] = Field(
        SLACK_TIMEOUT_SECONDS, description="a number of seconds between 1 and 120"
    )


class LogSettings(_Section):
    retention_days: Annotated[int, Field(ge=1, le=3650)] = Field(
        90, description="a whole number of days between 1 and 3650"
    )


class Settings(_Section):
    timezone: str = Field(
        "Europe/London", description="an IANA time zone name such as Europe/London"
    )
    database: DatabaseSettings = DatabaseSettings()
    knowledge: KnowledgeSettings = KnowledgeSettings()
    search: SearchSettings = SearchSettings()
    channels: ChannelSettings = ChannelSettings()
    # Article owner (as written in the articles' `owner:`) -> the channel for their feedback;
    # owners not listed here use channels.article_owners.
    owners: dict[str, str] = Field(default_factory=dict, description="'owner name: channel' lines")
    # Slack user IDs of the supervisors: their kudos are marked as such, and only they may
    # enrol new starters, see the reports and see someone else's training progress.
    supervisors: list[str] = Field(
        default_factory=list, description="a list of Slack user IDs such as U0123ABCD"
    )
    # Slack user IDs of the people, besides the supervisors, who may mark an article reviewed.
    reviewers: list[str] = Field(
        default_factory=list, description="a list of Slack user IDs such as U0123ABCD"
    )
    kudos: KudosSettings = KudosSettings()
    logs: LogSettings = LogSettings()
    working_days: list[str] = Field(
        default_factory=lambda: list(DAY_NAMES[:5]),
        description="a list of day names such as [mon, tue, wed, thu, fri]",
    )
    holidays: HolidaySettings = HolidaySettings()
    jobs: JobsSettings = JobsSettings()
    # The contact centre's teams and the targets their measures are held to (bot.config.figures).
    teams: list[Team] = Field(default_factory=list, description="a list of teams")
    targets: Targets = Targets()
    figures: FiguresSettings = FiguresSettings()
    training: TrainingSettings = TrainingSettings()
    slack: SlackSettings = SlackSettings()

    @field_validator("working_days", mode="before")
    @classmethod
    def _check_working_days(cls, value: Any) -> list[str]:
        return check_working_days(value)

    @field_validator("supervisors", "reviewers", mode="before")
    @classmethod
    def _check_people(cls, value: Any) -> list[str]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise _custom(
                f"expected a list of Slack user IDs such as U0123ABCD, got {_show(value)}"
            )
        for item in value:
            if not isinstance(item, str) or not _USER.match(item):
                raise _custom(
                    f"expected Slack user IDs such as U0123ABCD (in Slack: a person's profile, "
                    f"⋮, Copy member ID), got {_show(item)}"
                )
        return value

    @field_validator("teams")
    @classmethod
    def _check_teams(cls, value: list[Team]) -> list[Team]:
        return check_teams(value)

    def team_of(self, user_id: str) -> Team | None:
        """The team `user_id` is a member of (None: in no team)."""
        return next((team for team in self.teams if user_id in team.members), None)

    def supervises(self, supervisor: str, user_id: str) -> bool:
        """May see `user_id`'s figures: a supervisor of their team, or one named in
        `supervisors:` (who supervise the whole centre)."""
        team = self.team_of(user_id)
        return self.is_supervisor(supervisor) or (
            team is not None and supervisor in team.supervisors
        )

    def is_supervisor(self, user_id: str) -> bool:
        return user_id in self.supervisors

    def can_review(self, user_id: str) -> bool:
        """May mark an article reviewed: a reviewer, or a supervisor."""
        return user_id in self.reviewers or self.is_supervisor(user_id)

    @field_validator("owners")
    @classmethod
    def _check_owners(cls, value: dict[str, str]) -> dict[str, str]:
        for owner, channel in value.items():
            if not CHANNEL.match(channel):
                raise _custom(
                    f"{owner}: expected a Slack channel ID such as C0123ABCD or a #name, "
                    f"got {_show(channel)}"
                )
        return value

    def owner_channel(self, owner: str | None) -> str | None:
        """Where feedback on an article owned by `owner` goes (None: nowhere configured)."""
        return self.owners.get(owner or "", self.channels.article_owners)

    @field_validator("timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise _custom(
                f"expected an IANA time zone name such as Europe/London, got {_show(value)}"
            ) from None
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def load_settings(
    path: str | Path | None = None, *, environ: Mapping[str, str] | None = None
) -> Settings:
    """Settings from `path`, `$DESKMATE_CONFIG` or `./app.yaml`, then the environment."""
    environ = os.environ if environ is None else environ
    if path is None and environ.get(CONFIG_ENV):
        path = environ[CONFIG_ENV]
        if not Path(path).is_file():
            raise SettingsError(f"{CONFIG_ENV}: no such settings file {str(path)!r}")
    elif path is None and DEFAULT_CONFIG.is_file():
        path = DEFAULT_CONFIG

    data: Any = {}
    source = "defaults"
    context: dict[str, Any] = {}
    if path is not None:
        source = str(path)
        data = _read_yaml(Path(path), source)
        context = {"base": Path(path).resolve().parent, "from_file": True}
    if not isinstance(data, dict):
        raise SettingsError(f"{source}: expected 'setting: value' lines at the top level")

    settings = _validate(data, context, source)
    override = environ.get(DATABASE_ENV, "").strip()
    if override:
        database = _validate({"database": {"url": override}}, {}, DATABASE_ENV).database
        settings = settings.model_copy(update={"database": database})
    elif context and not (data.get("database") or {}).get("url"):
        # The default database, like a relative one, sits beside the settings file, so a
        # service started from another folder finds its data (app.yaml says so).
        default = {"database": {"url": DEFAULT_DATABASE_URL}}
        database = _validate(default, context, source).database
        settings = settings.model_copy(update={"database": database})
        warn_of_a_database_left_here(database.url)
    return settings


def check(data: dict, *, source: str, base: Path) -> Settings:
    """Settings from `data` alone, as if read from a file in `base` (what `deskmate init`
    is about to write), or SettingsError naming the key."""
    return _validate(data, {"base": base, "from_file": True}, source)


def _read_yaml(path: Path, source: str) -> Any:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{source}: cannot read the settings file ({exc})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        reason = getattr(exc, "problem", None) or str(exc)
        raise SettingsError(f"{source}{line}: not valid YAML: {reason}") from None
    return {} if data is None else data


def _validate(data: dict, context: dict[str, Any], source: str) -> Settings:
    try:
        return Settings.model_validate(data, context=context)
    except ValidationError as exc:
        problems = [_describe(error, source) for error in exc.errors()]
        raise SettingsError("\n".join(dict.fromkeys(problems))) from None


def _describe(error: Any, source: str) -> str:
    loc = tuple(str(part) for part in error["loc"])
    where = f"{source}: {path_of(loc)}" if loc else source
    if source == DATABASE_ENV:
        where = DATABASE_ENV
    if error["type"] == "deskmate":
        return f"{where}: {error['msg']}"
    if error["type"] == "missing":
        field = model_at(Settings, loc[:-1]).model_fields[loc[-1]]
        return f"{where}: missing (expected {field.description})"
    if error["type"] == "extra_forbidden":
        known = ", ".join(model_at(Settings, loc[:-1]).model_fields)
        return f"{where}: unknown setting (expected one of: {known})"
    model = model_at(Settings, loc)
    if model is not None:
        known = ", ".join(model.model_fields)
        return f"{where}: expected a section of settings ({known}), got {_show(error['input'])}"
    parent = model_at(Settings, loc[:-1])
    if parent is None:  # inside a list or mapping of plain values: pydantic's own words
        return f"{where}: {error['msg'][0].lower()}{error['msg'][1:]}, got {_show(error['input'])}"
    field = parent.model_fields[loc[-1]]
    return f"{where}: expected {field.description}, got {_show(error['input'])}"
