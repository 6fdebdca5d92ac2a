"""The treatment services: changing a course's phase; starting a course (one active course
per route family, the hard dose limits checked when it is planned)."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.audit.models import AuditAction, AuditEvent
from remission.patients.models import Patient
from remission.treatment import services
from remission.treatment.models import TreatmentCourse
from tests.world.treatment import INTAKE_ANSWERS

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


def test_discontinuing_a_course_cancels_its_booked_sessions_each_audited(
    members: dict[str, Membership], course: TreatmentCourse
) -> None:
    booked = list(course.sessions.values_list("pk", flat=True))
    assert booked
    services.change_phase(
        membership=members[Role.PRESCRIBER],
        course=course,
        to_phase="discontinued",
        reason="moved away",
    )
    sessions = list(course.sessions.all())
    assert {s.status for s in sessions} == {"cancelled"}
    assert {s.status_reason for s in sessions} == {"course discontinued: moved away"}
    audited = AuditEvent.objects.filter(
        object_type="scheduling.treatmentsession",
        object_id__in=[str(pk) for pk in booked],
        action=AuditAction.UPDATE,
        actor_id=members[Role.PRESCRIBER].user_id,
    )
    assert audited.count() == len(booked)


def test_a_discontinuation_reason_too_long_for_the_sessions_is_refused_not_cut(
    members: dict[str, Membership], course: TreatmentCourse
) -> None:
    # 200 characters on the session's status line, 21 of them "course discontinued: "
    with pytest.raises(ValidationError, match="Keep the reason within 179 characters"):
        services.change_phase(
            membership=members[Role.PRESCRIBER],
            course=course,
            to_phase="discontinued",
            reason="r" * 180,
        )
    course.refresh_from_db()
    assert course.phase != "discontinued"
    assert {s.status for s in course.sessions.all()} == {"scheduled"}


# --- starting a course --------------------------------------------------------------------------


def _start(members: dict[str, Membership], course: TreatmentCourse, **data: object) -> Any:
    return services.start_course(
        membership=members[Role.PRESCRIBER],
        patient=course.patient,
        data={"protocol_id": "iv-induction-3x-weekly", "start_date": course.start_date, **data},
    )


def test_a_second_active_course_of_the_same_route_is_refused_unless_a_reason_is_given(
    members: dict[str, Membership], course: TreatmentCourse
) -> None:
    with pytest.raises(ValidationError) as refused:
        _start(members, course)
    assert "already has an active IV racemic ketamine course" in " ".join(
        refused.value.message_dict["concurrent_reason"]
    )
    assert TreatmentCourse.objects.filter(patient=course.patient).count() == 1
    second = _start(members, course, concurrent_reason="changeover to twice weekly this week")
    assert second.concurrent_reason == "changeover to twice weekly this week"


def test_a_discontinued_course_does_not_stand_in_the_way(
    members: dict[str, Membership], course: TreatmentCourse
) -> None:
    services.change_phase(
        membership=members[Role.PRESCRIBER], course=course, to_phase="discontinued", reason="x"
    )
    assert _start(members, course).pk != course.pk


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"mg_per_kg": Decimal("5")}, "mg_per_kg"),
        ({"mg_per_kg": Decimal("0.05")}, "mg_per_kg"),
        ({"mg_per_kg": Decimal("1.0"), "infusion_minutes": 12}, "infusion_minutes"),
        ({"concentration_mg_per_ml": Decimal("500")}, "concentration_mg_per_ml"),
    ],
)
def test_a_course_planned_beyond_the_hard_dose_limits_is_refused_before_booking(
    members: dict[str, Membership], course: TreatmentCourse, data: dict[str, object], field: str
) -> None:
    services.change_phase(
        membership=members[Role.PRESCRIBER], course=course, to_phase="discontinued", reason="x"
    )
    with pytest.raises(ValidationError) as refused:
        _start(members, course, **data)
    assert field in refused.value.message_dict
    assert TreatmentCourse.objects.filter(patient=course.patient).count() == 1


# --- signing eligibility ------------------------------------------------------------------------


def test_a_hard_stop_cannot_be_signed_eligible_and_every_reason_is_given(
    members: dict[str, Membership], patient: Patient
) -> None:
    answers = copy.deepcopy(INTAKE_ANSWERS)
    answers["history"]["unable_to_consent"] = True
    answers["blood_pressure_today"] = {"systolic_mmhg": 210, "diastolic_mmhg": 125}
    intake = services.record_intake(
        membership=members[Role.NURSE], patient=patient, answers=answers
    )
    statuses = {r["route"]: r["status"] for r in intake.assessment["routes"]}
    assert set(statuses.values()) == {"contraindicated"}
    with pytest.raises(ValidationError) as refused:
        services.sign_eligibility(
            membership=members[Role.PRESCRIBER],
            intake=intake,
            decision="eligible",
            routes=["iv_racemic"],
            note="I have considered this",
        )
    text = " ".join(refused.value.messages)
    assert "cannot be signed eligible until resolved" in text
    assert "unable to give informed consent" in text and "hypertensive crisis" in text
    signed = services.sign_eligibility(
        membership=members[Role.PRESCRIBER], intake=intake, decision="not_eligible", routes=[]
    )
    assert signed.decision == "not_eligible"
