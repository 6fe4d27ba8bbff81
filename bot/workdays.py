"""The working-day calendar: app.yaml's working days less the bank holidays. Scheduled posts
go out on working days only, and a new starter's lesson n is their nth working day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.config.schedule import DAY_NAMES
from bot.config.settings import Settings


@dataclass(frozen=True)
class WorkingCalendar:
    working_days: tuple[str, ...]
    holidays: object  # a holidays.HolidayBase, or {} for none

    @classmethod
    def from_settings(cls, settings: Settings) -> WorkingCalendar:
        return cls(tuple(settings.working_days), settings.holidays.calendar)

    def why_not(self, day: dt.date) -> str | None:
        """Why `day` is not a working day, or None when it is."""
        if DAY_NAMES[day.weekday()] not in self.working_days:
            return f"{day:%A} is not a working day"
        holiday = self.holidays.get(day)
        if holiday:
            return f"bank holiday ({holiday})"
        return None

    def is_working_day(self, day: dt.date) -> bool:
        return self.why_not(day) is None

    def first_working_day(self, day: dt.date) -> dt.date | None:
        """The first working day of `day`'s month (None if it has none)."""
        current = day.replace(day=1)
        while current.month == day.month:
            if self.is_working_day(current):
                return current
            current += dt.timedelta(days=1)
        return None

    def working_day_number(self, start: dt.date, day: dt.date) -> int:
        """How many working days from `start` to `day`, both included (0 before `start`)."""
        count = 0
        current = start
        while current <= day:
            count += self.is_working_day(current)
            current += dt.timedelta(days=1)
        return count
