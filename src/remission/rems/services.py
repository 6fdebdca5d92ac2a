"""Recording REMS enrollments and monitoring-form submissions: authorised, validated, audited.

``rems_readiness`` (the hard stops before an esketamine dose) is a read and lives in
``selectors``; it is re-exported here because the chair-side screen and the scheduler call it
as ``remission.rems.services.rems_readiness``.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from remission.accounts.access import require
from remission.accounts.models import Membership, User
from remission.accounts.roles import Capability
from remission.audit.services import audited_save
from remission.patients.models import Patient
from remission.rems.forms_data import is_rems_session, monitoring_form_for
from remission.rems.models import MonitoringFormSubmission, RemsEnrollment, SubmissionMethod
from remission.rems.selectors import rems_readiness
from remission.scheduling.models import TreatmentSession

__all__ = ["record_enrollment", "record_submission", "rems_readiness"]


@transaction.atomic
def record_enrollment(
    *,
    membership: Membership,
    patient: Patient,
    enrolled_on: dt.date,
    rems_patient_id: str = "",
    enrolled_by: User | None = None,
    note: str = "",
) -> RemsEnrollment:
    """Record that the patient is enrolled in the REMS. Enrollments are never edited: a
    correction is a new entry, and the latest one counts."""
    require(membership, Capability.MANAGE_REMS)
    if patient.clinic_id != membership.clinic_id:
        raise ValidationError("This patient belongs to another clinic.")
    today = timezone.localdate(timezone=membership.clinic.tzinfo)
    if enrolled_on > today:
        raise ValidationError({"enrolled_on": "The enrollment date cannot be in the future."})
    if enrolled_on < patient.date_of_birth:
        raise ValidationError({"enrolled_on": "The enrollment date is before the date of birth."})
    if (
        enrolled_by is not None
        and not enrolled_by.memberships.filter(clinic_id=membership.clinic_id).exists()
    ):
        raise ValidationError({"enrolled_by": "Choose a member of this clinic."})
    enrollment = RemsEnrollment(
        patient=patient,
        clinic=membership.clinic,
        recorded_by=membership.user,
        enrolled_on=enrolled_on,
        rems_patient_id=rems_patient_id.strip(),
        enrolled_by=enrolled_by or membership.user,
        note=note.strip(),
    )
    enrollment.full_clean()
    audited_save(enrollment, actor=membership.user, summary=f"recorded {enrollment}")
    return enrollment


@transaction.atomic
def record_submission(
    *,
    membership: Membership,
    session: TreatmentSession,
    submitted_at: dt.datetime,
    method: str,
    confirmation_number: str = "",
    note: str = "",
    acknowledge_missing: bool = False,
) -> MonitoringFormSubmission:
    """Record that the clinic sent the session's monitoring form to the REMS.

    When the chart leaves form fields unanswered, a person must confirm (``acknowledge_missing``)
    that the form was completed and sent anyway; otherwise the submission is refused.
    """
    require(membership, Capability.MANAGE_REMS)
    if session.clinic_id != membership.clinic_id:
        raise ValidationError("This session belongs to another clinic.")
    if not is_rems_session(session):
        raise ValidationError("Only an esketamine dosing session has a REMS monitoring form.")
    if method not in SubmissionMethod.values:
        raise ValidationError({"method": "Choose how the form was sent."})
    if timezone.is_naive(submitted_at):
        raise ValidationError({"submitted_at": "The submission time needs a time zone."})
    if submitted_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"submitted_at": "The submission time cannot be in the future."})
    tz = membership.clinic.tzinfo
    data = monitoring_form_for(session)
    if data.first_device_at is None and session.discharged_at is None:
        raise ValidationError("No dose is charted for this session; there is no form to send.")
    if submitted_at.astimezone(tz).date() < data.treatment_date:
        raise ValidationError({"submitted_at": "The form cannot be sent before the session."})
    if data.missing and not acknowledge_missing:
        raise ValidationError(
            {
                "acknowledge_missing": (
                    f"The chart leaves {len(data.missing)} field(s) of the form unanswered: "
                    + "; ".join(data.missing)
                    + ". Confirm that they were completed on the submitted form."
                )
            }
        )
    submission = MonitoringFormSubmission(
        session=session,
        clinic=membership.clinic,
        patient=session.patient,
        submitted_at=submitted_at,
        submitted_by=membership.user,
        method=method,
        confirmation_number=confirmation_number.strip(),
        note=note.strip(),
        incomplete_acknowledged=bool(data.missing),
    )
    try:
        with transaction.atomic():
            audited_save(
                submission,
                actor=membership.user,
                summary=f"REMS monitoring form of {data.treatment_date:%Y-%m-%d} sent",
            )
    except IntegrityError:
        raise ValidationError(
            "This session's monitoring form is already recorded as sent."
        ) from None
    return submission
