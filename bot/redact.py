"""Take callers' personal details out of a query before it is stored or logged."""

from __future__ import annotations

import re

# Order matters: longer, more specific shapes first, so a card number is not half-eaten
# by the phone pattern.
_TOP_LEVEL = "com|co|uk|org|net|gov|edu|io|info|biz|us|me|ac"
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("[email]", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)),
    # Spelt out, as a caller says it: "jane dot smith at example dot co dot uk".
    (
        "[email]",
        re.compile(
            rf"\b[\w.+-]+(?:\s+dot\s+[\w-]+)*\s+at\s+[\w-]+(?:\s+dot\s+[\w-]+)*"
            rf"\s+dot\s+(?:{_TOP_LEVEL})\b",
            re.IGNORECASE,
        ),
    ),
    ("[card]", re.compile(r"\b(?:\d[ -]?){12,18}\d\b")),
    # National Insurance numbers ("QQ 12 34 56 C") and US social security numbers
    # ("123-45-6789"), with or without spaces and dashes.
    ("[id]", re.compile(r"\b[A-Z]{2}[ -]?\d{2}[ -]?\d{2}[ -]?\d{2}[ -]?[A-D]\b", re.I)),
    ("[id]", re.compile(r"\b\d{3}[ -]\d{2}[ -]\d{4}\b")),
    # Bank sort codes ("12-34-56") and whole dates, dates of birth among them ("12/03/1985").
    ("[bank]", re.compile(r"\b\d{2}[ -]\d{2}[ -]\d{2}\b")),
    ("[date]", re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})\b")),
    # UK postcodes as the Royal Mail shapes them ("SW1A 1AA", "m1 1ae", "B33 8TH", "GIR 0AA",
    # space optional): the letters each place may hold, so "zz00zz" is not one.
    (
        "[postcode]",
        re.compile(
            r"\b(?:GIR\s*0AA|[A-PR-UWYZ](?:\d[A-HJKPSTUW\d]?|[A-HK-Y]\d[ABEHMNPRVWXY\d]?)"
            r"\s*\d[ABD-HJLNP-UW-Z]{2})\b",
            re.IGNORECASE,
        ),
    ),
    # US ZIP+4 ("12345-6789"); a bare five-digit ZIP is too like an amount to remove.
    ("[zip]", re.compile(r"\b\d{5}-\d{4}\b")),
    # Phone numbers: UK (07700 900123, +44 20 7946 0958) and US ((555) 123-4567).
    (
        "[phone]",
        re.compile(
            r"(?<![\w])(?:\+?\d{1,3}[\s.-]?)?(?:\(\d{2,5}\)|\d{2,5})[\s.-]?\d{3,4}[\s.-]?\d{3,4}\b"
        ),
    ),
    # Account, reference and customer numbers: six or more digits, possibly with letters.
    ("[number]", re.compile(r"\b[A-Z]{0,3}\d{6,}[A-Z]{0,2}\b", re.IGNORECASE)),
]


# The labels `redact` leaves, as they read in a stored query.
_LABELS = re.compile("|".join(re.escape(label) for label in {label for label, _ in _PATTERNS}))


def redact(text: str) -> str:
    """The text with e-mail addresses, card, phone, account, National Insurance and social
    security numbers, sort codes, dates and postcodes replaced by a label, so a stored query
    keeps its meaning but not the caller's details."""
    for label, pattern in _PATTERNS:
        text = pattern.sub(label, text)
    return text


def without_personal_details(text: str) -> str:
    """The text with those details simply removed: they never help find an article, and
    an e-mail address or account number would only count against every match."""
    for _label, pattern in _PATTERNS:
        text = pattern.sub(" ", text)
    return " ".join(text.split())


def without_labels(text: str) -> str:
    """A stored (already redacted) query without the labels `redact` put in, for a use
    where "[postcode]" would read as a word the caller said."""
    return " ".join(_LABELS.sub(" ", text).split())
