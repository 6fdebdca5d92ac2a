"""A small world for the app tests: two clinics, one member per role in clinic A, a member of
clinic B, and a patient of clinic A with one entry of every chart kind. The fixtures call the
builders of ``tests.world``, which write through the app's services.

Every test but the browser's runs on a pinned clock, so no result depends on the day the suite
runs. ``REMISSION_TEST_CLOCK`` (an ISO instant) moves the pin; ``scripts/check.sh`` runs the
scheduling tests once for each day of a week and across a daylight-saving change."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.clinics.models import Clinic
from remission.patients.models import Patient
from remission.scheduling.models import TreatmentSession
from tests.world import make_member
from tests.world.chairside import session_started_two_hours_ago
from tests.world.patients import chart_patient

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
    return chart_patient(members[Role.MEDICAL_DIRECTOR])


@pytest.fixture
def session(members: dict[str, Membership], patient: Patient) -> TreatmentSession:
    """The first session of the patient's IV course, under way now (the controlled-substance
    tests use a bare dosing session of their own)."""
    return session_started_two_hours_ago(members, patient)
