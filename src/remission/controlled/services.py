"""Writing the controlled-substance log: authorised, validated, audited, append-only.

Every function appends; none changes or deletes a ledger entry (there is deliberately no such
function). A mistake is corrected with ``adjust`` — a new, witnessed entry with a reason that
may point at the entry it corrects. Each write locks the lot row first, so two nurses drawing
from the same lot at once are serialised and the balance can never go below zero.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from remission.accounts.access import require
from remission.accounts.models import Membership
from remission.accounts.roles import Capability
from remission.audit.models import AuditAction, AuditEvent
from remission.audit.services import EventSpec, append, audited_save
from remission.chairside.models import AdministrationEvent
from remission.controlled import rows
from remission.controlled.display import quantity_text
from remission.controlled.models import (
    UNIT_OF_FORM,
    DosageForm,
    Drug,
    EntryKind,
    LedgerEntry,
    Product,
    StockLot,
    WitnessVerification,
)
from remission.controlled.rows import QUANTUM, ZERO
from remission.scheduling.models import SessionStatus, TreatmentSession

WITNESS_FAILURE_LIMIT = 5
WITNESS_LOCKOUT = dt.timedelta(minutes=15)
WITNESS_OBJECT = "controlled.witness"
_NOT_DISPENSABLE = (SessionStatus.CANCELLED, SessionStatus.NO_SHOW)


# --- helpers ---------------------------------------------------------------------------------


def _quantity(value: Any, *, label: str = "The quantity") -> Decimal:
    try:
        quantity = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError(f"{label} must be a number.") from None
    if not quantity.is_finite():
        raise ValidationError(f"{label} must be a number.")
    if quantity != quantity.quantize(QUANTUM):
        raise ValidationError(f"{label} can have at most 3 decimal places.")
    return quantity.quantize(QUANTUM)


def _positive(value: Any, *, label: str = "The quantity") -> Decimal:
    quantity = _quantity(value, label=label)
    if quantity <= 0:
        raise ValidationError(f"{label} must be more than 0.")
    return quantity


def quantity_for_dose(*, product: Product, dose_mg: Decimal) -> Decimal:
    """The units (mL or devices) that hold ``dose_mg`` of ``product``, to 0.001."""
    return (Decimal(dose_mg) / product.mg_per_unit).quantize(QUANTUM)


def lot_balance(lot: StockLot) -> Decimal:
    """The lot's balance in units: the sum of its ledger quantities (no stored running total)."""
    total = LedgerEntry.objects.filter(lot_id=lot.pk).aggregate(total=Sum("quantity"))["total"]
    return Decimal(total or 0).quantize(QUANTUM)


def _locked_lot(membership: Membership, lot: StockLot) -> StockLot:
    """The lot row locked for this transaction; refuses a lot of another clinic."""
    if lot.clinic_id != membership.clinic_id:
        raise ValidationError("This lot belongs to another clinic.")
    return StockLot.objects.select_for_update().select_related("product").get(pk=lot.pk)


def _when(membership: Membership, occurred_at: dt.datetime | None, lot: StockLot) -> dt.datetime:
    now = timezone.now()
    if occurred_at is None:
        return now
    if timezone.is_naive(occurred_at):
        occurred_at = timezone.make_aware(occurred_at, membership.clinic.tzinfo)
    if occurred_at > now + dt.timedelta(minutes=1):
        raise ValidationError("An entry cannot be dated in the future.")
    if occurred_at < lot.received_at:
        raise ValidationError(
            f"Lot {lot.lot_number} was received at {_local(membership, lot.received_at)}; "
            "an entry cannot precede it."
        )
    return occurred_at


def _local(membership: Membership, moment: dt.datetime) -> str:
    return f"{moment.astimezone(membership.clinic.tzinfo):%Y-%m-%d %H:%M}"


