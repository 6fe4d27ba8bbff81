"""Articles the Block Kit renderer tests share: an ordinary one, and one past every limit."""

import datetime as dt

import pytest


@pytest.fixture
def article(make_article):
    return make_article(1, owner="Revenues team", reviewed=dt.date(2026, 9, 1))


@pytest.fixture
def huge(make_article):
    """An article with 20,000 characters in each part and a very long title."""
    fact = "A fact that goes on & on <with> detail. " * 5
    body = (
        f'Say: "{"Read this out to the caller & wait. " * 550}"\n'
        + "".join(f"- {fact}\n" for _ in range(100))
        + f"Next step: {'Do this <then> that. ' * 1000}"
    )
    assert len(body) > 60_000
    return make_article(9, title="A very long title " * 20, body=body)
