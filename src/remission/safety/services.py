"""Raising and closing safety escalations.

``on_scored`` runs for every scale recorded (``assessments.ports``): a positive suicide item or
suicide-risk screen opens an escalation with the clinical core's urgency, tells the clinicians
the rule names, and holds any dose of the patient until a clinician records a suicide-risk
screen and a disposition (``close``). A screen recorded while escalations are open is their
screen, not a new escalation (a high-risk one makes them immediate).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from remission.accounts.access import require
from remission.accounts.models import Membership
from remission.accounts.roles import Capability, Role
from remission.assessments.models import ScaleAdministration
from remission.audit.services import audited_save
from remission.clinical.outcomes.escalation import (
    FLAG_RULES,
    Disposition,
    Urgency,
    disposition_problems,
    escalate_flag,
)
from remission.safety.models import EscalationStatus, SafetyEscalation
from remission.scheduling.models import SessionKind, SessionStatus, StaffShift, TreatmentSession

SCREEN_INSTRUMENT = "suicide-screen"
SUICIDE_RULES = frozenset(
    {
        "suicide_item_positive",
        "suicide_screen_high_risk",
        "suicide_screen_moderate_risk",
        "suicide_screen_low_risk",
    }
)
# The escalation rule's roles (``clinical.outcomes.escalation.ROLES``) as clinic roles.
_CLINIC_ROLES = {
    "prescriber": (Role.PRESCRIBER,),
    "medical_director": (Role.MEDICAL_DIRECTOR,),
    "on_call_clinician": (Role.PRESCRIBER, Role.MEDICAL_DIRECTOR),
    "nurse": (Role.NURSE,),
    "treating_therapist": (Role.THERAPIST,),
}
_ORDER = list(Urgency)


def _suicide_flags(scale: ScaleAdministration) -> list[dict[str, object]]:
    return [f for f in scale.flags if FLAG_RULES.get(str(f.get("id"))) in SUICIDE_RULES]


def on_scored(membership: Membership, scale: ScaleAdministration) -> None:
    """The escalations a newly scored scale raises, or the open ones it is the screen of."""
    flags = _suicide_flags(scale)
    open_ones = SafetyEscalation.objects.filter(
        patient_id=scale.patient_id, status=EscalationStatus.OPEN
    )
    if scale.instrument_id == SCREEN_INSTRUMENT and open_ones.exists():
        _attach_screen(membership, scale, list(open_ones), flags)
        return
    for flag in flags:
        _raise(membership, scale, str(flag["id"]), _int_or_none(flag.get("value")))


def _int_or_none(value: object) -> int | None:
    return value if isinstance(value, int) else None


def _session_of(scale: ScaleAdministration) -> TreatmentSession | None:
    """The session the scale belongs to, or else the patient's dosing session that day."""
    if scale.session_id is not None:
        return TreatmentSession.objects.filter(pk=scale.session_id).first()
    tz = scale.clinic.tzinfo
    day = scale.administered_at.astimezone(tz).date()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    return (
        TreatmentSession.objects.filter(
            patient_id=scale.patient_id,
            kind=SessionKind.DOSING,
            scheduled_start__gte=start,
            scheduled_start__lt=start + dt.timedelta(days=1),
        )
        .exclude(status__in=(SessionStatus.CANCELLED, SessionStatus.NO_SHOW))
        .order_by("scheduled_start")
        .first()
    )


def _raise(
    membership: Membership, scale: ScaleAdministration, flag: str, value: int | None
) -> SafetyEscalation:
    rule = escalate_flag(flag, value, membership.clinic.clinical_overrides)
    message = next((str(f["message"]) for f in scale.flags if f.get("id") == flag), flag)
    escalation = SafetyEscalation(
        patient_id=scale.patient_id,
        clinic_id=scale.clinic_id,
        recorded_by=membership.user,
        source=scale,
        session=_session_of(scale),
        flag=flag,
        value=value,
        urgency=rule.urgency.value,
        message=message[:300],
        action=rule.action[:300],
        notify_roles=",".join(rule.notify),
    )
    recipients = _address(escalation)
    audited_save(escalation, actor=membership.user, summary=f"safety escalation raised: {flag}")
    _send(escalation, recipients)
    return escalation


