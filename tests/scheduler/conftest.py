"""Fixtures for the scheduler's tests."""

from __future__ import annotations

from ..db_faults import breakable  # noqa: F401 - the fixture, for test_db_down
