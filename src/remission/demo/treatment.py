"""The demo clinic's treatment history: intakes, courses, charted sessions and today's board.

A share of the clinic's patients (40 % IV, 10 % IM, 15 % esketamine by default; the rest in
evaluation or intake only) gets an intake with an eligibility decision signed by the demo
prescriber, a course with its phase transitions, every past session charted in full — checklist,
dose order and an independent verification, the administration record, vital signs at the
monitoring plan's checks, CADSS-6 and MOAA/S, the pre-session PHQ-9, alerts with their
acknowledgements, adverse events, discharge and sign-off — and sessions booked on the chairs
today and for the next weeks. Esketamine patients are enrolled in the REMS, and the monitoring
forms of their sessions are recorded as sent (the last two days' still due). Today's sessions
are placed around the time the demo is built so the day board is alive whenever it is built:
some are finished, some checked in, dosing or observing, the rest still to come; each session's
status follows from its entries up to now. The controlled-substance log is seeded from the
charted doses by ``remission.demo.controlled``: lots received before the MAR names them,
dispensing and witnessed waste that account for every dose, and weekly counts.

The clinical content comes from ``remission.clinical.synthetic.sessions`` and the clinical core
(doses from ``dosing``, alerts and discharge readiness from ``monitoring``, scores from
``instruments``), so a demo chart looks exactly like one charted through the services. Rows are
written with ``bulk_create``, and every created row gets one "create" event in the audit chain,
appended in bulk. Everything is deterministic for a seed and a build time.

The day-by-day clinic simulation is plain Python (``simulate``); only ``_write*`` touch the
database.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from remission.accounts.models import Membership, User
from remission.accounts.roles import Role
from remission.clinical.routes import Route
from remission.clinics.models import Clinic
from remission.demo.charting import lot_of, write_sessions
from remission.demo.clinic_days import simulate
from remission.demo.controlled import write_controlled_log
from remission.demo.courses import SCORE_CACHE, write_courses, write_intakes
from remission.demo.plans import allocate
from remission.demo.practice import (
    CALENDAR_WEEKDAYS,
    CLOSES,
    DEMO_CHAIRS,
    MAINTENANCE_STOP_PER_DOSE,
    OPENS,
    ROUTE_SHARES,
)
from remission.demo.rems_forms import write_rems_submissions
from remission.demo.shifts import write_shifts
from remission.demo.writer import BulkWriter
from remission.patients.models import Patient
from remission.scheduling.models import (
    Chair,
    ClinicCalendarSettings,
)


@dataclass(frozen=True)
class TreatmentDemo:
    """What was built: row counts by model, and the build's own timings (seconds)."""

    counts: Mapping[str, int]
    timings: Mapping[str, float]


# --- Entry point ----------------------------------------------------------------------------


@transaction.atomic
def build_treatment(
    *,
    clinic: Clinic,
    seed: int,
    now: dt.datetime | None = None,
    history_days: int = 120,
    future_days: int = 21,
    chairs: int = DEMO_CHAIRS,
    audit: bool = True,
    rems_forms: bool = True,
    controlled_log: bool = True,
    route_shares: Sequence[tuple[Route, float]] = ROUTE_SHARES,
    maintenance_stop_per_dose: float = MAINTENANCE_STOP_PER_DOSE,
) -> TreatmentDemo:
    """Give ``clinic``'s registered patients a treatment history of ``history_days`` up to
    ``now`` (default: the current minute), and bookings ``future_days`` ahead."""
    clock = time.perf_counter()
    timings: dict[str, float] = {}
    SCORE_CACHE.clear()  # scores depend on the clinic's settings
    now = (now or timezone.now()).replace(second=0, microsecond=0)
    staff = _staff(clinic)
    writer = BulkWriter(clinic=clinic, audit=audit)
    tz = clinic.tzinfo
    today = now.astimezone(tz).date()
    setup_at = now - dt.timedelta(days=history_days + 30)
    chair_rows = _write_clinic_setup(writer, clinic, staff, chairs, setup_at)
    write_shifts(writer, clinic, today=today, opens=OPENS, closes=CLOSES)
    patients = list(
        Patient.objects.filter(clinic=clinic)
        .order_by("mrn")
        .prefetch_related("diagnoses", "antidepressant_trials", "measurements")
    )
    rng = random.Random(f"demo-treatment:{seed}")
    plans, evaluations = allocate(rng, patients, route_shares, now, today, history_days, tz)
    timings["plan"] = time.perf_counter() - clock
    simulate(
        plans,
        now=now,
        today=today,
        tz=tz,
        chairs=chairs,
        future_days=future_days,
        maintenance_stop=maintenance_stop_per_dose,
    )
    timings["simulate"] = time.perf_counter() - clock - sum(timings.values())
    write_intakes(writer, clinic, staff, plans, evaluations, now)
    courses = write_courses(writer, clinic, staff, plans, now)
    timings["intakes_courses"] = time.perf_counter() - clock - sum(timings.values())
    write_sessions(writer, clinic, staff, plans, courses, chair_rows, now=now, seed=seed)
    timings["sessions"] = time.perf_counter() - clock - sum(timings.values())
    if rems_forms:
        write_rems_submissions(writer, clinic, staff, now)
    timings["rems_forms"] = time.perf_counter() - clock - sum(timings.values())
    if controlled_log:
        write_controlled_log(
            writer, clinic, staff, now=now, seed=seed, since=setup_at, lot_of=lot_of
        )
    writer.flush()
    timings["controlled_log"] = time.perf_counter() - clock - sum(timings.values())
    return TreatmentDemo(counts=dict(writer.counts), timings=timings)


def _staff(clinic: Clinic) -> dict[str, User]:
    found: dict[str, User] = {}
    for role in (Role.PRESCRIBER, Role.NURSE, Role.FRONT_DESK, Role.MEDICAL_DIRECTOR):
        member = (
            Membership.objects.filter(clinic=clinic, role=role)
            .select_related("user")
            .order_by("user__username")
            .first()
        )
        if member is None:
            raise ValueError(f"the clinic needs a {Role(role).label} to build a treatment history")
        found[role] = member.user
    return found


def _write_clinic_setup(
    writer: BulkWriter, clinic: Clinic, staff: Mapping[str, User], chairs: int, since: dt.datetime
) -> dict[int, Chair]:
    admin = staff[Role.MEDICAL_DIRECTOR]
    calendar = ClinicCalendarSettings(
        clinic=clinic, open_weekdays=CALENDAR_WEEKDAYS, opens=OPENS, closes=CLOSES, holidays=[]
    )
    writer.create(
        [calendar],
        actor=lambda _: admin,
        summary=lambda _: "clinic calendar: open daily 08:00–18:00",
        patient=lambda _: None,
    )
    rows = [Chair(clinic=clinic, name=f"Chair {n}", position=n) for n in range(1, chairs + 1)]
    writer.create(
        rows, actor=lambda _: admin, summary=lambda c: f"{c.name} in use", patient=lambda _: None
    )
    return {c.position: c for c in rows}
