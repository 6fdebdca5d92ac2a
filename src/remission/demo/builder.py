"""Build the demo clinics. Patient data is deterministic for a seed; passwords are random
and returned once to be printed (they are never stored in clear or committed)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from remission.accounts.models import Membership, User
from remission.accounts.roles import Role
from remission.audit.services import audited_save
from remission.clinical import diagnoses, units
from remission.clinical.synthetic.patients import SyntheticPatient, generate_patients
from remission.clinics.models import Clinic
from remission.demo.treatment import build_treatment
from remission.patients.models import (
    Allergy,
    AntidepressantTrial,
    BodyMeasurement,
    Consent,
    ConsentType,
    Diagnosis,
    Patient,
)

DEMO_STAFF: tuple[tuple[str, str, str, Role], ...] = (
    ("director", "Morgan", "Hale", Role.MEDICAL_DIRECTOR),
    ("prescriber", "Sam", "Okoye", Role.PRESCRIBER),
    ("nurse", "Jordan", "Reyes", Role.NURSE),
    ("therapist", "Avery", "Lindgren", Role.THERAPIST),
    ("frontdesk", "Casey", "Nguyen", Role.FRONT_DESK),
    ("admin", "Robin", "Adeyemi", Role.CLINIC_ADMIN),
)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    clinics: str


def database_is_empty() -> bool:
    return not Clinic.objects.exists() and not User.objects.exists()


def _user(username: str, first: str, last: str, domain: str) -> tuple[User, str]:
    password = secrets.token_urlsafe(9)
    user = User(username=username, email=f"{username}@{domain}", first_name=first, last_name=last)
    user.set_password(password)
    user.save()
    return user, password


@transaction.atomic
def build_demo(
    *,
    patients: int,
    seed: int,
    progress: Callable[[int], None] | None = None,
    now: dt.datetime | None = None,
) -> list[DemoLogin]:
    """The demo clinics as of ``now`` (default: the current minute)."""
    if Clinic.objects.filter(slug="demo").exists():
        raise ValueError("the demo clinic already exists; use a fresh database")
    now = (now or timezone.now()).replace(second=0, microsecond=0)
    today = timezone.localdate(now)
    main = Clinic.objects.create(
        slug="demo",
        name="Remission Demo Clinic",
        address_line1="100 Harbor Street",
        city="Portland",
        region="ME",
        postal_code="04101",
        phone="(207) 555-0100",
        time_zone="America/New_York",
        rems_certification_number="DEMO-REMS-0001",
        require_two_factor=False,
    )
    north = Clinic.objects.create(
        slug="north",
        name="Remission Demo North",
        city="Burlington",
        region="VT",
        time_zone="America/New_York",
        require_two_factor=False,
    )
    logins: list[DemoLogin] = []
    director = None
    for username, first, last, role in DEMO_STAFF:
        user, password = _user(username, first, last, "demo.remission.example")
        Membership.objects.create(user=user, clinic=main, role=role)
        clinics = main.name
        if role == Role.MEDICAL_DIRECTOR:
            Membership.objects.create(user=user, clinic=north, role=role)
            clinics += f", {north.name}"
            director = user
        logins.append(DemoLogin(username, password, Role(role).label, clinics))
    north_nurse, password = _user("northnurse", "Kai", "Bergstrom", "demo.remission.example")
    Membership.objects.create(user=north_nurse, clinic=north, role=Role.NURSE)
    logins.append(DemoLogin("northnurse", password, Role.NURSE.label, north.name))

    for index, synthetic in enumerate(generate_patients(patients, seed=seed, today=today)):
        _persist(synthetic, main, director, today)
        if progress:
            progress(index + 1)
    for synthetic in generate_patients(12, seed=seed + 1, today=today, mrn_prefix="NTH"):
        _persist(synthetic, north, director, today)
    build_treatment(clinic=main, seed=seed, now=now)
    return logins


def _patient_row(s: SyntheticPatient, clinic: Clinic) -> Patient:
    return Patient(
        clinic=clinic,
        mrn=s.mrn,
        legal_first_name=s.legal_first_name,
        legal_last_name=s.legal_last_name,
        preferred_name=s.preferred_name,
        date_of_birth=s.date_of_birth,
        sex_at_birth=s.sex_at_birth,
        gender_identity=s.gender_identity,
        pronouns=s.pronouns,
        phone=s.phone,
        email=s.email,
        address_line1=s.address_line1,
        city=s.city,
        region=s.region,
        postal_code=s.postal_code,
        emergency_contact_name=s.emergency_contact_name,
        emergency_contact_relationship=s.emergency_contact_relationship,
        emergency_contact_phone=s.emergency_contact_phone,
        primary_care_provider=s.primary_care_provider,
        referring_provider=s.referring_provider,
        no_known_allergies=s.no_known_allergies,
    )


def _history_rows(s: SyntheticPatient, common: dict[str, Any]) -> list[models.Model]:
    """Diagnoses (titles from the ICD-10-CM catalogue) and antidepressant trials."""
    records: list[models.Model] = []
    for d in s.diagnoses:
        entry = diagnoses.lookup(d.code)
        assert entry is not None, d.code
        records.append(
            Diagnosis(
                code=entry.code,
                description=entry.title,
                is_primary=d.is_primary,
                treatment_resistant=d.treatment_resistant,
                onset_date=d.onset_date,
                **common,
            )
        )
    for t in s.trials:
        records.append(
            AntidepressantTrial(
                drug=t.drug,
                dose_mg_per_day=t.dose_mg_per_day,
                duration_weeks=t.duration_weeks,
                adherence=t.adherence,
                outcome=t.outcome,
                adequate_trial=t.adequate_trial,
                current_episode=t.current_episode,
                augmentation=t.augmentation,
                start_date=t.start_date,
                **common,
            )
        )
    return records


def patient_records(
    s: SyntheticPatient, clinic: Clinic, actor: User | None, today: dt.date
) -> tuple[Patient, list[models.Model]]:
    """A synthetic patient as unsaved rows: the patient, then every record of the chart."""
    patient = _patient_row(s, clinic)
    common = {"patient": patient, "clinic": clinic, "recorded_by": actor}
    records: list[models.Model] = []
    records += _history_rows(s, common)
    for m in s.measurements:
        si = (
            units.weight_to_kg(m.value, units.WeightUnit(m.unit))
            if m.kind == "weight"
            else units.height_to_cm(m.value, units.LengthUnit(m.unit))
        )
        records.append(
            BodyMeasurement(
                kind=m.kind,
                measured_on=m.measured_on,
                value=m.value,
                unit=m.unit,
                value_si=si,
                **common,
            )
        )
    for substance, reaction in s.allergies:
        records.append(
            Allergy(substance=substance, reaction=reaction, severity="moderate", **common)
        )
    signed = dt.datetime.combine(today - dt.timedelta(days=30), dt.time(10, 0), tzinfo=dt.UTC)
    for consent_type in (ConsentType.PRIVACY_NOTICE, ConsentType.KETAMINE_TREATMENT):
        records.append(
            Consent(
                consent_type=consent_type,
                version="2026.1",
                signed_at=signed,
                signed_by=f"{s.legal_first_name} {s.legal_last_name}",
                **common,
            )
        )
    return patient, records


def _persist(s: SyntheticPatient, clinic: Clinic, actor: User | None, today: dt.date) -> None:
    patient, records = patient_records(s, clinic, actor, today)
    audited_save(patient, actor=actor, summary=f"demo: registered {patient}")
    for record in records:
        audited_save(record, actor=actor)
