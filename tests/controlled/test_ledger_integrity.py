"""The ledger is append-only, and the database itself refuses entries of the wrong shape."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from remission.accounts.models import Membership
from remission.controlled import services
from remission.controlled.models import (
    AppendOnlyError,
    EntryKind,
    LedgerEntry,
    StockLot,
)
from remission.scheduling.models import TreatmentSession

pytestmark = pytest.mark.django_db


# --- append-only ------------------------------------------------------------------------------


def test_a_ledger_entry_cannot_be_changed_or_deleted(lot: StockLot) -> None:
    entry = lot.entries.get()
    entry.quantity = Decimal("1000")
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        LedgerEntry.objects.filter(pk=entry.pk).update(quantity=Decimal("1000"))
    with pytest.raises(AppendOnlyError):
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    assert LedgerEntry.objects.get(pk=entry.pk).quantity == Decimal("100")


def test_the_services_offer_no_way_to_edit_or_delete_an_entry() -> None:
    names = [n for n in dir(services) if not n.startswith("_")]
    writers = [n for n in names if n.split("_")[0] in {"update", "edit", "delete", "remove"}]
    assert writers == []


def test_the_database_refuses_waste_without_a_witness_even_past_the_services(
    nurse: Membership, lot: StockLot
) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            clinic=lot.clinic,
            lot=lot,
            kind=EntryKind.WASTE,
            quantity=Decimal("-1"),
            quantity_mg=Decimal("-50"),
            balance_after=Decimal("99"),
            occurred_at=timezone.now(),
            recorded_by=nurse.user,
        )


def _raw_entry(lot: StockLot, nurse: Membership, prescriber: Membership, **fields: object) -> None:
    """An entry written straight to the table, past the services (as a script might)."""
    values: dict[str, object] = {
        "clinic": lot.clinic,
        "lot": lot,
        "kind": EntryKind.WASTE,
        "quantity": Decimal("0"),
        "quantity_mg": Decimal("0"),
        "balance_after": Decimal("100"),
        "occurred_at": timezone.now(),
        "recorded_by": nurse.user,
        "witness": prescriber.user,
        **fields,
    }
    LedgerEntry.objects.create(**values)


SHAPE = "controlled_waste_from_stock_or_of_a_dispensed_dose"


SIGN = "controlled_entry_sign_follows_kind"


@pytest.mark.parametrize(
    ("shape", "fields", "constraint"),
    [
        ("waste of nothing", {"with_session": True}, SHAPE),
        (
            "waste of a dispensed dose without its session",
            {"dispensed_wasted": Decimal("0.2"), "dispensed_wasted_mg": Decimal("10")},
            SHAPE,
        ),
        (
            "waste of a dispensed dose that also lowers stock",
            {
                "with_session": True,
                "quantity": Decimal("-0.2"),
                "quantity_mg": Decimal("-10"),
                "balance_after": Decimal("99.8"),
                "dispensed_wasted": Decimal("0.2"),
                "dispensed_wasted_mg": Decimal("10"),
            },
            SHAPE,
        ),
        (
            "waste of a dispensed dose with mg moved",
            {
                "with_session": True,
                "quantity_mg": Decimal("-10"),
                "dispensed_wasted": Decimal("0.2"),
                "dispensed_wasted_mg": Decimal("10"),
            },
            SHAPE,
        ),
        (
            "waste of a dispensed dose of 0",
            {
                "with_session": True,
                "dispensed_wasted": Decimal("0"),
                "dispensed_wasted_mg": Decimal("0"),
            },
            SHAPE,
        ),
        (
            "waste of a dispensed dose without its mg",
            {"with_session": True, "dispensed_wasted": Decimal("0.2")},
            SHAPE,
        ),
        (
            "waste from stock with an amount of a dispensed dose",
            {
                "quantity": Decimal("-1"),
                "quantity_mg": Decimal("-50"),
                "balance_after": Decimal("99"),
                "dispensed_wasted": Decimal("1"),
            },
            SHAPE,
        ),
        (
            "a dispense with an amount of a dispensed dose",
            {
                "kind": EntryKind.DISPENSE,
                "with_session": True,
                "quantity": Decimal("-1"),
                "quantity_mg": Decimal("-50"),
                "balance_after": Decimal("99"),
                "witness": None,
                "dispensed_wasted_mg": Decimal("10"),
            },
            SHAPE,
        ),
        (
            "waste that adds stock",
            {"quantity": Decimal("1"), "quantity_mg": Decimal("50"), "balance_after": 101},
            f"{SIGN}|{SHAPE}",  # both refuse it; which one a database names first varies
        ),
    ],
)
def test_the_database_accepts_only_the_two_shapes_of_waste(
    nurse: Membership,
    prescriber: Membership,
    lot: StockLot,
    session: TreatmentSession,
    shape: str,
    fields: dict[str, object],
    constraint: str,
) -> None:
    fields = dict(fields)
    if fields.pop("with_session", False):
        fields["session"] = session
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        _raw_entry(lot, nurse, prescriber, **fields)
    assert lot.entries.count() == 1


def test_the_database_accepts_both_shapes_of_waste(
    nurse: Membership, prescriber: Membership, lot: StockLot, session: TreatmentSession
) -> None:
    _raw_entry(
        lot,
        nurse,
        prescriber,
        session=session,
        dispensed_wasted=Decimal("0.2"),
        dispensed_wasted_mg=Decimal("10"),
    )
    _raw_entry(
        lot,
        nurse,
        prescriber,
        quantity=Decimal("-1"),
        quantity_mg=Decimal("-50"),
        balance_after=Decimal("99"),
    )
    assert lot.entries.filter(kind=EntryKind.WASTE).count() == 2


def test_the_database_refuses_a_dispense_with_a_positive_quantity(
    nurse: Membership, lot: StockLot
) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            clinic=lot.clinic,
            lot=lot,
            kind=EntryKind.DISPENSE,
            quantity=Decimal("5"),
            quantity_mg=Decimal("250"),
            balance_after=Decimal("105"),
            occurred_at=timezone.now(),
            recorded_by=nurse.user,
        )
