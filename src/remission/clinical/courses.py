"""Whether a patient may start another treatment course.

A course carries a route family's doses, its minimum intervals and the outcome series its scales
are read in. Two active courses of one family would book and count the same treatment twice, so
a second is refused unless a prescriber records why both must run (e.g. a changeover week).
Courses of different families may overlap; the interval between any two doses still holds (see
``session_rules``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from remission.clinical import registry
from remission.clinical.evidence import Confidence, Evidence
from remission.clinical.routes import RouteFamily

ONE_COURSE_PER_FAMILY = Evidence(
    citation="Practice convention of this project: one active course per patient and route "
    "family, so that doses, the minimum interval and the outcome series are each counted once",
    confidence=Confidence.UNCERTAIN,
    note="a prescriber may override with a reason, which is kept on the new course",
)


@dataclass(frozen=True, slots=True)
class ActiveCourse:
    """A course of the patient not discontinued: its family, title and start."""

    family: RouteFamily | None
    title: str
    start_date: dt.date


def concurrent_course_problem(
    family: RouteFamily | None, active: Sequence[ActiveCourse], *, override_reason: str = ""
) -> str | None:
    """Why a new course of ``family`` may not start beside the ``active`` ones (None: it may).
    A course without a drug (therapy only) never conflicts."""
    if family is None or override_reason.strip():
        return None
    same = [c for c in active if c.family is family]
    if not same:
        return None
    names = "; ".join(f"{c.title} from {c.start_date}" for c in same)
    return (
        f"The patient already has an active {family.label} course ({names}). Discontinue it "
        "first, or give a reason to run both."
    )


registry.define_table(
    "courses",
    title="Starting a course",
    intro="When a new treatment course is refused.",
    columns=("Rule", "Override"),
    rows=(
        registry.TableRow(
            cells=(
                "At most one active (not discontinued) course per patient and route family",
                "a prescriber's reason, kept on the course",
            ),
            evidence=(ONE_COURSE_PER_FAMILY,),
        ),
    ),
)
