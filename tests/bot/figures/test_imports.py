"""The phone system's and survey's exports: read whole and checked before anything is
stored, stored once by their own keys, comments redacted, agents kept until matched."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlmodel import Session, select

from bot.config.figures import BUILT_IN_FORMATS, ExportFormat
from bot.figures.imports import (
    ImportRefused,
    agent_users,
    read_export,
    record_matches,
    store_export,
    unmatched_agents,
)
from bot.store.models import AgentDay, SurveyCard

DAILY = (
    "Agent ID,Date,Calls Handled,Average Handle Time,Average After-Call Work,"
    "First Contact Resolved,Transfers\n"
)
CARDS = "Call ID,Agent ID,Call Date,Rating,Comment\n"


def write(tmp_path: Path, text: str, name: str = "export.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def read(path: Path, name: str | None = None):
    return read_export(path, formats=BUILT_IN_FORMATS, name=name)


def refused(path: Path, **options) -> list[str]:
    with pytest.raises(ImportRefused) as caught:
        read_export(
            path, formats=options.get("formats", BUILT_IN_FORMATS), name=options.get("name")
        )
    return caught.value.problems


def rows(engine, table) -> list:
    with Session(engine) as session:
        return list(session.exec(select(table).order_by(table.id)))


def test_an_agent_daily_export_is_read_with_its_times_in_seconds(tmp_path):
    path = write(tmp_path, DAILY + "A17,2026-09-01,40,5:20,59,33,2\nB2,2026-09-01,3,0:01:05.5,,,\n")

    export = read(path)

    assert (export.format, export.kind) == ("agent_daily", "agent_day")
    first = export.rows[("a17", dt.date(2026, 9, 1))]
    assert (first["calls"], first["handle_seconds"], first["after_call_seconds"]) == (40, 320, 59)
    assert (first["resolved_first"], first["transfers"]) == (33, 2)
    second = export.rows[("b2", dt.date(2026, 9, 1))]
    assert (second["handle_seconds"], second["after_call_seconds"]) == (65.5, None)
    assert second["resolved_first"] is None


def test_the_format_is_found_from_the_header(tmp_path):
    assert read(write(tmp_path, CARDS + "C1,1001,2026-09-01,5,\n")).format == "survey_cards"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            DAILY + "1001,2026-09-31,40,5:20,59,33,2\n",
            ":2: '2026-09-31' is not a date like 2026-09-01",
        ),
        (DAILY + ",2026-09-01,40,5:20,59,33,2\n", ":2: the agent is empty"),
        (DAILY + "1001,2026-09-01,-4,5:20,59,3,2\n", ":2: calls '-4' is not a whole number"),
        (DAILY + "1001,2026-09-01,4,5:99,59,3,2\n", ":2: handle time '5:99' is not a time such as"),
        (DAILY + "1001,2026-09-01,4,,59,3,2\n", ":2: handle time is empty"),
        (
            DAILY + "1001,2026-09-01,4,300,59,9,2\n",
            ":2: first-contact resolved 9 is more than the 4",
        ),
        (CARDS + "C1,1001,2026-09-01,7,great\n", ":2: rating '7' is outside 1-5"),
        (CARDS + "C1,1001,2026-09-01,0,\n", ":2: rating '0' is outside 1-5"),
        (CARDS + "C1,1001,2026-09-01,,\n", ":2: rating 'nothing' is outside 1-5"),
        (CARDS + ",1001,2026-09-01,5,\n", ":2: the call ID is empty"),
        (
            CARDS + "C1,1001,2026-09-01,5,\nC1,1002,2026-09-02,4,\n",
            ":3: a second card for call C1 (first on line 2)",
        ),
        (
            DAILY + "1001,2026-09-01,4,300,,,\n1001,2026-09-01,5,300,,,\n",
            ":3: a second row for agent 1001 on 2026-09-01 (first on line 2)",
        ),
        ("Agent ID,Date,Calls Handled\n1001,2026-09-01,4\n", ":1: the header matches no export"),
        ("", ": empty (expected a header row"),
        (DAILY, ": no rows under the header"),
    ],
)
def test_a_bad_row_or_file_is_named_with_its_line(tmp_path, text, expected):
    path = write(tmp_path, text)
    [problem] = refused(path)
    assert problem.startswith(str(path) + expected), problem


def test_every_bad_cell_of_every_bad_row_is_named_at_once(tmp_path):
    path = write(
        tmp_path,
        DAILY + ",2026-09-01,x,5:99,,,\n1001,2026-09-01,4,300,,,\n1002,1/9/2026,4,300,,,\n",
    )
    problems = refused(path)
    assert problems == [
        f"{path}:2: the agent is empty; calls 'x' is not a whole number; handle time '5:99' is "
        "not a time such as 245 (seconds), 4:05 or 0:04:05",
        f"{path}:4: '1/9/2026' is not a date like 2026-09-01",
    ]


def test_a_named_format_must_exist_and_fit(tmp_path):
    path = write(tmp_path, CARDS + "C1,1001,2026-09-01,5,\n")
    assert refused(path, name="five9") == [
        f"{path}: no export format called 'five9' (known: agent_daily, survey_cards)"
    ]
    assert refused(path, name="agent_daily")[0] == (
        f"{path}:1: no 'Date' column (the agent_daily format's date)"
    )


def test_a_file_that_is_not_utf8_or_not_there_is_refused(tmp_path):
    latin = tmp_path / "latin.csv"
    latin.write_bytes((CARDS + "C1,1001,2026-09-01,5,très bien\n").encode("latin-1"))
    assert refused(latin) == [f"{latin}: not UTF-8 text (save the export as CSV UTF-8)"]
    assert refused(tmp_path / "gone.csv") == [f"{tmp_path / 'gone.csv'}: no such file"]


def test_a_format_of_the_centres_own_reads_its_columns_and_dates(tmp_path):
    mine = ExportFormat(
        kind="survey",
        columns={"call": "Ref", "agent": "Email", "date": "When", "rating": "Score"},
        date_format="%d/%m/%Y",
    )
    path = write(tmp_path, "Ref,Email,When,Score\nX9,Sam@Council.example,01/09/2026,4\n")

    export = read_export(path, formats={"ours": mine}, name=None)

    assert export.rows[("X9",)] == {
        "agent": "sam@council.example",
        "day": dt.date(2026, 9, 1),
        "call": "X9",
        "rating": 4,
        "comment": None,
    }


def test_survey_comments_lose_callers_details(tmp_path):
    path = write(
        tmp_path,
        CARDS
        + 'C1,1001,2026-09-01,5,"Ring me on 07700 900123 or jane@example.com, SW1A 1AA"\n'
        + "C2,1001,2026-09-01,4,   \n",
    )
    export = read(path)
    comment = export.rows[("C1",)]["comment"]
    assert "07700" not in comment and "jane@" not in comment and "SW1A" not in comment
    assert export.rows[("C2",)]["comment"] is None


def test_the_same_file_twice_adds_nothing_and_a_corrected_one_updates_what_changed(
    tmp_path, engine
):
    first = write(tmp_path, DAILY + "1001,2026-09-01,40,300,,,\n1002,2026-09-01,30,280,,,\n")
    again = store_export(engine, read(first))
    assert (again.added, again.updated, again.unchanged) == (2, 0, 0)
    assert str(store_export(engine, read(first))) == "agent_daily: added 0, updated 0, unchanged 2"

    corrected = write(
        tmp_path,
        DAILY + "1001,2026-09-01,41,300,,,\n1002,2026-09-01,30,280,,,\n1003,2026-09-01,9,100,,,\n",
        "corrected.csv",
    )
    result = store_export(engine, read(corrected))

    assert (result.added, result.updated, result.unchanged) == (1, 1, 1)
    stored = {(row.agent, row.calls) for row in rows(engine, AgentDay)}
    assert stored == {("1001", 41), ("1002", 30), ("1003", 9)}


def test_survey_cards_are_kept_by_call_and_updated_when_the_rating_changes(tmp_path, engine):
    store_export(engine, read(write(tmp_path, CARDS + "C1,1001,2026-09-01,4,ok\n")))
    result = store_export(
        engine, read(write(tmp_path, CARDS + "C1,1001,2026-09-01,5,ok\n", "later.csv"))
    )
    assert (result.added, result.updated) == (0, 1)
    [card] = rows(engine, SurveyCard)
    assert (card.call, card.rating, card.comment) == ("C1", 5, "ok")


def test_a_large_file_is_stored_in_chunks_with_progress(tmp_path, engine):
    lines = [
        f"A{n % 50},{dt.date(2026, 1, 1) + dt.timedelta(n // 50)},{n % 40},300,,,"
        for n in range(5_000)
    ]
    path = write(tmp_path, DAILY + "\n".join(lines) + "\n")
    seen = []

    result = store_export(engine, read(path), progress=lambda done, total: seen.append(done))

    assert result.added == 5_000
    assert seen == [2_000, 4_000, 5_000]
    assert len(rows(engine, AgentDay)) == 5_000


def test_agents_are_kept_until_matched_then_matched_by_settings_or_email(tmp_path, engine):
    store_export(
        engine,
        read(write(tmp_path, CARDS + "C1,1001,2026-09-01,5,\nC2,sam@x.example,2026-09-01,4,\n")),
    )
    assert unmatched_agents(engine, agents={}) == ["1001", "sam@x.example"]

    record_matches(engine, {"sam@x.example": "U0SAM0001"})
    assert unmatched_agents(engine, agents={"1001": "U0AAAA001"}) == []
    assert agent_users(engine, agents={"1001": "U0AAAA001"}) == {
        "1001": "U0AAAA001",
        "sam@x.example": "U0SAM0001",
    }
    record_matches(engine, {"sam@x.example": "U0SAM0002"})  # matched again: replaced
    assert agent_users(engine, agents={})["sam@x.example"] == "U0SAM0002"
