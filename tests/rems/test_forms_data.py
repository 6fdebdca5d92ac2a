"""The REMS Patient Monitoring Form, field by field, as the chart fills it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.chairside.models import AdministrationEvent, VitalSignEntry
from remission.patients.models import Patient
from remission.rems.forms_data import NOT_RECORDED, monitoring_form_for
from remission.scheduling.models import TreatmentSession
from tests.world.rems import (
    CERTIFICATION,
    FIRST_DEVICE,
    LOT,
    adverse_event,
    alert,
    discharge_summary,
    enroll,
    esketamine_course,
    esketamine_session,
    full_world,
    scale,
    vitals,
)

pytestmark = pytest.mark.django_db

MIN = dt.timedelta(minutes=1)


def _rows(data: object) -> dict[str, tuple[str, bool, str]]:
    return {
        f"{s.title}: {r.label}": (r.value, r.missing, r.detail)
        for s in data.sections  # type: ignore[attr-defined]
        for r in s.rows
    }


def test_a_fully_charted_session_answers_every_field(
    members: dict[str, Membership], patient: Patient
) -> None:
    world = full_world(members, patient)
    data = monitoring_form_for(world.session)

    # 1. patient
    assert (data.first_name, data.middle_initial, data.last_name) == ("Robin", "", "Example")
    assert data.date_of_birth == dt.date(1980, 4, 12)
    assert data.sex == "Female"
    assert data.first_treatment.value is True
    assert data.enrolled.value is True
    assert data.enrollment_date == dt.date(2026, 3, 7)
    assert data.rems_patient_id == "RP-778"
    # 2. concomitant medication, from the intake
    meds = dict(data.concomitant_medications)
    assert meds["Benzodiazepines"].value is True
    assert [meds[k].value for k in meds if k != "Benzodiazepines"] == [False] * 4
    assert set(meds) == {
        "Benzodiazepines",
        "Non-benzodiazepine sedative hypnotics",
        "Psychostimulants",
        "MAO inhibitors",
        "Opioids",
    }
    assert data.medications_source == "intake of 2026-02-28"
    # 3. monitoring HCP: the nurse who charted the vital signs; the clinic's line as telephone
    assert data.hcp is not None
    assert data.hcp.name == "Nurse Alpha"
    assert data.hcp.source == "charted the session's vital signs"
    assert data.hcp.email == "nurse-alpha@example.org"
    assert data.hcp.phone == "(207) 555-0142"
    # 4. setting
    assert data.setting_name == "Alpha Ketamine Clinic"
    assert data.setting_address == "12 Harbor Street, Portland, ME, 04101"
    assert data.certification_number == CERTIFICATION
    # 5. session
    assert data.treatment_date == dt.date(2026, 3, 10)
    assert data.due_on == dt.date(2026, 3, 17)
    assert data.dose_given_mg == Decimal(56)
    assert data.dose_choice == "56 mg"
    assert data.devices_given == 2
    assert data.lot_numbers == (LOT,)
    assert data.first_device_at == FIRST_DEVICE
    assert data.total_monitoring_min == 125
    assert data.ready_to_leave_min == 75
    # 6. vitals acceptable
    assert data.vitals_acceptable_before.value is True
    assert data.vitals_acceptable_at_end.value is True
    # 7. blood pressure by check id
    assert data.bp_before is not None
    assert (data.bp_before.systolic_mmhg, data.bp_before.diastolic_mmhg) == (128, 82)
    assert data.bp_before.minutes_from_first_device == -10
    assert data.bp_at_40_min is not None
    assert (data.bp_at_40_min.systolic_mmhg, data.bp_at_40_min.check_id) == (146, "vitals@+40")
    assert data.bp_before_end is not None
    assert (data.bp_before_end.systolic_mmhg, data.bp_before_end.check_id) == (131, "vitals@+120")
    # 8. adverse events: CADSS-6 rose from 0 to 6, nothing else
    assert data.sedation.value is False
    assert data.dissociation.value is True
    assert "CADSS-6 up to 6" in data.dissociation.detail
    assert data.respiratory_depression.value is False
    assert data.vital_sign_changes.value is False
    assert data.serious_adverse_event.value is False
    # nothing missing, nothing to warn about
    assert data.missing == ()
    assert data.complete
    assert data.warnings == ()


def test_the_sections_show_values_in_the_clinic_time_zone(
    members: dict[str, Membership], patient: Patient
) -> None:
    data = monitoring_form_for(full_world(members, patient).session)
    rows = _rows(data)
    assert [s.title for s in data.sections] == [
        "Patient",
        "Concomitant medication at the time of treatment",
        "Healthcare provider who monitored the patient",
        "Healthcare setting",
        "Treatment session",
        "Vital signs",
        "Blood pressure",
        "Adverse events in this session",
    ]
    assert rows["Treatment session: First device given at"][0] == "2026-03-10 10:00"  # EDT
    assert rows["Treatment session: Monitoring ended (discharge) at"][0] == "2026-03-10 12:05"
    assert rows["Treatment session: Total monitoring time"][0] == "125 min"
    assert rows["Treatment session: Could have left after"][0] == "75 min"
    assert rows["Treatment session: Dose given"][0] == "56 mg"
    assert rows["Blood pressure: Before administration"] == (
        "128/82 mmHg",
        False,
        "at 09:50 (−10 min from the first device); the planned check: Vital signs, before the dose",
    )
    assert rows["Blood pressure: About 40 minutes after the dose"][2].startswith("at 10:40 (+40")
    assert rows["Patient: Middle initial"] == ("—", False, "")
    assert rows["Concomitant medication at the time of treatment: Benzodiazepines"][0] == "Yes"


def test_a_treatment_after_an_earlier_discharged_session_is_not_the_first(
    members: dict[str, Membership], patient: Patient
) -> None:
    world = full_world(members, patient)
    later = esketamine_session(members, patient, world.course, FIRST_DEVICE + dt.timedelta(days=3))
    assert monitoring_form_for(later.session).first_treatment.value is False
    assert (
        "1 earlier esketamine session" in monitoring_form_for(later.session).first_treatment.detail
    )
    # the earlier session stays the first treatment
    assert monitoring_form_for(world.session).first_treatment.value is True


def test_an_earlier_session_that_was_not_discharged_does_not_count(
    members: dict[str, Membership], patient: Patient
) -> None:
    world = full_world(members, patient)
    TreatmentSession.objects.filter(pk=world.session.pk).update(status="cancelled")
    later = esketamine_session(members, patient, world.course, FIRST_DEVICE + dt.timedelta(days=3))
    assert monitoring_form_for(later.session).first_treatment.value is True


def test_missing_chart_data_is_listed_and_never_answered(
    members: dict[str, Membership], patient: Patient
) -> None:
    # uncertified clinic, no enrollment, no intake, no vitals/scales, no lot, not discharged
    course = esketamine_course(members, patient)
    world = esketamine_session(
        members, patient, course, lot="", charted=False, discharged=False, signed=False
    )
    data = monitoring_form_for(world.session)
    assert set(data.missing) == {
        "Patient: Enrollment date",
        "Concomitant medication at the time of treatment: Benzodiazepines",
        "Concomitant medication at the time of treatment: Non-benzodiazepine sedative hypnotics",
        "Concomitant medication at the time of treatment: Psychostimulants",
        "Concomitant medication at the time of treatment: MAO inhibitors",
        "Concomitant medication at the time of treatment: Opioids",
        "Healthcare provider who monitored the patient: Name",
        "Healthcare provider who monitored the patient: Telephone",
        "Healthcare provider who monitored the patient: Email",
        "Healthcare setting: Address",
        "Healthcare setting: REMS certification number",
        "Treatment session: Lot number(s)",
        "Treatment session: Monitoring ended (discharge) at",
        "Treatment session: Total monitoring time",
        "Treatment session: Could have left after",
        "Vital signs: Acceptable before administration?",
        "Vital signs: Acceptable before the end of monitoring?",
        "Blood pressure: Before administration",
        "Blood pressure: About 40 minutes after the dose",
        "Blood pressure: Before the end of monitoring",
        "Adverse events in this session: Sedation?",
        "Adverse events in this session: Dissociation?",
        "Adverse events in this session: Respiratory depression?",
        "Adverse events in this session: Changes in vital signs?",
    }
    assert not data.complete
    rows = _rows(data)
    assert rows["Blood pressure: Before administration"][:2] == (NOT_RECORDED, True)
    assert rows["Adverse events in this session: Sedation?"][0] == NOT_RECORDED
    assert data.enrolled.value is False  # a fact from the records, with a warning
    assert "No REMS enrollment is on record for this patient." in data.warnings
    assert any("not signed off" in w for w in data.warnings)
    # what the chart does hold is still filled in
    assert data.dose_choice == "56 mg"
    assert data.first_device_at == FIRST_DEVICE


def test_a_device_without_a_lot_number_makes_the_lot_field_missing(
    members: dict[str, Membership], patient: Patient
) -> None:
    world = full_world(members, patient)
    last = AdministrationEvent.objects.filter(session=world.session).order_by("at").last()
    assert last is not None
    AdministrationEvent.objects.filter(pk=last.pk).update(lot_number="")
    data = monitoring_form_for(world.session)
    assert data.missing == ("Treatment session: Lot number(s)",)
    assert data.devices_without_lot == 1


def test_blood_pressure_falls_back_to_the_nearest_reading_in_time(
    members: dict[str, Membership], patient: Patient
) -> None:
    world = full_world(members, patient)
    world.session.vitals.all().delete()
    nurse = members[Role.NURSE].user
    vitals(world.session, nurse, FIRST_DEVICE - 20 * MIN, (124, 80))
    vitals(world.session, nurse, FIRST_DEVICE - 5 * MIN, (126, 81))
    vitals(world.session, nurse, FIRST_DEVICE + 30 * MIN, (150, 92))
    vitals(world.session, nurse, FIRST_DEVICE + 44 * MIN, (148, 90))
    vitals(world.session, nurse, FIRST_DEVICE + 115 * MIN, (132, 84))
    data = monitoring_form_for(world.session)
    assert data.bp_before is not None and data.bp_before.systolic_mmhg == 126
    assert data.bp_at_40_min is not None and data.bp_at_40_min.systolic_mmhg == 148
    assert data.bp_at_40_min.matched_by == "nearest time"
    assert data.bp_before_end is not None and data.bp_before_end.systolic_mmhg == 132


def test_a_reading_far_from_40_minutes_does_not_count_as_the_40_minute_bp(
    members: dict[str, Membership], patient: Patient
) -> None:
    world = full_world(members, patient)
    world.session.vitals.filter(check_id="vitals@+40").delete()
    vitals(world.session, members[Role.NURSE].user, FIRST_DEVICE + 70 * MIN, (140, 88))
    data = monitoring_form_for(world.session)
    assert data.bp_at_40_min is None
    assert "Blood pressure: About 40 minutes after the dose" in data.missing


def test_adverse_events_alerts_and_scores_answer_the_safety_questions(
    members: dict[str, Membership], patient: Patient
) -> None:
    world = full_world(members, patient)
    nurse = members[Role.NURSE].user
    scale(world.session, "moaas", 3, FIRST_DEVICE + 50 * MIN)
    alert(world.session, "SPO2_LOW", "SpO2 89 % is below 92 %")
    alert(world.session, "BP_SYSTOLIC_RISE", "Systolic BP rose 42 mmHg from baseline 128")
    adverse_event(world.session, nurse, "vomiting", serious=True)
    data = monitoring_form_for(world.session)
    assert data.sedation.value is True
    assert "lowest MOAA/S 3" in data.sedation.detail
    assert data.respiratory_depression.value is True
    assert "SpO2 89" in data.respiratory_depression.detail
    assert data.vital_sign_changes.value is True
    assert "rose 42 mmHg" in data.vital_sign_changes.detail
    assert data.serious_adverse_event.value is True
    assert "Vomiting grade 3" in data.serious_adverse_event.detail


def test_an_unacceptable_discharge_vitals_criterion_answers_no(
    members: dict[str, Membership], patient: Patient
) -> None:
    world = full_world(members, patient)
    world.session.discharge_summary = discharge_summary(ready_min=None, vitals_met=False)
    world.session.save()
    data = monitoring_form_for(world.session)
    assert data.vitals_acceptable_at_end.value is False
    assert "168/102" in data.vitals_acceptable_at_end.detail
    assert data.ready_to_leave_min is None
    assert data.missing == ("Treatment session: Could have left after",)


def test_an_elevated_predose_bp_is_not_acceptable(
    members: dict[str, Membership], patient: Patient
) -> None:
    world = full_world(members, patient)
    world.session.vitals.filter(check_id="vitals@-10").update(systolic_mmhg=152, diastolic_mmhg=94)
    data = monitoring_form_for(world.session)
    assert data.vitals_acceptable_before.value is False
    assert "152/94" in data.vitals_acceptable_before.detail


def test_a_short_monitoring_time_and_an_off_label_dose_are_warned(
    members: dict[str, Membership], patient: Patient
) -> None:
    world = full_world(members, patient)
    AdministrationEvent.objects.create(
        session=world.session,
        recorded_by=members[Role.NURSE].user,
        order=world.order,
        action="device",
        at=FIRST_DEVICE + 10 * MIN,
        dose_mg=Decimal(28),
        lot_number="LOT-B2",
    )
    world.session.discharged_at = FIRST_DEVICE + 100 * MIN
    world.session.save()
    data = monitoring_form_for(world.session)
    assert data.dose_given_mg == Decimal(84)
    assert data.dose_choice == "84 mg"
    assert data.lot_numbers == (LOT, "LOT-B2")
    assert data.total_monitoring_min == 100
    assert any("less than the required 120 min" in w for w in data.warnings)
    assert any("84 mg was given but 56 mg was ordered" in w for w in data.warnings)


def test_an_enrollment_dated_after_the_treatment_does_not_count(
    members: dict[str, Membership], patient: Patient
) -> None:
    world = full_world(members, patient)
    patient.rems_enrollments.all().delete()
    enroll(members, patient, FIRST_DEVICE.date() + dt.timedelta(days=1))
    data = monitoring_form_for(world.session)
    assert data.enrolled.value is False
    assert "Patient: Enrollment date" in data.missing
    assert any("after the treatment" in w for w in data.warnings)


def test_a_chosen_staff_member_replaces_the_charting_nurse_as_monitoring_hcp(
    members: dict[str, Membership], patient: Patient
) -> None:
    world = full_world(members, patient)
    data = monitoring_form_for(world.session, hcp=members[Role.MEDICAL_DIRECTOR].user)
    assert data.hcp is not None
    assert data.hcp.name == "Medical_Director Alpha"
    assert data.hcp.source == "chosen when the form was generated"


def test_with_no_vital_signs_charted_the_signer_is_the_monitoring_hcp(
    members: dict[str, Membership], patient: Patient
) -> None:
    world = full_world(members, patient)
    VitalSignEntry.objects.filter(session=world.session).delete()
    data = monitoring_form_for(world.session)
    assert data.hcp is not None
    assert data.hcp.name == "Prescriber Alpha"
    assert data.hcp.source == "signed the session off"


def test_the_treatment_date_is_the_clinic_day_not_the_utc_day(
    members: dict[str, Membership], patient: Patient
) -> None:
    course = esketamine_course(members, patient)
    late_evening = dt.datetime(2026, 3, 11, 1, 30, tzinfo=dt.UTC)  # 21:30 on the 10th in NY
    world = esketamine_session(members, patient, course, late_evening)
    assert monitoring_form_for(world.session).treatment_date == dt.date(2026, 3, 10)
