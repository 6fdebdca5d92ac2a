"""The demo's course re-evaluations: recorded by the prescriber before now, each setting the
next date; courses carry their next date; a few are left overdue so the worklist is alive."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.audit.models import AuditEvent
from remission.demo.builder import build_demo
from remission.treatment import selectors
from remission.treatment.models import CoursePhase, CourseReevaluation, TreatmentCourse

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def now(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dt.datetime]:
    moment = timezone.now().replace(second=0, microsecond=0)
    with django_db_blocker.unblock(), transaction.atomic():
        build_demo(patients=40, seed=5, now=moment)
        yield moment
        transaction.set_rollback(True)


def test_demo_reviews_precede_now_and_chain_to_each_course_next_date(now: dt.datetime) -> None:
    reviews = list(CourseReevaluation.objects.select_related("course", "by"))
    assert reviews
    for review in reviews:
        assert review.at <= now
        assert review.next_due > review.at.date()
        assert review.by.memberships.get(clinic=review.course.clinic).role == Role.PRESCRIBER
        assert AuditEvent.objects.filter(
            patient_id=review.course.patient_id,
            summary=f"demo: re-evaluated; next due {review.next_due}",
        ).exists()
    for course in TreatmentCourse.objects.prefetch_related("reevaluations"):
        assert course.reevaluation_due is not None
        chain = list(course.reevaluations.all())
        if chain:
            assert course.reevaluation_due == chain[-1].next_due


def test_the_demo_worklist_holds_some_courses_but_not_most(now: dt.datetime) -> None:
    prescriber = Membership.objects.get(clinic__slug="demo", role=Role.PRESCRIBER)
    today = now.astimezone(prescriber.clinic.tzinfo).date()
    due = selectors.reevaluations_due(membership=prescriber, today=today)
    open_courses = TreatmentCourse.objects.exclude(phase=CoursePhase.DISCONTINUED).count()
    assert 0 < len(due) < open_courses / 2


def test_demo_esketamine_courses_treat_trd_and_other_courses_have_no_indication(
    now: dt.datetime,
) -> None:
    indications = {
        (course.route == "esketamine_nasal", course.indication)
        for course in TreatmentCourse.objects.all()
    }
    assert indications <= {(True, "trd"), (False, "")}
    assert (True, "trd") in indications
