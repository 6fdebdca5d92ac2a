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


SHOWN_CANDIDATES = 8


def resolve_icd10_code(value: str) -> str:
    """The catalogue code ``value`` names: a code ('f33.2', 'G4733'), a code with its title
    (as a suggestion list fills it), or a name that matches one entry only ('fibromyalgia').
    A name that matches several lists them, so the next try can pick one."""
    text = value.strip()
    entry = diagnoses.lookup(text) or diagnoses.lookup(text.split(" ", 1)[0])
    if entry is not None:
        return entry.code
    found = diagnoses.search(text, limit=SHOWN_CANDIDATES + 1)
    if len(found) == 1:
        return found[0].code
    if found:
        listed = "; ".join(e.label for e in found[:SHOWN_CANDIDATES])
        more = " and more: type more of the name" if len(found) > SHOWN_CANDIDATES else ""
        raise ValidationError(
            f"“{text}” matches several diagnoses; enter one code: {listed}{more}."
        )
    raise ValidationError(
        f"“{text}” is not an ICD-10-CM code in Remission's catalogue, nor the name of one "
        "(e.g. F33.2, I10, hypertension, sleep apnoea)."
    )