def _attach_screen(
    membership: Membership,
    screen: ScaleAdministration,
    escalations: list[SafetyEscalation],
    flags: list[dict[str, object]],
) -> None:
    """The screen of the open escalations; a high-risk screen makes them immediate."""
    high = any(f.get("id") == "suicide_screen_high_risk" for f in flags)
    for escalation in escalations:
        escalation.screen = screen
        recipients: list[str] = []
        if high and escalation.urgency != Urgency.IMMEDIATE.value:
            escalation.urgency = Urgency.IMMEDIATE.value
            escalation.action = (
                "Suicide-risk screen high risk: immediate clinician evaluation and safety "
                "precautions."
            )
            recipients = _address(escalation)
        audited_save(
            escalation, actor=membership.user, summary="safety escalation: screen recorded"
        )
        _send(escalation, recipients)


def _recipients(escalation: SafetyEscalation) -> tuple[list[str], str]:
    """E-mail addresses of the rule's roles on shift now, or of every member in those roles
    when none is on shift; and how they were chosen."""
    roles = {r for name in escalation.notify_roles.split(",") for r in _CLINIC_ROLES.get(name, ())}
    members = Membership.objects.filter(
        clinic_id=escalation.clinic_id, is_active=True, role__in=roles
    ).select_related("user")
    now = timezone.localtime(timezone=escalation.clinic.tzinfo)
    on_shift = set(
        StaffShift.objects.filter(
            clinic_id=escalation.clinic_id,
            on=now.date(),
            starts__lte=now.time(),
            ends__gt=now.time(),
        ).values_list("member_id", flat=True)
    )
    chosen = [m for m in members if m.pk in on_shift]
    how = "on shift"
    if not chosen:
        chosen, how = list(members), "no one on shift: every member in the role"
    return sorted({m.user.email for m in chosen if m.user.email}), how


def _address(escalation: SafetyEscalation) -> list[str]:
    """Who is told, recorded on the escalation before it is saved (so the audited row says)."""
    recipients, how = _recipients(escalation)
    told = ", ".join(recipients) or "nobody with an e-mail address"
    escalation.notified = f"{told} ({how})"[:500]
    return recipients


def _send(escalation: SafetyEscalation, recipients: list[str]) -> None:
    """E-mail the clinicians once the escalation is committed; the message names no patient
    (it may leave the clinic's systems) and links to the escalation."""
    if not recipients:
        return
    path = reverse("safety:escalation", args=[escalation.clinic.slug, escalation.pk])
    subject = f"[Remission] {escalation.get_urgency_display()} safety escalation"
    body = (
        f"A safety escalation at {escalation.clinic.name} needs a clinician "
        f"({escalation.urgency.replace('_', ' ')}).\n\n{escalation.action}\n\n"
        f"Open it in Remission: {settings.REMISSION_BASE_URL.rstrip('/')}{path}\n"
    )
    transaction.on_commit(lambda: send_mail(subject, body, None, recipients))


@transaction.atomic
def close(
    *,
    membership: Membership,
    escalation: SafetyEscalation,
    disposition: Disposition | str,
    note: str,
) -> SafetyEscalation:
    """Close an escalation with the clinician's disposition and note; it needs the patient's
    suicide-risk screen (recorded since the escalation was raised)."""
    require(membership, Capability.CLOSE_ESCALATIONS)
    escalation = SafetyEscalation.objects.select_for_update().get(pk=escalation.pk)
    if escalation.clinic_id != membership.clinic_id:
        raise ValidationError("This escalation belongs to another clinic.")
    if not escalation.is_open:
        raise ValidationError("This escalation is already closed.")
    try:
        disposition = Disposition(disposition)
    except ValueError:
        raise ValidationError({"disposition": "Choose a disposition."}) from None
    if not note.strip():
        raise ValidationError({"note": "Say what was assessed and agreed."})
    screen = escalation.screen or (
        ScaleAdministration.objects.filter(
            patient_id=escalation.patient_id,
            instrument_id=SCREEN_INSTRUMENT,
            administered_at__gte=escalation.source.administered_at,
        )
        .order_by("-administered_at")
        .first()
    )
    problems = disposition_problems(screen.total if screen else None, disposition)
    if problems:
        raise ValidationError({"disposition": problems})
    escalation.screen = screen
    escalation.disposition = disposition.value
    escalation.note = note.strip()
    escalation.status = EscalationStatus.CLOSED
    escalation.closed_by = membership.user
    escalation.closed_at = timezone.now()
    audited_save(
        escalation,
        actor=membership.user,
        summary=f"safety escalation closed: {disposition.label}",
    )
    return escalation
