"""A small world for the app tests: two clinics, one member per role in clinic A, a member of
clinic B, and a patient of clinic A with one entry of every chart kind.

Every test but the browser's runs on a pinned clock, so no result depends on the day the suite
runs. ``REMISSION_TEST_CLOCK`` (an ISO instant) moves the pin; ``scripts/check.sh`` runs the
scheduling tests once for each day of a week and across a daylight-saving change."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.audit.services import audited_save
from remission.clinics.models import Clinic
from remission.patients.models import (
    Allergy,
    AntidepressantTrial,
    BodyMeasurement,
    Consent,
    Diagnosis,
    Patient,
)
from tests.world import make_member

# A Wednesday afternoon, after every fixed date the tests chart.
DEFAULT_TEST_CLOCK = "2026-12-02T14:30:00+00:00"


def pinned_instant() -> dt.datetime:
    return dt.datetime.fromisoformat(os.environ.get("REMISSION_TEST_CLOCK", DEFAULT_TEST_CLOCK))


@pytest.fixture(autouse=True)
def pinned_clock(request: pytest.FixtureRequest) -> Iterator[None]:
    """The clock starts at the pinned instant and runs on from there. The browser tests keep
    the real clock: the browser sets cookie expiry against its own."""
    if request.node.get_closest_marker("e2e") is not None:
        yield
        return
    with time_machine.travel(pinned_instant(), tick=True):
        yield


@pytest.fixture
def clinic_a(db: Any) -> Clinic:
    return Clinic.objects.create(
        slug="alpha", name="Alpha Ketamine Clinic", require_two_factor=False
    )


@pytest.fixture
def clinic_b(db: Any) -> Clinic:
    return Clinic.objects.create(slug="beta", name="Beta Clinic", require_two_factor=False)


@pytest.fixture
def members(clinic_a: Clinic) -> dict[str, Membership]:
    return {role: make_member(clinic_a, role) for role in Role.values}


@pytest.fixture
def outsider(clinic_b: Clinic) -> Membership:
    return make_member(clinic_b, Role.MEDICAL_DIRECTOR, "outsider")


@pytest.fixture
def patient(clinic_a: Clinic, members: dict[str, Membership]) -> Patient:
    actor = members[Role.MEDICAL_DIRECTOR].user
    p = Patient(
        clinic=clinic_a,
        mrn="A-0001",
        legal_first_name="Robin",
        legal_last_name="Example",
        date_of_birth=dt.date(1980, 4, 12),
        sex_at_birth="female",
    )
    audited_save(p, actor=actor)
    common = {"patient": p, "clinic": clinic_a, "recorded_by": actor}
    audited_save(
        Diagnosis(code="F33.2", description="MDD recurrent severe", is_primary=True, **common),
        actor=actor,
    )
    audited_save(Allergy(substance="Penicillin", **common), actor=actor)
    audited_save(
        BodyMeasurement(
            kind="weight",
            measured_on=dt.date(2026, 1, 5),
            value=Decimal("80"),
            unit="kg",
            value_si=Decimal("80"),
            **common,
        ),
        actor=actor,
    )
    audited_save(
        AntidepressantTrial(
            drug="Sertraline",
            dose_mg_per_day=Decimal("150"),
            duration_weeks=8,
            adherence="good",
            outcome="no_response",
            adequate_trial=True,
            **common,
        ),
        actor=actor,
    )
    audited_save(
        Consent(
            consent_type="ketamine_treatment",
            version="1",
            signed_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC),
            signed_by="Robin Example",
            **common,
        ),
        actor=actor,
    )
    return p
