"""Recording a rating-scale administration: scored by the clinical core, stored, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from remission.accounts.access import require
from remission.accounts.models import Membership
from remission.accounts.roles import Capability
from remission.assessments import ports
from remission.assessments.models import AssessmentContext, ScaleAdministration
from remission.audit.services import audited_save
from remission.clinical import instruments
from remission.clinical.errors import ClinicalInputError
from remission.patients.models import Patient

# Who may record which context: intake and follow-up scales belong to the clinical record,
# in-session scales to the charting staff.
_CAPABILITY = {
    AssessmentContext.INTAKE: Capability.RUN_INTAKE,
    AssessmentContext.FOLLOW_UP: Capability.RUN_INTAKE,
    AssessmentContext.PRE_SESSION: Capability.CHART_SESSIONS,
    AssessmentContext.IN_SESSION: Capability.CHART_SESSIONS,
    AssessmentContext.POST_SESSION: Capability.CHART_SESSIONS,
}


@transaction.atomic
def record_scale(
    *,
    membership: Membership,
    patient: Patient,
    instrument_id: str,
    answers: Sequence[int | None],
    administered_at: dt.datetime,
    context: AssessmentContext,
    session: object | None = None,
    check_id: str = "",
) -> ScaleAdministration:
    require(membership, _CAPABILITY.get(context, Capability.RUN_INTAKE))
    if patient.clinic_id != membership.clinic_id:
        raise ValidationError("This patient belongs to another clinic.")
    try:
        result = instruments.score(
            instrument_id, list(answers), overrides=membership.clinic.clinical_overrides
        )
    except ClinicalInputError as exc:
        raise ValidationError(str(exc)) from None
    administration = ScaleAdministration(
        patient=patient,
        clinic=membership.clinic,
        recorded_by=membership.user,
        instrument_id=instrument_id,
        answers=list(result.answers),
        total=result.total,
        maximum=result.maximum,
        severity=result.severity.label if result.severity else "",
        valid=result.valid,
        invalid_reason=result.reason or "",
        flags=[{"id": f.id, "message": f.message, "value": f.value} for f in result.flags],
        administered_at=administered_at,
        context=context,
        session=session,  # type: ignore[misc]
        check_id=check_id,
    )
    audited_save(administration, actor=membership.user, summary=f"recorded {administration}")
    ports.scored(membership, administration)
    return administration
