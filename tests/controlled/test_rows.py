"""The ledger's row builders, shared by the services and the demo: what each kind of entry
holds, signed quantities in mg, and the audit summary's words (nothing is saved here)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from remission.accounts.models import User
from remission.clinics.models import Clinic
from remission.controlled import rows
from remission.controlled.models import EntryKind, Product, StockLot, WitnessVerification
from remission.scheduling.models import TreatmentSession

AT = dt.datetime(2026, 3, 10, 9, 30, tzinfo=dt.UTC)
NURSE = User(username="nurse")
WITNESS = rows.Witnessed(User(username="director"), WitnessVerification.PASSWORD)


def _lot() -> StockLot:
    clinic = Clinic(name="Alpha", slug="alpha")
    product = Product(clinic=clinic, name="Ketamine 50 mg/mL", mg_per_unit=Decimal("50"), unit="mL")
    return StockLot(clinic=clinic, product=product, lot_number="K-1", expiry_date=AT.date())


def _session(lot: StockLot) -> TreatmentSession:
    return TreatmentSession(clinic=lot.clinic, patient_id=uuid.uuid4(), scheduled_start=AT)


def test_quantities_in_mg_keep_their_sign_and_three_places() -> None:
    product = _lot().product
    assert rows.quantity_mg(product, Decimal("-0.7")) == Decimal("-35.000")
    assert rows.quantity_mg(product, Decimal("0.0004")) == Decimal("0.020")


def test_a_dispense_takes_stock_out_for_the_patient() -> None:
    lot = _lot()
    session = _session(lot)
    row = rows.dispense(
        lot,
        quantity=Decimal("0.7"),
        session=session,
        administration=None,
        note="",
        entered=rows.Entered(NURSE, AT),
    )
    entry = row.entry
    assert (entry.kind, entry.quantity, entry.quantity_mg) == (
        EntryKind.DISPENSE,
        Decimal("-0.7"),
        Decimal("-35.000"),
    )
    assert entry.patient_id == session.patient_id and entry.clinic_id == lot.clinic_id
    assert row.summary.startswith("dispensed 0.7 mL of ")


def test_waste_of_a_dispensed_dose_moves_no_stock_but_waste_from_stock_does() -> None:
    lot = _lot()
    session = _session(lot)
    common = {
        "quantity": Decimal("0.3"),
        "witnessed": WITNESS,
        "reason": "rest of the syringe",
        "session": session,
        "administration": None,
        "entered": rows.Entered(NURSE, AT),
    }
    of_dose = rows.waste(lot, of_dispensed=True, **common)  # type: ignore[arg-type]
    from_stock = rows.waste(lot, of_dispensed=False, **common)  # type: ignore[arg-type]
    assert (of_dose.entry.quantity, of_dose.entry.dispensed_wasted) == (rows.ZERO, Decimal("0.3"))
    assert of_dose.entry.dispensed_wasted_mg == Decimal("15.000")
    assert "(stock unchanged), witnessed by director" in of_dose.summary
    assert (from_stock.entry.quantity, from_stock.entry.dispensed_wasted) == (Decimal("-0.3"), None)
    assert from_stock.summary.endswith("from stock, witnessed by director")


def test_a_count_keeps_the_expected_balance_and_names_a_discrepancy() -> None:
    lot = _lot()

    def count(counted: str) -> rows.Row:
        return rows.count(
            lot,
            counted=Decimal(counted),
            expected=Decimal("12.000"),
            note="",
            witnessed=None,
            entered=rows.Entered(NURSE, AT),
        )

    agreeing, short = count("12.000"), count("11.500")
    assert agreeing.entry.balance_after == short.entry.balance_after == Decimal("12.000")
    assert agreeing.entry.quantity == short.entry.quantity == rows.ZERO
    assert "DISCREPANCY" not in agreeing.summary
    assert short.summary.endswith("— DISCREPANCY -0.500 against 12.000 expected")
    assert short.entry.witness_verification == WitnessVerification.NONE


def test_a_receipt_says_where_it_came_from_unless_a_note_says_more() -> None:
    lot = _lot()
    kwargs = {
        "quantity": Decimal("50"),
        "supplier": "Example Wholesale",
        "reference": "222-ABC",
        "entered": rows.Entered(NURSE, AT),
    }
    plain = rows.receipt(lot, note="", **kwargs)  # type: ignore[arg-type]
    noted = rows.receipt(lot, note="box dented, contents intact", **kwargs)  # type: ignore[arg-type]
    assert plain.entry.reason == "from Example Wholesale"
    assert noted.entry.reason == "box dented, contents intact"
    assert plain.summary.endswith("(222-ABC)")


def test_history_keeps_its_recorded_time() -> None:
    lot = _lot()
    later = AT + dt.timedelta(minutes=3)
    row = rows.adjustment(
        lot,
        change=Decimal("-0.5"),
        reason="dropped syringe",
        witnessed=WITNESS,
        corrects=None,
        entered=rows.Entered(NURSE, AT, later),
    )
    assert row.entry.recorded_at == later
    assert row.summary.endswith("by -0.5 mL: dropped syringe")
