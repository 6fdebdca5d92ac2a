"""Age in completed years, the way clinical forms state it."""

from __future__ import annotations

import datetime as dt

from remission.clinical.errors import ClinicalInputError


def age_years(born: dt.date, on: dt.date) -> int:
    """Completed years from ``born`` to ``on`` (a 29 February birthday ages on 1 March)."""
    if on < born:
        raise ClinicalInputError("the date is before the date of birth")
    had_birthday = (on.month, on.day) >= (born.month, born.day)
    return on.year - born.year - (0 if had_birthday else 1)
