"""The scheduling sections of `app.yaml`: working days, bank holidays, the jobs' times and the
training start date.

```yaml
working_days: [mon, tue, wed, thu, fri]
holidays: {country: GB, subdivision: ENG}
jobs:
  training_nudge: {cron: "0 9 * * *", grace_minutes: 60}
  kudos_digest: {enabled: false}
  monthly_figures: {cron: "0 9 1-7 * *", first_working_day: true}
training: {start_date: 2026-01-05}
```

A job left out, or a key left out of a job, keeps its default (`JOB_DEFAULTS`).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cached_property
from typing import Annotated, Any

import holidays as holiday_calendars
from apscheduler.triggers.cron import CronTrigger
from pydantic import Field, field_validator, model_validator

from bot.config.base import Section, custom, show

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# Posts go out on working days only; the purge is housekeeping and runs every night.
JOB_DEFAULTS: dict[str, dict[str, Any]] = {
    "training_nudge": {"cron": "0 9 * * *", "working_days_only": True},
    "kudos_digest": {"cron": "0 16 * * fri", "working_days_only": True},
    "search_log_purge": {"cron": "30 2 * * *", "working_days_only": False},
    "review_reminders": {"cron": "0 9 * * mon", "working_days_only": True},
    "starter_lessons": {"cron": "0 9 * * *", "working_days_only": True},
    # Days 1-7 so the trigger looks at a week, not the whole month, for the first working day.
    "monthly_figures": {
        "cron": "0 9 1-7 * *",
        "working_days_only": True,
        "first_working_day": True,
    },
}
# The first Monday of 2026: the nudge's day 1 unless app.yaml says otherwise.
TRAINING_START = dt.date(2026, 1, 5)


class JobSettings(Section):
    cron: str = Field(
        "0 9 * * *",
        description="a cron time: minute hour day month weekday, such as '0 9 * * *'",
    )
    enabled: bool = Field(True, description="true or false")
    grace_minutes: Annotated[int, Field(ge=0, le=24 * 60)] = Field(
        60, description="a whole number of minutes between 0 and 1440"
    )
    working_days_only: bool = Field(True, description="true or false")
    # Only the first of the cron times' days that is a working day in its month (so it
    # implies working days only): a monthly post that never lands on a bank holiday.
    first_working_day: bool = Field(False, description="true or false")

    @field_validator("cron")
    @classmethod
    def _check_cron(cls, value: str) -> str:
        fields = value.split()
        if len(fields) != 5:
            raise custom(
                "expected a cron time of five fields (minute hour day month weekday), such as "
                f"'0 9 * * *' for 09:00 daily, got {show(value)}"
            )
        if re.search(r"\d", fields[4]):
            # Cron tools disagree on whether 0 is Sunday or Monday; names cannot be misread.
            raise custom(
                f"write weekdays as names (mon-fri, sat, sun), not numbers, got {show(value)}"
            )
        try:
            CronTrigger.from_crontab(value, timezone="UTC")
        except ValueError as exc:
            raise custom(
                f"expected a cron time such as '0 9 * * *', got {show(value)} ({exc})"
            ) from None
        return value


class JobsSettings(Section):
    training_nudge: JobSettings = JobSettings(**JOB_DEFAULTS["training_nudge"])
    kudos_digest: JobSettings = JobSettings(**JOB_DEFAULTS["kudos_digest"])
    search_log_purge: JobSettings = JobSettings(**JOB_DEFAULTS["search_log_purge"])
    review_reminders: JobSettings = JobSettings(**JOB_DEFAULTS["review_reminders"])
    starter_lessons: JobSettings = JobSettings(**JOB_DEFAULTS["starter_lessons"])
    monthly_figures: JobSettings = JobSettings(**JOB_DEFAULTS["monthly_figures"])

    @model_validator(mode="before")
    @classmethod
    def _fill_defaults(cls, data: Any) -> Any:
        # Each job's own defaults, not JobSettings' generic ones, for the keys left out.
        if not isinstance(data, dict):
            return data
        filled = dict(data)
        for job, value in data.items():
            if job in JOB_DEFAULTS and isinstance(value, dict | None):
                filled[job] = {**JOB_DEFAULTS[job], **(value or {})}
        return filled

    def get(self, job: str) -> JobSettings:
        return getattr(self, job)


class HolidaySettings(Section):
    country: str | None = Field(
        "GB", description="a country code such as GB or US (or nothing for no bank holidays)"
    )
    subdivision: str | None = Field(
        "ENG", description="a region code such as ENG, SCT, NY (or nothing for the whole country)"
    )

    @model_validator(mode="before")
    @classmethod
    def _region_goes_with_country(cls, data: Any) -> Any:
        # `country: US` alone means the whole US, not the default's England.
        if isinstance(data, dict) and "country" in data and "subdivision" not in data:
            return {**data, "subdivision": None}
        return data

    @model_validator(mode="after")
    def _check_known(self) -> HolidaySettings:
        if self.country is None:
            return self
        try:
            country = holiday_calendars.country_holidays(self.country)
        except NotImplementedError:
            raise custom(
                f"the holidays package has no bank holidays for country {show(self.country)}; "
                "use a code such as GB or US"
            ) from None
        known = country.subdivisions
        if self.subdivision is not None and self.subdivision not in known:
            raise custom(
                f"{self.country} has no subdivision {show(self.subdivision)} "
                f"(expected one of: {', '.join(known)})"
            )
        return self

    @cached_property
    def calendar(self) -> holiday_calendars.HolidayBase | dict:
        if self.country is None:
            return {}
        return holiday_calendars.country_holidays(self.country, subdiv=self.subdivision)


class TrainingSettings(Section):
    start_date: dt.date = Field(
        TRAINING_START, description="a date such as 2026-01-05 (day 1 of the curriculum)"
    )


def check_working_days(value: Any) -> list[str]:
    if not isinstance(value, list) or not value:
        raise custom(f"expected a list of day names such as [mon, tue, wed], got {show(value)}")
    days = []
    for item in value:
        name = str(item).strip().lower()[:3] if isinstance(item, str) else ""
        if name not in DAY_NAMES:
            raise custom(f"expected day names such as mon, tue or monday, got {show(item)}")
        if name in days:
            raise custom(f"{show(item)} is listed twice")
        days.append(name)
    return days
