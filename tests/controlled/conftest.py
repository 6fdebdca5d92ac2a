"""The controlled-substance tests' small world: the nurse who keeps the log, a prescriber to
witness, a product of ketamine vials with one received lot, and a bare dosing session."""

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
