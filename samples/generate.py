"""Writes the sample phone-system and survey exports (invented data): twelve CSRs, nine
full-time and three part-time (Monday to Wednesday), September to November 2026, in the
built-in agent_daily and survey_cards formats. Run from the repository root:
`python samples/generate.py`; the same files come out every time."""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

HERE = Path(__file__).parent
FIRST, LAST = dt.date(2026, 9, 1), dt.date(2026, 11, 30)
PART_TIME = {"1010", "1011", "1012"}  # Monday to Wednesday
AGENTS = [str(1001 + n) for n in range(12)]
COMMENTS = {
    5: [
        "Really helpful and patient.",
        "Sorted my council tax in one call.",
        "Very kind, thank you.",
        "Explained the bin collection change clearly.",
        "Call me back on 07700 900123 any time!",
    ],
    4: ["Good, but a long wait first.", "Helpful once I got through."],
    3: ["Okay.", "Had to repeat my address twice."],
    2: ["Transferred twice before anyone could help."],
    1: ["Nobody could answer my question about my water bill."],
}


def working_days(agent: str):
    day = FIRST
    while day <= LAST:
        if day.weekday() < (3 if agent in PART_TIME else 5):
            yield day
        day += dt.timedelta(days=1)


def main() -> None:
    rng = random.Random(2026)
    skill = {agent: rng.uniform(0.8, 1.2) for agent in AGENTS}
    call = 500_000
    with (
        (HERE / "agent_daily.csv").open("w", newline="", encoding="utf-8") as days,
        (HERE / "survey_cards.csv").open("w", newline="", encoding="utf-8") as cards,
    ):
        day_rows, card_rows = csv.writer(days), csv.writer(cards)
        day_rows.writerow(
            [
                "Agent ID",
                "Date",
                "Calls Handled",
                "Average Handle Time",
                "Average After-Call Work",
                "First Contact Resolved",
                "Transfers",
            ]
        )
        card_rows.writerow(["Call ID", "Agent ID", "Call Date", "Rating", "Comment"])
        for agent in AGENTS:
            for day in working_days(agent):
                calls = rng.randint(28, 45)
                handle = int(rng.gauss(330, 40) * skill[agent])
                resolved = int(calls * min(0.95, rng.uniform(0.7, 0.85) / skill[agent]))
                day_rows.writerow(
                    [
                        agent,
                        day.isoformat(),
                        calls,
                        f"{handle // 60}:{handle % 60:02d}",
                        int(rng.gauss(60, 10)),
                        resolved,
                        rng.randint(0, 4),
                    ]
                )
                for _ in range(rng.randint(1, 4)):
                    call += 1
                    rating = min(5, max(1, round(rng.gauss(4.6 / skill[agent] ** 0.5, 0.7))))
                    comment = rng.choice(COMMENTS[rating]) if rng.random() < 0.3 else ""
                    card_rows.writerow([f"C{call}", agent, day.isoformat(), rating, comment])


if __name__ == "__main__":
    main()