def _witness(
    membership: Membership, witness: Any, witness_password: str | None
) -> rows.Witnessed | None:
    """The witness user and how they were verified (None without one), or a clear refusal."""
    if witness is None:
        return None
    if witness.pk == membership.user_id:
        raise ValidationError({"witness": "The witness must be someone other than you."})
    witness_membership = Membership.objects.filter(
        user_id=witness.pk, clinic_id=membership.clinic_id, is_active=True
    ).first()
    if witness_membership is None or not witness.is_active:
        raise ValidationError(
            {"witness": "The witness must be an active member of staff of this clinic."}
        )
    if not witness_membership.can(Capability.MANAGE_CONTROLLED_SUBSTANCES):
        raise ValidationError(
            {
                "witness": f"A {witness_membership.get_role_display().lower()} cannot witness "
                "controlled-substance entries."
            }
        )
    if witness_password is None:
        return rows.Witnessed(witness, WitnessVerification.ATTESTED)
    _check_witness_password(membership, witness, witness_password)
    return rows.Witnessed(witness, WitnessVerification.PASSWORD)


def _required_witness(
    membership: Membership, witness: Any, witness_password: str | None
) -> rows.Witnessed:
    witnessed = _witness(membership, witness, witness_password)
    if witnessed is None:
        raise ValidationError({"witness": "A second member of staff must witness this."})
    return witnessed


def _check_witness_password(membership: Membership, witness: Any, password: str) -> None:
    """The witness's own password, with the sign-in lockout's limits. Runs before the entry's
    transaction, so a wrong attempt stays in the audit log even though the entry is refused."""
    since = timezone.now() - WITNESS_LOCKOUT
    failures = AuditEvent.objects.filter(
        action=AuditAction.LOGIN_FAILED,
        object_type=WITNESS_OBJECT,
        object_id=str(witness.pk),
        occurred_at__gte=since,
    ).count()
    if failures >= WITNESS_FAILURE_LIMIT:
        raise ValidationError(
            {
                "witness_password": f"Too many wrong passwords for {witness}: wait "
                f"{WITNESS_LOCKOUT.seconds // 60} minutes, or have the witness confirm in person."
            }
        )
    if not witness.check_password(password):
        append(
            [
                EventSpec(
                    action=AuditAction.LOGIN_FAILED,
                    actor=membership.user,
                    clinic_id=membership.clinic_id,
                    object_type=WITNESS_OBJECT,
                    object_id=str(witness.pk),
                    summary=f"wrong witness password for {witness.username}",
                )
            ]
        )
        raise ValidationError({"witness_password": "The witness's password is not correct."})


def _drug_of_route(route: str) -> str:
    return Drug.ESKETAMINE if route.startswith("esketamine") else Drug.KETAMINE


def _append(row: rows.Row, *, actor: Any, balance: Decimal | None = None) -> LedgerEntry:
    """Save ``row`` on its locked lot with the balance after it (refused if it would overdraw
    the lot), and its audit event."""
    entry, lot = row.entry, row.entry.lot
    if balance is None:
        balance = lot_balance(lot)
    after = balance + entry.quantity
    if after < 0:
        raise ValidationError(
            f"Lot {lot.lot_number} holds {quantity_text(balance, lot.product.unit)}; "
            f"{quantity_text(-entry.quantity, lot.product.unit)} would overdraw it."
        )
    entry.balance_after = after
    audited_save(entry, actor=actor, summary=row.summary)
    return entry


# --- products and receipts -------------------------------------------------------------------


@transaction.atomic
def add_product(
    *,
    membership: Membership,
    name: str,
    drug: str,
    form: str,
    strength: str,
    mg_per_unit: Decimal,
    ndc: str = "",
) -> Product:
    require(membership, Capability.MANAGE_CONTROLLED_SUBSTANCES)
    if drug not in Drug.values:
        raise ValidationError({"drug": f"{drug!r} is not a controlled drug this log keeps."})
    if form not in DosageForm.values:
        raise ValidationError({"form": f"{form!r} is not a known dosage form."})
    if drug == Drug.ESKETAMINE and form != DosageForm.NASAL_DEVICE:
        raise ValidationError({"form": "Esketamine (SPRAVATO) comes only as a nasal device."})
    product = Product(
        clinic=membership.clinic,
        name=name.strip(),
        drug=drug,
        form=form,
        strength=strength.strip(),
        mg_per_unit=_positive(mg_per_unit, label="The mg per unit"),
        unit=UNIT_OF_FORM[form],
        ndc=ndc.strip(),
    )
    product.full_clean(exclude=["clinic"], validate_unique=False, validate_constraints=False)
    if Product.objects.filter(clinic_id=membership.clinic_id, name__iexact=product.name).exists():
        raise ValidationError({"name": f"A product named {product.name} already exists."})
    audited_save(product, actor=membership.user, summary=rows.product_added(product))
    return product


