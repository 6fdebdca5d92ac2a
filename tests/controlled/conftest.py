"""The controlled-substance tests' cast: a nurse and a prescriber of clinic A, a product of
ketamine vials with one received lot, a dosing session."""

from __future__ import annotations

import pytest

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.controlled.models import Product, StockLot
from remission.patients.models import Patient
from remission.scheduling.models import TreatmentSession
from tests.world.controlled import dosing_session, ketamine_vials, receive


@pytest.fixture
def nurse(members: dict[str, Membership]) -> Membership:
    return members[Role.NURSE]


@pytest.fixture
def prescriber(members: dict[str, Membership]) -> Membership:
    return members[Role.PRESCRIBER]


@pytest.fixture
def vials(nurse: Membership) -> Product:
    return ketamine_vials(nurse)


@pytest.fixture
def lot(nurse: Membership, vials: Product) -> StockLot:
    return receive(nurse, vials, lot="K-001", quantity="100")


@pytest.fixture
def session(patient: Patient) -> TreatmentSession:
    return dosing_session(patient)
