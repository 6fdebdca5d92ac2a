"""Field checks that refuse implausible patient data with a clear message."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

from remission.clinical import diagnoses

OLDEST_AGE_YEARS = 120


def validate_date_of_birth(value: dt.date) -> None:
    today = timezone.localdate()
    if value > today:
        raise ValidationError("The date of birth cannot be in the future.")
    if value.year < today.year - OLDEST_AGE_YEARS:
        raise ValidationError(f"The date of birth is more than {OLDEST_AGE_YEARS} years ago.")


def validate_not_future(value: dt.date) -> None:
    if value > timezone.localdate():
        raise ValidationError("This date cannot be in the future.")


def validate_icd10_code(value: str) -> None:
    if diagnoses.lookup(value) is None:
        raise ValidationError(
            f"{value!r} is not an ICD-10-CM code in Remission's catalogue "
            "(e.g. F33.2, F43.10, F41.1)."
        )