@transaction.atomic
def set_product_active(*, membership: Membership, product: Product, active: bool) -> Product:
    """Retire a product from the pickers (its lots and ledger stay)."""
    require(membership, Capability.MANAGE_CONTROLLED_SUBSTANCES)
    if product.clinic_id != membership.clinic_id:
        raise ValidationError("This product belongs to another clinic.")
    product.active = active
    audited_save(
        product,
        actor=membership.user,
        summary=f"{'re-activated' if active else 'retired'} controlled product {product}",
    )
    return product


def _receipt_time(membership: Membership, received_at: dt.datetime | None) -> dt.datetime:
    """When the delivery came (now unless given; a naive time is the clinic's), never ahead."""
    now = timezone.now()
    received_at = received_at or now
    if timezone.is_naive(received_at):
        received_at = timezone.make_aware(received_at, membership.clinic.tzinfo)
    if received_at > now + dt.timedelta(minutes=1):
        raise ValidationError({"received_at": "A receipt cannot be dated in the future."})
    return received_at


def _lot_to_receive_into(
    membership: Membership,
    product: Product,
    lot_number: str,
    expiry_date: dt.date,
    quantity: Decimal,
    supplier: str,
    reference: str,
    received_at: dt.datetime,
) -> StockLot:
    """The lot on file (locked), checked against this delivery, or a new one booked in."""
    lot = (
        StockLot.objects.select_for_update()
        .filter(clinic_id=membership.clinic_id, product=product, lot_number__iexact=lot_number)
        .first()
    )
    if lot is None:
        lot = StockLot(
            clinic=membership.clinic,
            product=product,
            lot_number=lot_number,
            expiry_date=expiry_date,
            received_quantity=quantity,
            supplier=supplier,
            reference=reference,
            received_at=received_at,
            received_by=membership.user,
        )
        try:
            with transaction.atomic():
                audited_save(lot, actor=membership.user, summary=rows.lot_received(lot))
        except IntegrityError:
            raise ValidationError(
                {"lot_number": f"Lot {lot_number} was booked in meanwhile; try again."}
            ) from None
        lot = StockLot.objects.select_for_update().select_related("product").get(pk=lot.pk)
    else:
        if lot.expiry_date != expiry_date:
            raise ValidationError(
                {
                    "expiry_date": f"Lot {lot.lot_number} is on file with expiry "
                    f"{lot.expiry_date}; check the package."
                }
            )
        if received_at < lot.received_at:
            raise ValidationError(
                {
                    "received_at": f"Lot {lot.lot_number} was first received at "
                    f"{_local(membership, lot.received_at)}; a later delivery cannot precede it."
                }
            )
    return lot


