"""Esketamine courses by indication and label: the service plans them (indication stored, the
label's day-1 dose as the default, a review the prescriber acknowledges when an oral
antidepressant is needed and not recorded); the selectors flag inductions that cannot give 8
doses by the end of week 4. Clock pinned (tests/conftest.py): Wednesday 2 December 2026."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.audit.models import AuditEvent
from remission.clinical.esketamine import LABEL_KEY
from remission.patients import services as patients
from remission.patients.models import Patient
from remission.patients.records import RECORD_KINDS
from remission.scheduling.models import SessionKind, SessionStatus, TreatmentSession
from remission.treatment import selectors, services
from remission.treatment import services as treatment
from remission.treatment.models import TreatmentCourse
from tests.treatment.conftest import NO_MEDICINES
from tests.world.treatment import INTAKE_ANSWERS

# Fixed dates on the pinned default clock (Wednesday 2 December 2026): not a calendar test.
pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 2)


# What the older intake form stored instead of a list: yes/no boxes (docs/examples).
OLDER_FORM_BOXES = {
    **dict.fromkeys(
        ("maoi", "benzodiazepine", "z_drug", "opioid", "stimulant", "lamotrigine"), False
    ),
    "mood_stabiliser": False,
    "other_blood_pressure_raising": False,
    "lorazepam_equivalent_mg_per_day": None,
}


def use_smpc(patient: Patient) -> None:
    patient.clinic.clinical_overrides = {LABEL_KEY: "eu-uk-smpc"}
    patient.clinic.save()


def aged(patient: Patient, years: int, *, japanese: bool | None = False) -> Patient:
    """The patient turns ``years`` today (Patient has no service to edit a date of birth)."""
    patient.date_of_birth = TODAY.replace(year=TODAY.year - years)
    patient.japanese_ancestry = japanese
    patient.save()
    return patient


def on_an_antidepressant(members: dict[str, Membership], patient: Patient) -> None:
    """A new intake whose medication list holds sertraline (the world's intake)."""
    treatment.record_intake(membership=members[Role.NURSE], patient=patient, answers=INTAKE_ANSWERS)


def on_an_antidepressant_trial(members: dict[str, Membership], patient: Patient) -> None:
    """A current antidepressant trial running today (what an intake without a list leaves)."""
    patients.add_record(
        membership=members[Role.MEDICAL_DIRECTOR],
        patient=patient,
        kind=RECORD_KINDS["trials"],
        data={
            "drug": "Escitalopram",
            "duration_weeks": 12,
            "adherence": "good",
            "outcome": "partial_response",
            "adequate_trial": True,
            "current_episode": True,
            "start_date": TODAY - dt.timedelta(weeks=3),
        },
    )


def start(members: dict[str, Membership], patient: Patient, **data: Any) -> TreatmentCourse:
    return services.start_course(
        membership=members[Role.PRESCRIBER],
        patient=patient,
        data={"protocol_id": "esketamine-induction", "start_date": TODAY, **data},
    )


def refusal(members: dict[str, Membership], patient: Patient, **data: Any) -> dict[str, Any]:
    with pytest.raises(ValidationError) as refused:
        start(members, patient, **data)
    return refused.value.message_dict


# --- planning ---------------------------------------------------------------------------------


def test_an_esketamine_course_treats_trd_by_default_at_the_us_day_1_dose(
    members: dict[str, Membership], eligible: Patient
) -> None:
    course = start(members, eligible)
    assert (course.indication, course.fixed_dose_mg) == ("trd", 56)


def test_mdsi_without_an_oral_antidepressant_is_held_for_the_prescribers_review(
    members: dict[str, Membership], eligible: Patient
) -> None:
    problems = refusal(members, eligible, indication="mdsi")
    assert list(problems) == ["acknowledge_label"]
    assert any("together with an oral antidepressant" in m for m in problems["acknowledge_label"])
    assert not TreatmentCourse.objects.filter(patient=eligible).exists()

    course = start(members, eligible, indication="mdsi", acknowledge_label=True)
    assert (course.indication, course.fixed_dose_mg) == ("mdsi", 84)
    audit = AuditEvent.objects.filter(object_id=str(course.pk)).order_by("pk").first()
    assert audit is not None
    assert "esketamine_without_oral_antidepressant" in audit.summary  # the list holds none


def test_mdsi_with_an_oral_antidepressant_recorded_needs_no_review(
    members: dict[str, Membership], eligible: Patient
) -> None:
    on_an_antidepressant(members, eligible)
    course = start(members, eligible, indication="mdsi")
    assert course.fixed_dose_mg == 84  # 84 mg on day 1 is the MDSI dose, not a warning


def test_a_trd_course_planned_at_84_mg_shows_the_day_1_rule_for_review(
    members: dict[str, Membership], eligible: Patient
) -> None:
    problems = refusal(members, eligible, fixed_dose_mg=84)
    assert any("day-1 dose is 56 mg, not 84 mg" in m for m in problems["acknowledge_label"])


def test_a_review_and_a_hard_limit_are_listed_together(
    members: dict[str, Membership], eligible: Patient
) -> None:
    problems = refusal(members, eligible, indication="mdsi", fixed_dose_mg=112)
    assert set(problems) == {"acknowledge_label", "fixed_dose_mg"}


def test_only_an_esketamine_course_has_an_indication(
    members: dict[str, Membership], eligible: Patient
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.start_course(
            membership=members[Role.PRESCRIBER],
            patient=eligible,
            data={
                "protocol_id": "iv-induction-3x-weekly",
                "start_date": TODAY,
                "indication": "trd",
            },
        )
    assert "indication" in refused.value.message_dict


@pytest.mark.parametrize(
    ("age", "japanese", "dose"), [(64, False, 56), (65, False, 28), (64, True, 28)]
)
def test_under_the_smpc_the_day_1_dose_follows_age_and_ancestry(
    members: dict[str, Membership], eligible: Patient, age: int, japanese: bool, dose: int
) -> None:
    use_smpc(eligible)
    on_an_antidepressant(members, aged(eligible, age, japanese=japanese))
    assert start(members, eligible).fixed_dose_mg == dose


def test_under_the_smpc_trd_needs_an_antidepressant_and_an_unasked_ancestry_is_named(
    members: dict[str, Membership], eligible: Patient
) -> None:
    use_smpc(eligible)
    aged(eligible, 50, japanese=None)
    messages = refusal(members, eligible)["acknowledge_label"]
    assert any("SSRI or SNRI" in m for m in messages)
    assert any("Japanese ancestry" in m for m in messages)


# --- the oral antidepressant, as the chart records it today ----------------------------------


def test_a_current_trial_running_today_reads_as_on_an_antidepressant(
    members: dict[str, Membership], patient: Patient
) -> None:
    assert selectors.oral_antidepressant_recorded(patient, on=TODAY) is None  # no start date
    on_an_antidepressant_trial(members, patient)
    assert selectors.oral_antidepressant_recorded(patient, on=TODAY) is True
    later = TODAY + dt.timedelta(weeks=10)  # past the trial's recorded 12 weeks
    assert selectors.oral_antidepressant_recorded(patient, on=later) is None


def test_the_latest_intakes_medication_list_decides_over_the_trials(
    members: dict[str, Membership], patient: Patient
) -> None:
    on_an_antidepressant_trial(members, patient)
    treatment.record_intake(membership=members[Role.NURSE], patient=patient, answers=NO_MEDICINES)
    assert selectors.oral_antidepressant_recorded(patient, on=TODAY) is False
    on_an_antidepressant(members, patient)
    assert selectors.oral_antidepressant_recorded(patient, on=TODAY) is True


def test_an_intake_on_the_older_form_leaves_the_trials_to_decide(
    members: dict[str, Membership], patient: Patient
) -> None:
    older = {**INTAKE_ANSWERS, "medications": OLDER_FORM_BOXES}
    del older["alcohol"], older["presedation"]
    treatment.record_intake(membership=members[Role.NURSE], patient=patient, answers=older)
    assert selectors.oral_antidepressant_recorded(patient, on=TODAY) is None
    on_an_antidepressant_trial(members, patient)
    assert selectors.oral_antidepressant_recorded(patient, on=TODAY) is True


# --- induction past week 4 --------------------------------------------------------------------


def dosed(course: TreatmentCourse, *days: dt.date, status: str = SessionStatus.DISCHARGED) -> None:
    """Dosing sessions of ``course`` checked in at 10:00 on ``days`` (rows written directly:
    the services stamp "now")."""
    tz = course.clinic.tzinfo
    for n, day in enumerate(days, start=1):
        at = dt.datetime.combine(day, dt.time(10), tzinfo=tz)
        TreatmentSession.objects.create(
            clinic=course.clinic,
            patient=course.patient,
            course=course,
            kind=SessionKind.DOSING,
            dose_number=n,
            scheduled_start=at,
            checked_in_at=at,
            duration_min=150,
            status=status,
        )


def induction_course(members: dict[str, Membership], eligible: Patient, start_date: dt.date):
    return start(members, eligible, start_date=start_date)


def test_an_induction_on_schedule_is_not_flagged(
    members: dict[str, Membership], eligible: Patient
) -> None:
    day_1 = dt.date(2026, 11, 16)  # a Monday; today is day 17
    course = induction_course(members, eligible, day_1)
    dosed(course, *(day_1 + dt.timedelta(days=d) for d in (0, 3, 7, 10, 14)))
    progress = selectors.induction_progress(course, today=timezone.localdate())
    assert progress is not None
    assert (progress.doses_by_week_4, progress.flagged) == (5, False)


def test_missed_doses_that_push_induction_past_week_4_flag_the_course(
    members: dict[str, Membership], eligible: Patient
) -> None:
    day_1 = dt.date(2026, 11, 16)
    course = induction_course(members, eligible, day_1)
    dosed(course, day_1, day_1 + dt.timedelta(days=3))  # then two weeks missed
    dosed(course, dt.date(2026, 11, 25), status=SessionStatus.NO_SHOW)  # not a dose
    progress = selectors.induction_progress(course, today=timezone.localdate())
    assert progress is not None and progress.flagged
    assert progress.reason.startswith("Induction cannot finish by week 4: 2 of 8 doses so far")

    flagged = selectors.active_courses(
        membership=members[Role.PRESCRIBER], today=TODAY, induction_flagged_only=True
    )
    assert [r.course.pk for r in flagged] == [course.pk]


def test_a_maintenance_or_iv_course_has_no_induction_flag(
    members: dict[str, Membership], eligible: Patient
) -> None:
    course = start(members, eligible, protocol_id="esketamine-maintenance-weekly")
    assert selectors.induction_progress(course, today=TODAY) is None
    rows = selectors.active_courses(
        membership=members[Role.PRESCRIBER], today=TODAY, induction_flagged_only=True
    )
    assert rows == []


def test_the_course_list_is_refused_without_the_right_to_see_clinical_records(
    members: dict[str, Membership],
) -> None:
    with pytest.raises(PermissionDenied):
        selectors.active_courses(membership=members[Role.FRONT_DESK], today=TODAY)
