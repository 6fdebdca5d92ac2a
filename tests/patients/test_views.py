"""The patient register: creating, validating, searching and recording chart entries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from remission.accounts.models import Membership
from remission.audit.models import AuditAction, AuditEvent
from remission.patients.models import BodyMeasurement, Patient
from tests.world import client_for

pytestmark = pytest.mark.django_db

VALID = {
    "mrn": "A-0100",
    "legal_first_name": "Jamie",
    "legal_last_name": "Doe",
    "date_of_birth": "1985-06-01",
    "sex_at_birth": "male",
    "pronouns": "he/him",
}


def test_registering_a_patient_opens_the_chart(members: dict[str, Membership]) -> None:
    client = client_for(members["front_desk"])
    response = client.post("/c/alpha/patients/new/", VALID)
    patient = Patient.objects.get(mrn="A-0100")
    assert response.status_code == 302
    assert response.url == f"/c/alpha/patients/{patient.pk}/"
    assert patient.clinic.slug == "alpha"
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, patient_id=patient.pk).exists()


@pytest.mark.parametrize(("answer", "stored"), [("", None), ("true", True), ("false", False)])
def test_japanese_ancestry_is_recorded_as_told_or_left_not_asked(
    members: dict[str, Membership], answer: str, stored: bool | None
) -> None:
    client = client_for(members["front_desk"])
    form = client.get("/c/alpha/patients/new/").content.decode()
    assert "starts patients of Japanese ancestry at a lower dose" in form  # why it is asked
    client.post("/c/alpha/patients/new/", {**VALID, "japanese_ancestry": answer})
    assert Patient.objects.get(mrn="A-0100").japanese_ancestry is stored


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "date_of_birth",
            (timezone.localdate() + dt.timedelta(days=1)).isoformat(),
            "cannot be in the future",
        ),
        ("date_of_birth", "1890-01-01", "more than 120 years ago"),
        ("date_of_birth", "not a date", "Enter a valid date"),
        ("legal_last_name", "", "This field is required"),
        ("email", "nope", "Enter a valid email address"),
    ],
)
def test_bad_demographics_show_inline_errors_and_keep_the_input(
    members: dict[str, Membership], field: str, value: str, message: str
) -> None:
    client = client_for(members["front_desk"])
    response = client.post("/c/alpha/patients/new/", {**VALID, field: value})
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert 'value="Jamie"' in content  # what the user typed is kept
    assert not Patient.objects.filter(mrn="A-0100").exists()


def test_a_duplicate_mrn_in_the_clinic_is_refused(
    members: dict[str, Membership], patient: Patient
) -> None:
    client = client_for(members["front_desk"])
    response = client.post("/c/alpha/patients/new/", {**VALID, "mrn": patient.mrn.lower()})
    assert response.status_code == 200
    assert f"MRN {patient.mrn.lower()} is already used" in response.content.decode()


def test_the_same_mrn_may_exist_in_another_clinic(
    members: dict[str, Membership], outsider: Membership, patient: Patient
) -> None:
    response = client_for(outsider).post("/c/beta/patients/new/", {**VALID, "mrn": patient.mrn})
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("value", "unit", "accepted"),
    [
        ("0", "kg", False),
        ("1000", "kg", False),
        ("82.4", "kg", True),
        ("181.7", "lb", True),
        ("2000", "lb", False),
    ],
)
def test_implausible_weights_are_refused(
    members: dict[str, Membership], patient: Patient, value: str, unit: str, accepted: bool
) -> None:
    client = client_for(members["nurse"])
    response = client.post(
        f"/c/alpha/patients/{patient.pk}/measurements/new/",
        {"kind": "weight", "measured_on": "2026-02-01", "value": value, "unit": unit},
    )
    assert (response.status_code == 302) is accepted
    if not accepted:
        assert "outside the plausible range" in response.content.decode()


def test_a_weight_in_pounds_is_stored_exactly_in_kilograms(
    members: dict[str, Membership], patient: Patient
) -> None:
    client_for(members["nurse"]).post(
        f"/c/alpha/patients/{patient.pk}/measurements/new/",
        {"kind": "weight", "measured_on": "2026-02-01", "value": "200", "unit": "lb"},
    )
    measurement = BodyMeasurement.objects.get(patient=patient, unit="lb")
    assert measurement.value_si == Decimal("90.7185")  # 200 × 0.45359237 at 4 places


def test_a_height_unit_for_a_weight_is_refused(
    members: dict[str, Membership], patient: Patient
) -> None:
    response = client_for(members["nurse"]).post(
        f"/c/alpha/patients/{patient.pk}/measurements/new/",
        {"kind": "weight", "measured_on": "2026-02-01", "value": "80", "unit": "cm"},
    )
    assert "cm is not a unit of weight" in response.content.decode()


def test_an_unknown_icd10_code_is_refused(members: dict[str, Membership], patient: Patient) -> None:
    response = client_for(members["prescriber"]).post(
        f"/c/alpha/patients/{patient.pk}/diagnoses/new/", {"code": "F99.99", "status": "active"}
    )
    assert response.status_code == 200
    assert "not an ICD-10-CM code" in response.content.decode()


def test_a_diagnosis_takes_its_title_from_the_catalogue(
    members: dict[str, Membership], patient: Patient
) -> None:
    client_for(members["prescriber"]).post(
        f"/c/alpha/patients/{patient.pk}/diagnoses/new/",
        {"code": "f43.10", "status": "active", "is_primary": "on"},
    )
    diagnosis = patient.diagnoses.get(code="F43.10")
    assert diagnosis.description == "Post-traumatic stress disorder, unspecified"
    assert list(patient.diagnoses.filter(is_primary=True)) == [diagnosis]  # one primary


def test_treatment_resistance_only_marks_a_depressive_diagnosis(
    members: dict[str, Membership], patient: Patient
) -> None:
    response = client_for(members["prescriber"]).post(
        f"/c/alpha/patients/{patient.pk}/diagnoses/new/",
        {"code": "F41.1", "status": "active", "treatment_resistant": "on"},
    )
    assert "applies to a major depressive disorder" in response.content.decode()


def test_an_antidepressant_trial_is_recorded(
    members: dict[str, Membership], patient: Patient
) -> None:
    response = client_for(members["nurse"]).post(
        f"/c/alpha/patients/{patient.pk}/trials/new/",
        {
            "drug": "Venlafaxine XR",
            "dose_mg_per_day": "225",
            "duration_weeks": "10",
            "adherence": "good",
            "outcome": "no_response",
            "adequate_trial": "on",
            "current_episode": "on",
        },
    )
    assert response.status_code == 302
    trial = patient.antidepressant_trials.get(drug="Venlafaxine XR")
    assert trial.adequate_trial and trial.duration_weeks == 10


def test_deleting_an_entry_keeps_its_last_version(
    members: dict[str, Membership], patient: Patient
) -> None:
    allergy = patient.allergies.get()
    response = client_for(members["nurse"]).post(
        f"/c/alpha/patients/{patient.pk}/allergies/{allergy.pk}/delete/"
    )
    assert response.status_code == 302
    assert not patient.allergies.exists()
    event = AuditEvent.objects.get(action=AuditAction.DELETE, object_id=str(allergy.pk))
    assert event.previous is not None and event.previous["substance"] == "Penicillin"


def test_an_entry_of_another_patient_is_not_reachable(
    members: dict[str, Membership], patient: Patient, clinic_a: Any
) -> None:
    other = Patient.objects.create(
        clinic=clinic_a,
        mrn="A-0002",
        legal_first_name="X",
        legal_last_name="Y",
        date_of_birth=dt.date(1990, 1, 1),
        sex_at_birth="male",
    )
    allergy = patient.allergies.get()
    response = client_for(members["nurse"]).get(
        f"/c/alpha/patients/{other.pk}/allergies/{allergy.pk}/edit/"
    )
    assert response.status_code == 404


class TestSearch:
    @pytest.fixture
    def many(self, clinic_a: Any, patient: Patient) -> None:
        for i in range(30):
            Patient.objects.create(
                clinic=clinic_a,
                mrn=f"S-{i:03d}",
                legal_first_name=f"First{i}",
                legal_last_name="Searchable",
                date_of_birth=dt.date(1970, 1, 1) + dt.timedelta(days=i),
                sex_at_birth="female",
            )

    def test_search_by_name_mrn_and_date_of_birth(
        self, members: dict[str, Membership], many: None
    ) -> None:
        client = client_for(members["therapist"])
        assert "A-0001" in client.get("/c/alpha/patients/?q=robin example").content.decode()
        by_mrn = client.get("/c/alpha/patients/?q=S-007").content.decode()
        assert "First7" in by_mrn and "First8" not in by_mrn
        by_dob = client.get("/c/alpha/patients/?q=1970-01-03").content.decode()
        assert "First2" in by_dob and "First3" not in by_dob
        assert "No patient matches" in client.get("/c/alpha/patients/?q=zzz").content.decode()

    def test_a_page_of_25_is_one_list_event_naming_the_25_shown(
        self, members: dict[str, Membership], many: None
    ) -> None:
        client = client_for(members["therapist"])
        before = AuditEvent.objects.count()
        page1 = client.get("/c/alpha/patients/?q=Searchable").content.decode()
        assert "30 patients · page 1 of 2" in page1
        assert AuditEvent.objects.count() - before == 1
        listed = AuditEvent.objects.latest("id")
        assert listed.action == AuditAction.SEARCH and listed.patient_id is None
        shown = list(listed.named_patients.values_list("names_only", flat=True))
        assert shown == [True] * 25
        page2 = client.get("/c/alpha/patients/?q=Searchable&page=2").content.decode()
        assert "page 2 of 2" in page2

    def test_htmx_search_returns_only_the_results(
        self, members: dict[str, Membership], many: None
    ) -> None:
        response = client_for(members["therapist"]).get(
            "/c/alpha/patients/?q=First1", HTTP_HX_REQUEST="true"
        )
        content = response.content.decode()
        assert "<table" in content and "<html" not in content


def test_export_lists_every_patient_and_audits_each(
    members: dict[str, Membership], patient: Patient
) -> None:
    response = client_for(members["prescriber"]).get("/c/alpha/patients/export.csv")
    body = b"".join(
        response.streaming_content if response.streaming else [response.content]
    ).decode()
    assert "A-0001" in body and "F33.2" in body
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, patient_id=patient.pk).exists()


def test_the_chart_shows_who_accessed_it(members: dict[str, Membership], patient: Patient) -> None:
    client_for(members["therapist"]).get(f"/c/alpha/patients/{patient.pk}/")
    chart = (
        client_for(members["prescriber"]).get(f"/c/alpha/patients/{patient.pk}/").content.decode()
    )
    assert "Access log" in chart
    assert "Therapist Alpha (therapist-alpha)" in chart


def test_front_desk_never_sees_clinical_sections(
    members: dict[str, Membership], patient: Patient
) -> None:
    chart = (
        client_for(members["front_desk"]).get(f"/c/alpha/patients/{patient.pk}/").content.decode()
    )
    assert "Consents" in chart
    for hidden in ("F33.2", "Sertraline", "Penicillin", "Access log"):
        assert hidden not in chart


def test_times_are_shown_in_the_clinic_time_zone(
    members: dict[str, Membership], patient: Patient, clinic_a: Any
) -> None:
    clinic_a.time_zone = "Asia/Tokyo"
    clinic_a.save()
    consent = patient.consents.get()  # signed 2026-01-05 00:00 UTC = 09:00 in Tokyo
    chart = (
        client_for(members["prescriber"]).get(f"/c/alpha/patients/{patient.pk}/").content.decode()
    )
    assert consent.signed_at.hour == 0
    assert "2026-01-05 09:00" in chart


def test_a_diagnosis_is_found_by_its_name_and_the_form_offers_the_catalogue(
    members: dict[str, Membership], patient: Patient
) -> None:
    client = client_for(members["prescriber"])
    page = client.get(f"/c/alpha/patients/{patient.pk}/diagnoses/new/").content.decode()
    assert 'list="id_code_catalogue"' in page
    assert '<option value="I10">I10 Essential (primary) hypertension</option>' in page
    client.post(
        f"/c/alpha/patients/{patient.pk}/diagnoses/new/",
        {"code": "obstructive sleep apnoea", "status": "active"},
    )
    assert patient.diagnoses.get(code="G47.33").description.startswith("Obstructive sleep apnea")


def test_a_name_matching_several_diagnoses_lists_them_and_keeps_what_was_typed(
    members: dict[str, Membership], patient: Patient
) -> None:
    response = client_for(members["prescriber"]).post(
        f"/c/alpha/patients/{patient.pk}/diagnoses/new/",
        {"code": "diabetes", "status": "active", "note": "on metformin"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "matches several diagnoses" in page
    assert "E10.9 Type 1 diabetes" in page and "E11.9 Type 2 diabetes" in page
    assert 'value="diabetes"' in page and "on metformin" in page
    assert not patient.diagnoses.filter(code__startswith="E1").exists()


def test_a_common_comorbidity_code_is_accepted(
    members: dict[str, Membership], patient: Patient
) -> None:
    client_for(members["prescriber"]).post(
        f"/c/alpha/patients/{patient.pk}/diagnoses/new/", {"code": "i10", "status": "active"}
    )
    assert patient.diagnoses.get(code="I10").description == "Essential (primary) hypertension"


def test_the_patient_form_marks_required_fields_and_asks_for_an_iso_date(
    members: dict[str, Membership],
) -> None:
    form = client_for(members["front_desk"]).get("/c/alpha/patients/new/").content.decode()
    assert "Fields marked" in form and form.count("Fields marked") == 1
    mrn_label = form.split('for="id_mrn"', 1)[1].split("</label>", 1)[0]
    assert 'class="required"' in mrn_label
    assert 'name="mrn"' in form and "required" in form.split('name="mrn"', 1)[1].split(">", 1)[0]
    middle = form.split('for="id_legal_middle_name"', 1)[1].split("</label>", 1)[0]
    assert "required" not in middle  # optional: no mark
    dob = form.split('name="date_of_birth"', 1)[1].split(">", 1)[0]
    assert 'type="text"' in form.split('name="date_of_birth"', 1)[0].rsplit("<input", 1)[1]
    assert 'placeholder="YYYY-MM-DD"' in dob and 'inputmode="numeric"' in dob


def test_a_us_style_date_is_refused_inline_not_guessed(members: dict[str, Membership]) -> None:
    """03/04/1985 is 4 March or 3 April depending on the reader: only ISO parses."""
    client = client_for(members["front_desk"])
    response = client.post("/c/alpha/patients/new/", {**VALID, "date_of_birth": "03/04/1985"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Enter a valid date" in content and 'value="03/04/1985"' in content
    assert not Patient.objects.filter(mrn="A-0100").exists()