@transaction.atomic
def receive_stock(
    *,
    membership: Membership,
    product: Product,
    lot_number: str,
    expiry_date: dt.date,
    quantity: Decimal,
    supplier: str,
    reference: str,
    received_at: dt.datetime | None = None,
    note: str = "",
) -> LedgerEntry:
    """Book stock in. A second delivery of a lot already on file adds a receipt to that lot."""
    require(membership, Capability.MANAGE_CONTROLLED_SUBSTANCES)
    if product.clinic_id != membership.clinic_id:
        raise ValidationError("This product belongs to another clinic.")
    if not product.active:
        raise ValidationError({"product": f"{product.name} is retired; re-activate it first."})
    quantity = _positive(quantity)
    lot_number = lot_number.strip()
    supplier, reference = supplier.strip(), reference.strip()
    if not lot_number:
        raise ValidationError({"lot_number": "Enter the lot number printed on the package."})
    if not supplier:
        raise ValidationError({"supplier": "Enter the supplier."})
    if not reference:
        raise ValidationError(
            {"reference": "Enter the invoice, DEA Form 222 or CSOS order reference."}
        )
    received_at = _receipt_time(membership, received_at)
    if expiry_date < received_at.astimezone(membership.clinic.tzinfo).date():
        raise ValidationError({"expiry_date": f"Lot {lot_number} expired on {expiry_date}."})
    lot = _lot_to_receive_into(
        membership, product, lot_number, expiry_date, quantity, supplier, reference, received_at
    )
    row = rows.receipt(
        lot,
        quantity=quantity,
        supplier=supplier,
        reference=reference,
        note=note.strip(),
        entered=rows.Entered(membership.user, received_at),
    )
    return _append(row, actor=membership.user)


# --- dispensing, waste, returns --------------------------------------------------------------


@transaction.atomic
def dispense(
    *,
    membership: Membership,
    lot: StockLot,
    session: TreatmentSession,
    quantity: Decimal,
    administration: AdministrationEvent | None = None,
    occurred_at: dt.datetime | None = None,
    note: str = "",
) -> LedgerEntry:
    """Take ``quantity`` units of ``lot`` out of stock for a patient's treatment session."""
    require(membership, Capability.MANAGE_CONTROLLED_SUBSTANCES)
    quantity = _positive(quantity)
    lot = _locked_lot(membership, lot)
    if session.clinic_id != membership.clinic_id:
        raise ValidationError({"session": "This session belongs to another clinic."})
    if session.status in _NOT_DISPENSABLE:
        raise ValidationError(
            {"session": f"The session is {session.get_status_display().lower()}."}
        )
    if administration is not None:
        if administration.session_id != session.pk:
            raise ValidationError(
                {"administration": "That administration was charted in another session."}
            )
        charted_lot = administration.lot_number.strip()
        if charted_lot and charted_lot.lower() != lot.lot_number.lower():
            raise ValidationError(
                {"lot": f"The administration record names lot {charted_lot}, not {lot.lot_number}."}
            )
    order = session.orders.order_by("-recorded_at", "-id").first()
    if order is not None and _drug_of_route(order.route) != lot.product.drug:
        raise ValidationError(
            {"lot": f"The session's order is for {order.drug}; {lot.product.name} is not."}
        )
    occurred_at = _when(membership, occurred_at, lot)
    if lot.expiry_date < occurred_at.astimezone(membership.clinic.tzinfo).date():
        raise ValidationError(
            {"lot": f"Lot {lot.lot_number} expired on {lot.expiry_date}; it cannot be dispensed."}
        )
    row = rows.dispense(
        lot,
        quantity=quantity,
        session=session,
        administration=administration,
        note=note.strip(),
        entered=rows.Entered(membership.user, occurred_at),
    )
    return _append(row, actor=membership.user)


def dispense_for_administration(
    *,
    membership: Membership,
    administration: AdministrationEvent,
    lot: StockLot,
    quantity: Decimal | None = None,
    note: str = "",
) -> LedgerEntry:
    """Dispense for one charted administration line (the chair-side screen's hook).

    Without ``quantity`` the dose is converted to the lot's unit: the line's own dose (an
    injection, one nasal device) or else the order's whole dose (an infusion's start).
    """
    require(membership, Capability.MANAGE_CONTROLLED_SUBSTANCES)
    if quantity is None:
        dose_mg = administration.dose_mg or administration.order.dose_mg
        quantity = quantity_for_dose(product=lot.product, dose_mg=dose_mg)
    return dispense(
        membership=membership,
        lot=lot,
        session=administration.session,
        administration=administration,
        quantity=quantity,
        occurred_at=administration.at,
        note=note,
    )


