"""The ledger's rows as they are written: what each kind of entry holds and how its audit event
words it.

Pure builders (nothing is read, checked or saved) so that ``controlled.services`` and the demo's
bulk writer make the same rows: the services add the checks, the row lock, the balance after the
entry and the save. The balance is not set here because only the writer knows the lot's balance
at the entry's place in the ledger.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from remission.accounts.models import User
from remission.chairside.models import AdministrationEvent
from remission.controlled.models import (
    EntryKind,
    LedgerEntry,
    Product,
    StockLot,
    WitnessVerification,
)
from remission.scheduling.models import TreatmentSession

ZERO = Decimal("0.000")
QUANTUM = Decimal("0.001")  # the ledger keeps units (mL, devices) to three places


@dataclass(frozen=True, slots=True)
class Row:
    """One ledger entry not yet saved, and the summary of the audit event that records it."""

    entry: LedgerEntry
    summary: str


@dataclass(frozen=True, slots=True)
class Entered:
    """Who made an entry and when it happened; ``recorded_at`` only for history written later
    (the demo), since a service's entry is recorded as it is saved."""

    by: User
    occurred_at: dt.datetime
    recorded_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class Witnessed:
    """Who witnessed an entry and how they confirmed it."""

    witness: User
    verification: WitnessVerification | str


def quantity_mg(product: Product, quantity: Decimal) -> Decimal:
    """Units of ``product`` in mg of drug (signed like the quantity)."""
    return (quantity * product.mg_per_unit).quantize(QUANTUM)


def _entry(
    lot: StockLot,
    *,
    kind: EntryKind,
    quantity: Decimal,
    entered: Entered,
    witnessed: Witnessed | None = None,
    **fields: Any,
) -> LedgerEntry:
    entry = LedgerEntry(
        clinic_id=lot.clinic_id,
        lot=lot,
        kind=kind,
        quantity=quantity,
        quantity_mg=quantity_mg(lot.product, quantity),
        occurred_at=entered.occurred_at,
        recorded_by=entered.by,
        witness=witnessed.witness if witnessed else None,
        witness_verification=witnessed.verification if witnessed else WitnessVerification.NONE,
        **fields,
    )
    if entered.recorded_at is not None:  # history written later (the demo); services stamp now
        entry.recorded_at = entered.recorded_at
    return entry


def product_added(product: Product) -> str:
    return f"added controlled product {product}"


def lot_received(lot: StockLot) -> str:
    return f"received new lot {lot}"


def receipt(
    lot: StockLot,
    *,
    quantity: Decimal,
    supplier: str,
    reference: str,
    note: str,
    entered: Entered,
) -> Row:
    """Stock booked in; the reason says where it came from unless a note says more."""
    entry = _entry(
        lot,
        kind=EntryKind.RECEIPT,
        quantity=quantity,
        entered=entered,
        reference=reference,
        reason=note or f"from {supplier}",
    )
    return Row(entry, f"received {quantity} {lot.product.unit} of {lot} ({reference})")


def dispense(
    lot: StockLot,
    *,
    quantity: Decimal,
    session: TreatmentSession,
    administration: AdministrationEvent | None,
    note: str,
    entered: Entered,
) -> Row:
    """``quantity`` units (positive) out of stock for the patient's session."""
    entry = _entry(
        lot,
        kind=EntryKind.DISPENSE,
        quantity=-quantity,
        entered=entered,
        patient_id=session.patient_id,
        session=session,
        administration=administration,
        reason=note,
    )
    return Row(entry, f"dispensed {quantity} {lot.product.unit} of {lot} for {session}")


def waste(
    lot: StockLot,
    *,
    quantity: Decimal,
    of_dispensed: bool,
    witnessed: Witnessed,
    reason: str,
    session: TreatmentSession | None,
    administration: AdministrationEvent | None,
    entered: Entered,
) -> Row:
    """Witnessed waste. Of a dispensed dose it moves no stock (the drug left with the dispense)
    and keeps the amount in ``dispensed_wasted``; from stock it lowers the balance."""
    unit = lot.product.unit
    common: dict[str, Any] = {
        "kind": EntryKind.WASTE,
        "entered": entered,
        "witnessed": witnessed,
        "reason": reason,
        "patient_id": session.patient_id if session else None,
        "session": session,
        "administration": administration,
    }
    by = f"witnessed by {witnessed.witness}"
    if not of_dispensed:
        entry = _entry(lot, quantity=-quantity, **common)
        return Row(entry, f"wasted {quantity} {unit} of {lot} from stock, {by}")
    entry = _entry(
        lot,
        quantity=ZERO,
        dispensed_wasted=quantity,
        dispensed_wasted_mg=quantity_mg(lot.product, quantity),
        **common,
    )
    return Row(
        entry,
        f"wasted {quantity} {unit} of the dose dispensed from {lot} for {session} "
        f"(stock unchanged), {by}",
    )


def stock_return(
    lot: StockLot,
    *,
    quantity: Decimal,
    reference: str,
    reason: str,
    witnessed: Witnessed | None,
    entered: Entered,
) -> Row:
    """Stock sent back to the supplier or a reverse distributor."""
    entry = _entry(
        lot,
        kind=EntryKind.RETURN,
        quantity=-quantity,
        entered=entered,
        reference=reference,
        reason=reason,
        witnessed=witnessed,
    )
    return Row(entry, f"returned {quantity} {lot.product.unit} of {lot} ({reference})")


def count(
    lot: StockLot,
    *,
    counted: Decimal,
    expected: Decimal,
    note: str,
    witnessed: Witnessed | None,
    entered: Entered,
) -> Row:
    """A physical count: it never moves the balance (``balance_after`` is what was expected); a
    count that disagrees stays on record as a discrepancy."""
    entry = _entry(
        lot,
        kind=EntryKind.COUNT,
        quantity=ZERO,
        entered=entered,
        balance_after=expected,
        counted_quantity=counted,
        expected_quantity=expected,
        reason=note,
        witnessed=witnessed,
    )
    summary = f"counted {counted} {lot.product.unit} of {lot}"
    if counted != expected:
        summary += f" — DISCREPANCY {counted - expected:+} against {expected} expected"
    return Row(entry, summary)


def adjustment(
    lot: StockLot,
    *,
    change: Decimal,
    reason: str,
    witnessed: Witnessed,
    corrects: LedgerEntry | None,
    entered: Entered,
) -> Row:
    """A witnessed correction of the balance by a signed ``change``, with its reason."""
    entry = _entry(
        lot,
        kind=EntryKind.ADJUSTMENT,
        quantity=change,
        entered=entered,
        witnessed=witnessed,
        reason=reason,
        corrects=corrects,
    )
    return Row(entry, f"adjusted {lot} by {change:+} {lot.product.unit}: {reason}")
