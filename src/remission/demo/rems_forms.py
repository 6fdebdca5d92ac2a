"""The REMS monitoring forms of the demo's esketamine sessions, recorded as sent."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping

from remission.accounts.models import User
from remission.accounts.roles import Role
from remission.clinical.routes import Route
from remission.clinics.models import Clinic
from remission.demo.writer import BulkWriter
from remission.rems.forms_data import monitoring_form_for
from remission.rems.models import MonitoringFormSubmission, SubmissionMethod
from remission.scheduling.models import (
    SessionStatus,
    TreatmentSession,
)

# REMS monitoring forms are sent within 7 days; the demo has sent those of sessions more than
# two days old, 1–48 h after discharge, so the dashboard shows a few still due [?].
REMS_FORM_SENT_AFTER_DAYS = 2


def write_rems_submissions(
    writer: BulkWriter, clinic: Clinic, staff: Mapping[str, User], now: dt.datetime
) -> None:
    """The monitoring-form submissions ``rems.services.record_submission`` would record,
    with ``incomplete_acknowledged`` from the form the chart actually yields."""
    nurse = staff[Role.NURSE]
    sessions = TreatmentSession.objects.filter(
        clinic=clinic,
        course__route=Route.ESKETAMINE_NASAL.value,
        status=SessionStatus.DISCHARGED,
        discharged_at__lte=now - dt.timedelta(days=REMS_FORM_SENT_AFTER_DAYS),
    ).order_by("scheduled_start")
    rows = []
    for session in sessions.select_related("patient", "course", "clinic"):
        assert session.discharged_at is not None
        rng = random.Random(f"rems:{session.pk}")
        form = monitoring_form_for(session)
        rows.append(
            MonitoringFormSubmission(
                session=session,
                clinic=clinic,
                patient=session.patient,
                submitted_at=session.discharged_at + dt.timedelta(minutes=rng.randint(60, 2880)),
                submitted_by=nurse,
                method=SubmissionMethod.PORTAL,
                confirmation_number=f"SPV{rng.randint(10**6, 10**7 - 1)}",
                incomplete_acknowledged=bool(form.missing),
                recorded_at=session.discharged_at + dt.timedelta(minutes=rng.randint(60, 2880)),
            )
        )
    for row in rows:
        row.recorded_at = row.submitted_at
    writer.create(
        rows,
        actor=lambda _: nurse,
        summary=lambda r: f"REMS monitoring form of {r.session.scheduled_start:%Y-%m-%d} sent",
        patient=lambda r: r.patient_id,
    )