def _check_waste_session(
    membership: Membership,
    session: TreatmentSession | None,
    administration: AdministrationEvent | None,
    of_dispensed: bool,
) -> None:
    """A waste names a session of this clinic (a dispensed dose's must), and an administration
    only of that session."""
    if session is not None and session.clinic_id != membership.clinic_id:
        raise ValidationError({"session": "This session belongs to another clinic."})
    if of_dispensed and session is None:
        raise ValidationError(
            {"session": "Choose the session the dose was dispensed for; its waste counts there."}
        )
    if administration is not None and (session is None or administration.session_id != session.pk):
        raise ValidationError({"administration": "That administration is not of this session."})


def _refuse_waste_beyond_the_dose(
    lot: StockLot, session: TreatmentSession, when: dt.datetime, quantity: Decimal
) -> None:
    """Waste of a dispensed dose cannot exceed what was dispensed from the lot for the session
    by then, less what is already recorded wasted of it."""
    unit = lot.product.unit
    dispensed, wasted = _dispensed_and_wasted(lot=lot, session=session, until=when)
    left = dispensed - wasted
    if quantity <= left:
        return
    if not dispensed:
        problem = (
            f"Nothing was dispensed from lot {lot.lot_number} for this session by then, "
            "so there is no dispensed dose to waste. Drug wasted straight from the "
            "shelf is waste from stock, which lowers the balance."
        )
    else:
        problem = (
            f"{quantity_text(dispensed, unit)} of lot {lot.lot_number} was dispensed for this "
            f"session and {quantity_text(wasted, unit)} of it is already recorded wasted: at "
            f"most {quantity_text(max(left, ZERO), unit)} of the dose can be wasted."
        )
    raise ValidationError({"quantity": problem})


def record_waste(
    *,
    membership: Membership,
    lot: StockLot,
    quantity: Decimal,
    witness: Any,
    reason: str,
    of_dispensed: bool,
    witness_password: str | None = None,
    session: TreatmentSession | None = None,
    administration: AdministrationEvent | None = None,
    occurred_at: dt.datetime | None = None,
) -> LedgerEntry:
    """Record drug wasted, witnessed by a second person. ``of_dispensed`` says which kind —
    there is deliberately no default, so every caller states it:

    - ``True``, **waste of a dispensed dose**: the part of what was dispensed from ``lot`` for
      ``session`` that was not given (the rest of the syringe, of a stopped infusion's bag, a
      dose drawn for a patient then stood down). That drug left stock with the dispense, so the
      entry moves no stock (quantity 0, the balance stays) and keeps the amount in
      ``dispensed_wasted``. It needs the session, and is refused beyond what was dispensed
      from the lot for the session (up to the waste's time) less what was already wasted of it.
    - ``False``, **waste from stock**: drug wasted straight off the shelf (a vial broken,
      contaminated or out of date). It lowers the balance, and may name a session.

    ``witness_password`` given: the witness re-authenticates. Left out: the entry records that
    the recorder attests the witness was present.
    """
    require(membership, Capability.MANAGE_CONTROLLED_SUBSTANCES)
    quantity = _positive(quantity)
    if not reason.strip():
        raise ValidationError({"reason": "Say what was wasted and how."})
    _check_waste_session(membership, session, administration, of_dispensed)
    witnessed = _required_witness(membership, witness, witness_password)
    with transaction.atomic():
        lot = _locked_lot(membership, lot)
        when = _when(membership, occurred_at, lot)
        if of_dispensed:
            assert session is not None
            _refuse_waste_beyond_the_dose(lot, session, when, quantity)
        row = rows.waste(
            lot,
            quantity=quantity,
            of_dispensed=of_dispensed,
            witnessed=witnessed,
            reason=reason.strip(),
            session=session,
            administration=administration,
            entered=rows.Entered(membership.user, when),
        )
        return _append(row, actor=membership.user)


