"""Synthetic patients of a ketamine clinic: demographics, diagnoses, treatment histories.

Proportions are plausible for an outpatient TRD clinic, not estimates: baseline severity and
failed-trial counts follow the TRD working definition (≥ 2 adequate failed trials)
[src: clinical.md §4]; comorbid PTSD, GAD and chronic pain reflect the clinic population the
brief describes [? convention for demo data].
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

FIRST_NAMES_F = (
    "Ava",
    "Maya",
    "Sofia",
    "Grace",
    "Nora",
    "Lena",
    "Iris",
    "Clara",
    "Ruth",
    "Elena",
    "Hana",
    "Priya",
    "Amara",
    "Zoe",
    "Leah",
    "Mira",
    "June",
    "Tessa",
    "Alma",
    "Rosa",
    "Naomi",
    "Wren",
)
# The name some patients go by: a common short form of their first name (names without one
# keep the legal name).
PREFERRED_NAMES = {
    "Sofia": "Sofi",
    "Elena": "Ellie",
    "Amara": "Mara",
    "Tessa": "Tess",
    "Naomi": "Nomi",
    "Priya": "Pri",
    "Samuel": "Sam",
    "Mateo": "Teo",
    "Elias": "Eli",
    "Tobias": "Toby",
    "Victor": "Vic",
    "Marcus": "Marc",
    "Dmitri": "Dima",
    "Reuben": "Ben",
    "Theo": "Teddy",
    "Jonah": "Jo",
}

FIRST_NAMES_M = (
    "Liam",
    "Noah",
    "Elias",
    "Owen",
    "Samuel",
    "Mateo",
    "Arjun",
    "Caleb",
    "Jonah",
    "Felix",
    "Hugo",
    "Omar",
    "Theo",
    "Isaac",
    "Marcus",
    "Dmitri",
    "Kenji",
    "Tobias",
    "Victor",
    "Reuben",
)
LAST_NAMES = (
    "Alvarez",
    "Brennan",
    "Castillo",
    "Dalton",
    "Eriksen",
    "Fairchild",
    "Gallagher",
    "Haddad",
    "Ibarra",
    "Jansen",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Petrov",
    "Quintero",
    "Rasmussen",
    "Sorensen",
    "Thornton",
    "Underwood",
    "Varga",
    "Whitfield",
    "Xu",
    "Yilmaz",
    "Zamora",
    "Abernathy",
    "Bishop",
    "Cordova",
    "Delacroix",
    "Ellison",
    "Fontaine",
)
STREETS = ("Maple Ave", "Harbor St", "Elm Ct", "Ridge Rd", "Linden Way", "Cedar Ln", "Mill St")
CITIES = (("Portland", "ME", "041"), ("Burlington", "VT", "054"), ("Concord", "NH", "033"))

# (drug, typical adequate dose mg/day)
ANTIDEPRESSANTS = (
    ("Sertraline", 150),
    ("Escitalopram", 20),
    ("Fluoxetine", 40),
    ("Citalopram", 40),
    ("Paroxetine", 40),
    ("Venlafaxine XR", 225),
    ("Duloxetine", 60),
    ("Desvenlafaxine", 100),
    ("Bupropion XL", 300),
    ("Mirtazapine", 45),
    ("Vortioxetine", 20),
    ("Nortriptyline", 100),
)
AUGMENTERS = (("Aripiprazole", 5), ("Lithium carbonate", 900), ("Quetiapine XR", 150))
ALLERGENS = (
    ("Penicillin", "Rash"),
    ("Sulfonamides", "Hives"),
    ("Latex", "Contact dermatitis"),
    ("Codeine", "Nausea"),
    ("Shellfish", "Swelling"),
)


@dataclass(frozen=True)
class SyntheticTrial:
    drug: str
    dose_mg_per_day: Decimal
    duration_weeks: int
    adherence: str
    outcome: str
    adequate_trial: bool
    current_episode: bool
    augmentation: bool
    start_date: dt.date


@dataclass(frozen=True)
class SyntheticMeasurement:
    kind: str
    measured_on: dt.date
    value: Decimal
    unit: str


@dataclass(frozen=True)
class SyntheticDiagnosis:
    code: str
    is_primary: bool
    treatment_resistant: bool
    onset_date: dt.date | None


@dataclass
class SyntheticPatient:
    mrn: str
    legal_first_name: str
    legal_last_name: str
    preferred_name: str
    date_of_birth: dt.date
    sex_at_birth: str
    gender_identity: str
    pronouns: str
    phone: str
    email: str
    address_line1: str
    city: str
    region: str
    postal_code: str
    emergency_contact_name: str
    emergency_contact_relationship: str
    emergency_contact_phone: str
    primary_care_provider: str
    referring_provider: str
    no_known_allergies: bool
    diagnoses: list[SyntheticDiagnosis] = field(default_factory=list)
    trials: list[SyntheticTrial] = field(default_factory=list)
    measurements: list[SyntheticMeasurement] = field(default_factory=list)
    allergies: list[tuple[str, str]] = field(default_factory=list)


def _phone(rng: random.Random) -> str:
    # 555-01xx numbers are reserved for fiction in the North American numbering plan.
    return f"(207) 555-01{rng.randint(0, 99):02d}"


def generate_patients(
    count: int, *, seed: int, today: dt.date, mrn_prefix: str = "MRN"
) -> list[SyntheticPatient]:
    rng = random.Random(seed)
    return [_patient(rng, index, today, mrn_prefix) for index in range(1, count + 1)]


def _patient(rng: random.Random, index: int, today: dt.date, mrn_prefix: str) -> SyntheticPatient:
    female = rng.random() < 0.6
    first = rng.choice(FIRST_NAMES_F if female else FIRST_NAMES_M)
    last = rng.choice(LAST_NAMES)
    age = rng.randint(19, 74)
    born = today - dt.timedelta(days=age * 365 + rng.randint(0, 364))
    sex = "female" if female else "male"
    nonbinary = rng.random() < 0.04
    city, region, zip_prefix = rng.choice(CITIES)
    patient = SyntheticPatient(
        mrn=f"{mrn_prefix}-{index:05d}",
        legal_first_name=first,
        legal_last_name=last,
        preferred_name=PREFERRED_NAMES.get(first, "") if rng.random() < 0.2 else "",
        date_of_birth=born,
        sex_at_birth=sex,
        gender_identity="Non-binary" if nonbinary else ("Woman" if female else "Man"),
        pronouns="they/them" if nonbinary else ("she/her" if female else "he/him"),
        phone=_phone(rng),
        email=f"{first.lower()}.{last.lower()}{index}@example.org",
        address_line1=f"{rng.randint(10, 980)} {rng.choice(STREETS)}",
        city=city,
        region=region,
        postal_code=f"{zip_prefix}{rng.randint(10, 99)}",
        emergency_contact_name=f"{rng.choice(FIRST_NAMES_F + FIRST_NAMES_M)} {last}",
        emergency_contact_relationship=rng.choice(
            ("Spouse", "Parent", "Sibling", "Partner", "Friend")
        ),
        emergency_contact_phone=_phone(rng),
        primary_care_provider=f"Dr. {rng.choice(LAST_NAMES)}",
        referring_provider=f"Dr. {rng.choice(LAST_NAMES)}, psychiatry",
        no_known_allergies=False,
    )
    _add_diagnoses(rng, patient, today)
    _add_trials(rng, patient, today)
    _add_measurements(rng, patient, today, female)
    if rng.random() < 0.2:
        patient.allergies.append(rng.choice(ALLERGENS))
    else:
        patient.no_known_allergies = True
    return patient


def _add_diagnoses(rng: random.Random, patient: SyntheticPatient, today: dt.date) -> None:
    onset = today - dt.timedelta(days=rng.randint(200, 4000))
    roll = rng.random()
    if roll < 0.08:
        primary = rng.choice(("F31.31", "F31.32", "F31.4"))
        resistant = False
    elif roll < 0.25:
        primary = rng.choice(("F32.1", "F32.2"))
        resistant = rng.random() < 0.7
    else:
        primary = rng.choice(("F33.1", "F33.2", "F33.2", "F33.9"))
        resistant = rng.random() < 0.8
    patient.diagnoses.append(SyntheticDiagnosis(primary, True, resistant, onset))
    for code, rate in (("F43.10", 0.25), ("F41.1", 0.35), ("G89.29", 0.12), ("F10.21", 0.06)):
        if rng.random() < rate:
            patient.diagnoses.append(SyntheticDiagnosis(code, False, False, None))


def _add_trials(rng: random.Random, patient: SyntheticPatient, today: dt.date) -> None:
    count = rng.choice((1, 2, 2, 3, 3, 3, 4, 4, 5, 6))
    drugs = rng.sample(ANTIDEPRESSANTS, k=min(count, len(ANTIDEPRESSANTS)))
    start = today - dt.timedelta(days=rng.randint(400, 3000))
    for drug, dose in drugs:
        weeks = rng.choice((3, 4, 6, 8, 8, 10, 12, 16, 26))
        adequate_dose = rng.random() < 0.8
        adherence = rng.choices(("good", "partial", "poor"), weights=(70, 22, 8))[0]
        outcome = rng.choices(
            ("no_response", "partial_response", "intolerance", "response"), weights=(55, 28, 12, 5)
        )[0]
        patient.trials.append(
            SyntheticTrial(
                drug=drug,
                dose_mg_per_day=Decimal(dose if adequate_dose else dose // 2),
                duration_weeks=weeks,
                adherence=adherence,
                outcome=outcome,
                adequate_trial=adequate_dose and weeks >= 6 and adherence != "poor",
                current_episode=rng.random() < 0.75,
                augmentation=False,
                start_date=start,
            )
        )
        start += dt.timedelta(weeks=weeks + rng.randint(2, 20))
    if rng.random() < 0.3:
        drug, dose = rng.choice(AUGMENTERS)
        patient.trials.append(
            SyntheticTrial(
                drug,
                Decimal(dose),
                8,
                "good",
                "partial_response",
                True,
                True,
                True,
                min(start, today - dt.timedelta(days=60)),
            )
        )


def _add_measurements(
    rng: random.Random, patient: SyntheticPatient, today: dt.date, female: bool
) -> None:
    height_cm = Decimal(str(round(rng.gauss(163 if female else 177, 7), 1)))
    weight_kg = rng.gauss(74 if female else 88, 15)
    weight_kg = min(max(weight_kg, 45.0), 160.0)
    patient.measurements.append(
        SyntheticMeasurement(
            "height", today - dt.timedelta(days=rng.randint(30, 120)), height_cm, "cm"
        )
    )
    for months_ago in (6, 3, 0):
        day = today - dt.timedelta(days=months_ago * 30 + rng.randint(0, 10))
        drift = rng.gauss(0, 1.2)
        if rng.random() < 0.25:  # some clinics weigh in pounds
            pounds = Decimal(str(round((weight_kg + drift) / 0.45359237, 1)))
            patient.measurements.append(SyntheticMeasurement("weight", day, pounds, "lb"))
        else:
            kilos = Decimal(str(round(weight_kg + drift, 1)))
            patient.measurements.append(SyntheticMeasurement("weight", day, kilos, "kg"))
