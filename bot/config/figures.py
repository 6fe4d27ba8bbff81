"""The settings of the contact centre's own measures: its teams (who is in each, on what
hours, who supervises them, where their figures go), the targets each measure is held to,
and how the phone system's and survey's CSV exports are read (`deskmate figures import`).

Two export formats are built in and documented in app.yaml: `agent_daily` (one row per agent
per day: calls handled, average handle time, after-call work, first-contact resolution,
transfers) and `survey_cards` (one row per call: the rating 1-5 and an optional comment).
Contact-centre platforms name their columns differently, so `figures.formats` can add a
format, or change a built-in one's column names, without touching code.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from bot.config.base import Section as _Section
from bot.config.base import check_channel
from bot.config.base import custom as _custom
from bot.config.base import show as _show

USER = re.compile(r"^[UW][A-Z0-9]{2,}$")
AGENT_DAY = "agent_day"
SURVEY = "survey"
# Each kind's fields: (name, required). The name is what a format maps a column to.
FIELDS: dict[str, tuple[tuple[str, bool], ...]] = {
    AGENT_DAY: (
        ("agent", True),
        ("date", True),
        ("calls", True),
        ("handle_time", True),  # average, as seconds or m:ss or h:mm:ss
        ("after_call_work", False),  # average, likewise
        ("resolved_first", False),  # calls resolved on first contact
        ("transfers", False),
    ),
    SURVEY: (
        ("call", True),
        ("agent", True),
        ("date", True),
        ("rating", True),
        ("comment", False),
    ),
}


class ExportFormat(_Section):
    kind: Literal["agent_day", "survey"] = Field(
        description="agent_day (one row per agent per day) or survey (one row per call)"
    )
    # Our field -> the export's column header.
    columns: dict[str, str] = Field(description="'field: column header' lines")
    date_format: str = Field("%Y-%m-%d", description="a strftime pattern such as %d/%m/%Y")

    @model_validator(mode="after")
    def _check_columns(self) -> ExportFormat:
        known = dict(FIELDS[self.kind])
        unknown = sorted(set(self.columns) - set(known))
        if unknown:
            raise _custom(
                f"unknown field {unknown[0]!r} for {self.kind} (expected: {', '.join(known)})"
            )
        missing = [name for name, required in FIELDS[self.kind] if required]
        missing = [name for name in missing if name not in self.columns]
        if missing:
            raise _custom(f"columns: {missing[0]!r} is needed for {self.kind}")
        return self


BUILT_IN_FORMATS = {
    "agent_daily": ExportFormat(
        kind="agent_day",
        columns={
            "agent": "Agent ID",
            "date": "Date",
            "calls": "Calls Handled",
            "handle_time": "Average Handle Time",
            "after_call_work": "Average After-Call Work",
            "resolved_first": "First Contact Resolved",
            "transfers": "Transfers",
        },
    ),
    "survey_cards": ExportFormat(
        kind="survey",
        columns={
            "call": "Call ID",
            "agent": "Agent ID",
            "date": "Call Date",
            "rating": "Rating",
            "comment": "Comment",
        },
    ),
}


class FiguresSettings(_Section):
    # The phone system's agent ID or e-mail -> the person's Slack user ID. Agents not listed
    # are matched by e-mail (users.lookupByEmail) when Deskmate has a Slack token.
    agents: dict[str, str] = Field(
        default_factory=dict, description="'agent ID or e-mail: Slack user ID' lines"
    )
    formats: dict[str, ExportFormat] = Field(
        default_factory=dict, description="'name:' sections, each an export format"
    )

    @field_validator("agents")
    @classmethod
    def _check_agents(cls, value: dict[str, str]) -> dict[str, str]:
        for agent, user in value.items():
            if not str(agent).strip():
                raise _custom("an agent ID cannot be empty")
            if not USER.match(user):
                raise _custom(
                    f"{agent}: expected a Slack user ID such as U0123ABCD, got {_show(user)}"
                )
        return {str(agent).strip().lower(): user for agent, user in value.items()}

    def all_formats(self) -> dict[str, ExportFormat]:
        """The built-in formats, with app.yaml's added or put in their place."""
        return {**BUILT_IN_FORMATS, **self.formats}


class Team(_Section):
    name: str = Field(description="the team's name")
    # Slack user ID -> contracted hours a week, so part-time staff are compared fairly.
    members: dict[str, float] = Field(description="'Slack user ID: contracted hours a week' lines")
    supervisors: list[str] = Field(
        default_factory=list, description="a list of Slack user IDs such as U0123ABCD"
    )
    channel: str | None = Field(None, description="a Slack channel ID or #name for the team")

    @field_validator("name")
    @classmethod
    def _check_name(cls, value: str) -> str:
        if not value.strip():
            raise _custom("a team needs a name")
        return value.strip()

    @field_validator("members", mode="before")
    @classmethod
    def _check_members(cls, value: Any) -> Any:
        if not isinstance(value, dict) or not value:
            raise _custom(
                "expected 'Slack user ID: contracted hours a week' lines, such as "
                f"'U0123ABCD: 37.5', got {_show(value)}"
            )
        for user, hours in value.items():
            if not isinstance(user, str) or not USER.match(user):
                raise _custom(f"expected Slack user IDs such as U0123ABCD, got {_show(user)}")
            if isinstance(hours, bool) or not isinstance(hours, int | float) or not 0 < hours <= 60:
                raise _custom(
                    f"{user}: expected contracted hours a week between 0 and 60, such as 37.5, "
                    f"got {_show(hours)}"
                )
        return {user: float(hours) for user, hours in value.items()}

    @field_validator("supervisors")
    @classmethod
    def _check_supervisors(cls, value: list[str]) -> list[str]:
        for user in value:
            if not USER.match(user):
                raise _custom(f"expected Slack user IDs such as U0123ABCD, got {_show(user)}")
        return value

    @field_validator("channel")
    @classmethod
    def _check_channel(cls, value: str | None) -> str | None:
        return check_channel(value)


def check_teams(teams: list[Team]) -> list[Team]:
    """Team names once each; a person in one team only (their figures count once)."""
    names: set[str] = set()
    members: dict[str, str] = {}
    for team in teams:
        if team.name.lower() in names:
            raise _custom(f"the team {team.name!r} is listed twice")
        names.add(team.name.lower())
        for user in team.members:
            if user in members:
                raise _custom(f"{user} is in both {members[user]!r} and {team.name!r}")
            members[user] = team.name
    return teams


def _share(default: float | None) -> Any:
    return Field(default, description="a share between 0 and 1, such as 0.9, or nothing")


class Targets(_Section):
    # None: no target for that measure.
    satisfaction: Annotated[float, Field(ge=0, le=1)] | None = _share(0.9)  # survey fives
    handle_minutes: Annotated[float, Field(gt=0, le=120)] | None = Field(
        6.0, description="a number of minutes between 0 and 120, or nothing"
    )
    first_contact_resolution: Annotated[float, Field(ge=0, le=1)] | None = _share(None)
    helpful: Annotated[float, Field(ge=0, le=1)] | None = _share(0.8)
    quiz: Annotated[float, Field(ge=0, le=1)] | None = _share(0.8)
