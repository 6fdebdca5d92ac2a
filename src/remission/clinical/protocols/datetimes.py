"""Aware datetimes only: session times are compared across time zones and DST changes."""

from __future__ import annotations

import datetime as dt

from remission.clinical.errors import ClinicalInputError


def require_aware(value: dt.datetime, name: str) -> dt.datetime:
    """``value`` converted to UTC; a naive datetime is refused (its clock is unknown)."""
    if not isinstance(value, dt.datetime):
        raise ClinicalInputError(f"{name}: expected a datetime, got {value!r}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ClinicalInputError(f"{name}: naive datetime {value.isoformat()}; give a time zone")
    return value.astimezone(dt.UTC)


def minutes_between(earlier: dt.datetime, later: dt.datetime) -> float:
    return (later - earlier).total_seconds() / 60
