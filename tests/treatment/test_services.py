"""The treatment services: changing a course's phase."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.audit.models import AuditAction, AuditEvent
from remission.treatment import services
from remission.treatment.models import TreatmentCourse

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