def _dispensed_and_wasted(
    *, lot: StockLot, session: TreatmentSession, until: dt.datetime | None = None
) -> tuple[Decimal, Decimal]:
    """Units of ``lot`` dispensed for ``session`` (up to ``until``, if given) and units of
    those dispensed doses already recorded wasted. Not authorised: the caller has done so."""
    entries = LedgerEntry.objects.filter(lot_id=lot.pk, session_id=session.pk)
    dispenses = entries.filter(kind=EntryKind.DISPENSE)
    if until is not None:
        dispenses = dispenses.filter(occurred_at__lte=until)
    dispensed = dispenses.aggregate(total=Sum("quantity"))["total"]  # dispenses are < 0
    wasted = entries.filter(kind=EntryKind.WASTE, dispensed_wasted__isnull=False).aggregate(
        total=Sum("dispensed_wasted")
    )["total"]
    return abs(Decimal(str(dispensed or 0))).quantize(QUANTUM), Decimal(str(wasted or 0)).quantize(
        QUANTUM
    )


def return_stock(
    *,
    membership: Membership,
    lot: StockLot,
    quantity: Decimal,
    reference: str,
    reason: str = "",
    witness: Any = None,
    witness_password: str | None = None,
    occurred_at: dt.datetime | None = None,
) -> LedgerEntry:
    """Send stock back to the supplier or a reverse distributor (e.g. expired lots)."""
    require(membership, Capability.MANAGE_CONTROLLED_SUBSTANCES)
    quantity = _positive(quantity)
    if not reference.strip():
        raise ValidationError(
            {"reference": "Enter the return authorisation or reverse-distributor reference."}
        )
    witnessed = _witness(membership, witness, witness_password)
    with transaction.atomic():
        lot = _locked_lot(membership, lot)
        row = rows.stock_return(
            lot,
            quantity=quantity,
            reference=reference.strip(),
            reason=reason.strip(),
            witnessed=witnessed,
            entered=rows.Entered(membership.user, _when(membership, occurred_at, lot)),
        )
        return _append(row, actor=membership.user)


# --- counts and corrections -------------------------------------------------------------------


def record_count(
    *,
    membership: Membership,
    lot: StockLot,
    counted_quantity: Decimal,
    note: str = "",
    witness: Any = None,
    witness_password: str | None = None,
) -> LedgerEntry:
    """A physical count, now. It never changes the balance: a count that disagrees with the
    ledger stays on record as a discrepancy until someone investigates and adjusts."""
    require(membership, Capability.MANAGE_CONTROLLED_SUBSTANCES)
    counted = _quantity(counted_quantity, label="The counted quantity")
    if counted < 0:
        raise ValidationError({"counted_quantity": "A count cannot be negative."})
    witnessed = _witness(membership, witness, witness_password)
    with transaction.atomic():
        lot = _locked_lot(membership, lot)
        expected = lot_balance(lot)
        row = rows.count(
            lot,
            counted=counted,
            expected=expected,
            note=note.strip(),
            witnessed=witnessed,
            entered=rows.Entered(membership.user, timezone.now()),
        )
        return _append(row, actor=membership.user, balance=expected)


def adjust(
    *,
    membership: Membership,
    lot: StockLot,
    quantity: Decimal,
    witness: Any,
    reason: str,
    witness_password: str | None = None,
    corrects: LedgerEntry | None = None,
) -> LedgerEntry:
    """Correct the balance by a signed ``quantity``: witnessed, with a reason, never silent."""
    require(membership, Capability.MANAGE_CONTROLLED_SUBSTANCES)
    change = _quantity(quantity)
    if change == 0:
        raise ValidationError({"quantity": "An adjustment of 0 changes nothing."})
    if not reason.strip():
        raise ValidationError({"reason": "An adjustment needs a reason."})
    if corrects is not None and corrects.lot_id != lot.pk:
        raise ValidationError({"corrects": "The corrected entry is of another lot."})
    witnessed = _required_witness(membership, witness, witness_password)
    with transaction.atomic():
        lot = _locked_lot(membership, lot)
        row = rows.adjustment(
            lot,
            change=change,
            reason=reason.strip(),
            witnessed=witnessed,
            corrects=corrects,
            entered=rows.Entered(membership.user, timezone.now()),
        )
        return _append(row, actor=membership.user)
