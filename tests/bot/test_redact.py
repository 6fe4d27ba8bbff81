"""Caller details never reach the search log."""

from __future__ import annotations

import pytest

from bot.redact import redact


@pytest.mark.parametrize(
    ("text", "gone", "kept"),
    [
        ("email jo.bloggs+x@example.co.uk about spd", "jo.bloggs", "about spd"),
        ("call me on 07700 900123 re repairs", "900123", "re repairs"),
        ("+44 20 7946 0958 ring back", "7946", "ring back"),
        ("(555) 123-4567 water bill", "123-4567", "water bill"),
        ("card 4111 1111 1111 1111 refund", "4111", "refund"),
        ("card 4111-1111-1111-1111 refund", "1111", "refund"),
        ("postcode SW1A 1AA missed", "SW1A", "missed"),
        ("flat at m1 1ae damp", "m1 1ae", "damp"),
        ("CR02AB hmo", "CR02AB", "hmo"),
        ("account 12345678 balance", "12345678", "balance"),
        ("ref AB1234567 claim", "AB1234567", "claim"),
        ("zip 12345-6789 autopay", "12345-6789", "autopay"),
    ],
)
def test_personal_details_are_replaced(text, gone, kept):
    result = redact(text)
    assert gone not in result
    assert kept in result
    assert "[" in result


@pytest.mark.parametrize(
    "text",
    [
        "spd 25% discount band B",
        "paid $125.50 on 12/03",
        "hmo licence 5 bedrooms",
        "8 metre rear extension",
        "ctr 2025-26",
        "open till 2am friday",
    ],
)
def test_ordinary_questions_are_left_alone(text):
    assert redact(text) == text
