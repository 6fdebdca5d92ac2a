"""Reading the controlled-substance log. Every function authorises the member; every one that
shows a patient (a dispense names the patient's MRN and session) records the access."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import (
    DecimalField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from remission.accounts.access import require
from remission.accounts.models import Membership, User
from remission.accounts.roles import ROLE_CAPABILITIES, Capability
from remission.audit.models import AuditAction
from remission.audit.services import record_access
from remission.chairside.models import AdministrationAction, AdministrationEvent
from remission.chairside.selectors import administered_mg
from remission.controlled.models import EntryKind, LedgerEntry, Product, StockLot
from remission.patients.models import Patient
from remission.scheduling.models import SessionStatus, TreatmentSession

EXPIRING_SOON_DAYS = 60
ZERO = Decimal("0.000")
_UNITS: DecimalField[Decimal, Decimal] = DecimalField(max_digits=14, decimal_places=3)
_DISPENSING_ACTIONS = (
    AdministrationAction.START,
    AdministrationAction.INJECTION,
    AdministrationAction.DEVICE,
)


def _q(value: Any) -> Decimal:
    """A database sum as an exact Decimal to 0.001 (SQLite hands back binary floats)."""
    return Decimal(str(value or 0)).quantize(ZERO)


def _int(value: Any, what: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404(f"No such {what}.") from None


def _on_hand() -> Coalesce:
    """The balance stored with the lot's latest entry (``balance_after``).

    The services write it from the sum of the lot's quantities under the lot's row lock, so
    it equals that sum; reading it costs one index probe on (lot, id) where summing cost a
    scan of every entry of every lot in date (44 ms per session page on a busy clinic). The
    lot ledger and the reconciliation still re-derive it from the quantities and flag any
    disagreement."""
    latest = (
        LedgerEntry.objects.filter(lot=OuterRef("pk")).order_by("-id").values("balance_after")[:1]
    )
    return Coalesce(Subquery(latest), Value(ZERO), output_field=_UNITS)


def _lots(membership: Membership) -> QuerySet[Any]:
    """The clinic's lots, each annotated with ``on_hand`` (its latest ledger balance)."""
    return (
        StockLot.objects.filter(clinic_id=membership.clinic_id)
        .select_related("product")
        .annotate(on_hand=_on_hand())
    )


def _mg(product: Product, units: Decimal) -> Decimal:
    return (units * product.mg_per_unit).quantize(Decimal("0.001"))


def _day_bounds(membership: Membership, first: dt.date, last: dt.date) -> tuple[dt.datetime, ...]:
    tz = membership.clinic.tzinfo
    start = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


def _record_patients(
    membership: Membership, entries: list[LedgerEntry], what: str, action: AuditAction
) -> None:
    patient_ids = [e.patient_id for e in entries if e.patient_id]
    if patient_ids:
        record_access(
            actor=membership.user,
            clinic_id=membership.clinic_id,
            action=action,
            what=what,
            patient_ids=patient_ids,
            object_type="controlled.ledgerentry",
        )


# --- single objects -------------------------------------------------------------------------


def get_lot(
    *,
    membership: Membership,
    lot_id: Any,
    capability: Capability = Capability.VIEW_CONTROLLED_SUBSTANCES,
) -> StockLot:
    """A lot of the member's clinic (with ``on_hand``); 404 for any other."""
    require(membership, capability)
    lot = _lots(membership).filter(pk=_int(lot_id, "lot")).first()
    if lot is None:
        raise Http404("No such lot.")
    return lot


def get_product(*, membership: Membership, product_id: Any, capability: Capability) -> Product:
    require(membership, capability)
    product = Product.objects.filter(
        clinic_id=membership.clinic_id, pk=_int(product_id, "product")
    ).first()
    if product is None:
        raise Http404("No such product.")
    return product


def get_entry(*, membership: Membership, entry_id: Any, capability: Capability) -> LedgerEntry:
    require(membership, capability)
    entry = LedgerEntry.objects.filter(
        clinic_id=membership.clinic_id, pk=_int(entry_id, "entry")
    ).first()
    if entry is None:
        raise Http404("No such entry.")
    return entry


# --- inventory overview ---------------------------------------------------------------------


@dataclass
class LotStock:
    lot: StockLot
    on_hand: Decimal
    on_hand_mg: Decimal
    expired: bool
    expiring_soon: bool
    last_count: LedgerEntry | None = None

    @property
    def count_discrepancy(self) -> Decimal | None:
        """The last count's difference from the ledger, when it did not agree."""
        if self.last_count is None:
            return None
        return self.last_count.discrepancy or None


@dataclass
class ProductStock:
    product: Product
    lots: list[LotStock] = field(default_factory=list)

    @property
    def on_hand(self) -> Decimal:
        return sum((s.on_hand for s in self.lots), ZERO)

    @property
    def on_hand_mg(self) -> Decimal:
        return _mg(self.product, self.on_hand)


@dataclass
class Inventory:
    today: dt.date
    products: list[ProductStock]
    expiring: list[LotStock]
    discrepancies: list[LotStock]
    expired_in_stock: list[LotStock]


def inventory(
    *, membership: Membership, today: dt.date | None = None, include_empty: bool = False
) -> Inventory:
    """Every product with its lots on hand, lots expiring soon and last-count discrepancies."""
    require(membership, Capability.VIEW_CONTROLLED_SUBSTANCES)
    today = today or timezone.localdate(timezone=membership.clinic.tzinfo)
    soon = today + dt.timedelta(days=EXPIRING_SOON_DAYS)
    last_count = (
        LedgerEntry.objects.filter(lot_id=OuterRef("pk"), kind=EntryKind.COUNT)
        .order_by("-id")
        .values("pk")[:1]
    )
    lots: list[Any] = list(_lots(membership).annotate(last_count_id=Subquery(last_count)))
    counts = LedgerEntry.objects.in_bulk([lot.last_count_id for lot in lots if lot.last_count_id])
    by_product: dict[int, ProductStock] = {
        p.pk: ProductStock(p) for p in Product.objects.filter(clinic_id=membership.clinic_id)
    }
    stocks = []
    for lot in lots:
        on_hand = _q(lot.on_hand)
        stock = LotStock(
            lot=lot,
            on_hand=on_hand,
            on_hand_mg=_mg(lot.product, on_hand),
            expired=lot.expiry_date < today,
            expiring_soon=today <= lot.expiry_date <= soon,
            last_count=counts.get(lot.last_count_id) if lot.last_count_id else None,
        )
        stocks.append(stock)
        if include_empty or stock.on_hand or stock.count_discrepancy:
            by_product[lot.product_id].lots.append(stock)
    in_stock = [s for s in stocks if s.on_hand > 0]
    return Inventory(
        today=today,
        products=[p for p in by_product.values() if p.product.active or p.lots],
        expiring=[s for s in in_stock if s.expiring_soon],
        discrepancies=[s for s in stocks if s.count_discrepancy],
        expired_in_stock=[s for s in in_stock if s.expired],
    )


# --- one lot's ledger -----------------------------------------------------------------------


@dataclass
class LedgerRow:
    entry: LedgerEntry
    running_balance: Decimal

    @property
    def consistent(self) -> bool:
        """The stored snapshot agrees with the balance recomputed from the quantities."""
        return self.entry.balance_after == self.running_balance


@dataclass
class LotLedger:
    lot: StockLot
    rows: list[LedgerRow]
    on_hand: Decimal
    on_hand_mg: Decimal

    @property
    def intact(self) -> bool:
        return all(row.consistent for row in self.rows)


def _with_running_balance(entries: QuerySet[LedgerEntry]) -> QuerySet[LedgerEntry]:
    return entries.annotate(
        running=Window(Sum("quantity"), partition_by=[F("lot_id")], order_by=F("id").asc())
    )


def _entry_rows() -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.select_related(
        "lot__product", "recorded_by", "witness", "patient", "session", "administration"
    )


def lot_ledger(*, membership: Membership, lot_id: Any) -> LotLedger:
    """The lot's entries in the order they were recorded, each with the running balance."""
    lot: Any = get_lot(membership=membership, lot_id=lot_id)
    entries = list(_with_running_balance(_entry_rows().filter(lot=lot)).order_by("id"))
    rows = [LedgerRow(e, _q(getattr(e, "running", 0))) for e in entries]
    _record_patients(
        membership, entries, f"controlled-substance ledger, lot {lot.lot_number}", AuditAction.VIEW
    )
    on_hand = _q(lot.on_hand)
    return LotLedger(lot=lot, rows=rows, on_hand=on_hand, on_hand_mg=_mg(lot.product, on_hand))


# --- reconciliation -------------------------------------------------------------------------


@dataclass
class LotReconciliation:
    """One lot's movements in a period, in units. ``wasted`` is waste *from stock* only: waste
    of a dispensed dose moves no stock (it is part of ``dispensed``, and is accounted for by
    session in ``Reconciliation.sessions``)."""

    lot: StockLot
    opening: Decimal
    received: Decimal
    dispensed: Decimal
    wasted: Decimal
    returned: Decimal
    adjusted: Decimal
    closing: Decimal
    last_count: LedgerEntry | None
    counts_with_discrepancy: list[LedgerEntry]

    @property
    def expected_closing(self) -> Decimal:
        return (
            self.opening
            + self.received
            - self.dispensed
            - self.wasted
            - self.returned
            + self.adjusted
        )

    @property
    def balanced(self) -> bool:
        """The movements explain the closing balance (they always should)."""
        return self.expected_closing == self.closing

    @property
    def has_discrepancy(self) -> bool:
        return bool(self.counts_with_discrepancy) or not self.balanced

    @property
    def mg_per_unit(self) -> Decimal:
        return self.lot.product.mg_per_unit


@dataclass
class ProductReconciliation:
    product: Product
    lots: list[LotReconciliation] = field(default_factory=list)

    def _total(self, name: str) -> Decimal:
        return sum((getattr(lot, name) for lot in self.lots), ZERO)

    @property
    def totals(self) -> dict[str, Decimal]:
        names = ("opening", "received", "dispensed", "wasted", "returned", "adjusted", "closing")
        values = {name: self._total(name) for name in names}
        values["expected_closing"] = sum((lot.expected_closing for lot in self.lots), ZERO)
        return values

    @property
    def has_discrepancy(self) -> bool:
        return any(lot.has_discrepancy for lot in self.lots)


# Below this, dispensed − wasted − administered is rounding (the MAR totals to 0.1 mg).
UNACCOUNTED_TOLERANCE_MG = Decimal("0.5")


@dataclass
class SessionAccount:
    """What left the safe for one session, against what its record says the patient got.

    ``wasted_mg`` is the witnessed waste *of the doses dispensed* for the session; waste from
    stock that happens to name the session took drug off the shelf, not out of the dispensed
    dose, so it does not count here."""

    session: TreatmentSession
    patient: Patient
    dispensed_mg: Decimal
    wasted_mg: Decimal
    administered_mg: Decimal | None  # None until dosing is over

    @property
    def unaccounted_mg(self) -> Decimal | None:
        """Dispensed − wasted of the dispensed dose − administered; ``None`` while the session
        is still open."""
        if self.session.status in (SessionStatus.CANCELLED, SessionStatus.NO_SHOW):
            given = ZERO
        elif self.administered_mg is None:
            return None
        else:
            given = self.administered_mg
        return self.dispensed_mg - self.wasted_mg - given

    @property
    def needs_review(self) -> bool:
        left = self.unaccounted_mg
        return left is not None and abs(left) >= UNACCOUNTED_TOLERANCE_MG


@dataclass
class Reconciliation:
    first_day: dt.date
    last_day: dt.date
    products: list[ProductReconciliation]
    dispensing: list[LedgerEntry]
    sessions: list[SessionAccount] = field(default_factory=list)

    @property
    def has_discrepancy(self) -> bool:
        """A lot's count disagrees with its ledger."""
        return any(p.has_discrepancy for p in self.products)

    @property
    def sessions_to_review(self) -> list[SessionAccount]:
        return [s for s in self.sessions if s.needs_review]


def _session_accounts(dispensing: list[LedgerEntry]) -> list[SessionAccount]:
    """Per session with a dispense or a waste of a dispensed dose: dispensed, wasted of it and
    given. Waste from stock linked to a session is not part of the session's account."""
    by_session: dict[Any, list[LedgerEntry]] = {}
    for entry in dispensing:
        if entry.kind == EntryKind.DISPENSE or entry.of_dispensed_dose:
            by_session.setdefault(entry.session_id, []).append(entry)
    sessions = [entries[0].session for entries in by_session.values()]
    given = administered_mg([s for s in sessions if s is not None])
    accounts = []
    for session in sessions:
        if session is None:
            continue
        entries = by_session[session.pk]
        accounts.append(
            SessionAccount(
                session=session,
                patient=entries[0].patient or session.patient,
                dispensed_mg=sum(
                    (-e.quantity_mg for e in entries if e.kind == EntryKind.DISPENSE), ZERO
                ),
                wasted_mg=sum(
                    (e.dispensed_wasted_mg or ZERO for e in entries if e.of_dispensed_dose), ZERO
                ),
                administered_mg=given[session.pk],
            )
        )
    return accounts


def _lots_with_movements(
    membership: Membership, start: dt.datetime, end: dt.datetime
) -> QuerySet[StockLot]:
    """The clinic's lots received before ``end``, each with its balance at ``start`` and at
    ``end`` and its movements of each kind in between (summed in the database)."""
    in_period = Q(entries__occurred_at__gte=start, entries__occurred_at__lt=end)

    def moved(kind: EntryKind, *only: Q) -> Coalesce:
        return Coalesce(
            Sum("entries__quantity", filter=Q(in_period, Q(entries__kind=kind), *only)),
            Value(ZERO),
            output_field=_UNITS,
        )

    return (
        StockLot.objects.filter(clinic_id=membership.clinic_id, received_at__lt=end)
        .select_related("product")
        .annotate(
            opening=Coalesce(
                Sum("entries__quantity", filter=Q(entries__occurred_at__lt=start)),
                Value(ZERO),
                output_field=_UNITS,
            ),
            closing=Coalesce(
                Sum("entries__quantity", filter=Q(entries__occurred_at__lt=end)),
                Value(ZERO),
                output_field=_UNITS,
            ),
            received=moved(EntryKind.RECEIPT),
            dispensed=moved(EntryKind.DISPENSE),
            # Waste from stock; waste of a dispensed dose has quantity 0 and moves no stock.
            wasted=moved(EntryKind.WASTE, Q(entries__dispensed_wasted__isnull=True)),
            returned=moved(EntryKind.RETURN),
            adjusted=moved(EntryKind.ADJUSTMENT),
            activity=Sum(Value(1), filter=in_period),
        )
        .order_by("product__drug", "product__name", "expiry_date", "lot_number")
    )


def _by_product(
    lots: Iterable[Any], counts: list[LedgerEntry], start: dt.datetime
) -> dict[int, ProductReconciliation]:
    """Lots with a balance or movement, grouped by product, with their counts."""
    by_product: dict[int, ProductReconciliation] = {}
    for lot in lots:
        if not (lot.opening or lot.closing or lot.activity):
            continue
        lot_counts = [c for c in counts if c.lot_id == lot.pk]
        by_product.setdefault(lot.product_id, ProductReconciliation(lot.product)).lots.append(
            LotReconciliation(
                lot=lot,
                opening=_q(lot.opening),
                received=_q(lot.received),
                dispensed=abs(_q(lot.dispensed)),
                wasted=abs(_q(lot.wasted)),
                returned=abs(_q(lot.returned)),
                adjusted=_q(lot.adjusted),
                closing=_q(lot.closing),
                last_count=lot_counts[-1] if lot_counts else None,
                counts_with_discrepancy=[
                    c for c in lot_counts if c.occurred_at >= start and c.discrepancy
                ],
            )
        )
    return by_product


def reconciliation(
    *, membership: Membership, first_day: dt.date, last_day: dt.date
) -> Reconciliation:
    """Opening balance, movements, expected closing and physical counts per lot for the days
    ``first_day``–``last_day`` (clinic time, inclusive), and the period's dispensing and waste
    by patient with each session's account (dispensed − wasted of it − given).
    """
    require(membership, Capability.VIEW_CONTROLLED_SUBSTANCES)
    if last_day < first_day:
        raise ValidationError({"last_day": "The period ends before it starts."})
    start, end = _day_bounds(membership, first_day, last_day)
    lots = _lots_with_movements(membership, start, end)
    counts = list(
        LedgerEntry.objects.filter(
            clinic_id=membership.clinic_id, kind=EntryKind.COUNT, occurred_at__lt=end
        )
        .select_related("recorded_by", "witness")
        .order_by("id")
    )
    by_product = _by_product(lots, counts, start)
    dispensing = list(
        _entry_rows()
        .filter(
            clinic_id=membership.clinic_id,
            kind__in=(EntryKind.DISPENSE, EntryKind.WASTE),
            session__isnull=False,
            occurred_at__gte=start,
            occurred_at__lt=end,
        )
        .order_by("occurred_at", "id")
    )
    _record_patients(
        membership,
        dispensing,
        f"controlled-substance reconciliation {first_day}–{last_day}",
        AuditAction.VIEW,
    )
    return Reconciliation(
        first_day=first_day,
        last_day=last_day,
        products=list(by_product.values()),
        dispensing=dispensing,
        sessions=_session_accounts(dispensing),
    )


# --- export ---------------------------------------------------------------------------------


def ledger_for_export(
    *,
    membership: Membership,
    first_day: dt.date | None = None,
    last_day: dt.date | None = None,
) -> list[LedgerEntry]:
    """Every ledger entry of the clinic (optionally of a period), each with its running lot
    balance as ``running``; an audited export."""
    require(membership, Capability.VIEW_CONTROLLED_SUBSTANCES)
    entries = _with_running_balance(_entry_rows().filter(clinic_id=membership.clinic_id))
    rows = list(entries.order_by("id"))
    for row in rows:
        row.running = _q(getattr(row, "running", 0))  # type: ignore[attr-defined]
    tz = membership.clinic.tzinfo
    if first_day is not None:
        rows = [e for e in rows if e.occurred_at.astimezone(tz).date() >= first_day]
    if last_day is not None:
        rows = [e for e in rows if e.occurred_at.astimezone(tz).date() <= last_day]
    what = "controlled-substance ledger CSV export"
    if first_day or last_day:
        what += f" {first_day or '…'}–{last_day or '…'}"
    patient_ids = [e.patient_id for e in rows if e.patient_id]
    record_access(
        actor=membership.user,
        clinic_id=membership.clinic_id,
        action=AuditAction.EXPORT,
        what=what,
        patient_ids=patient_ids,
        object_type="controlled.ledgerentry",
    )
    return rows


# --- choices for the entry forms ------------------------------------------------------------


def lots_for(
    *,
    membership: Membership,
    purpose: str,
    today: dt.date | None = None,
    sessions: list[TreatmentSession] | None = None,
) -> QuerySet[Any]:
    """Lots to pick from: ``dispense`` (in stock, in date, active product), ``stock`` (in
    stock, any date), ``waste`` (in stock, or dispensed from for one of ``sessions`` — the
    rest of a dose can be wasted after its dispense emptied the lot) or ``any`` (every lot,
    for counts and adjustments)."""
    require(membership, Capability.MANAGE_CONTROLLED_SUBSTANCES)
    today = today or timezone.localdate(timezone=membership.clinic.tzinfo)
    lots = _lots(membership).order_by("product__name", "expiry_date", "lot_number")
    if purpose == "dispense":
        return lots.filter(on_hand__gt=0, expiry_date__gte=today, product__active=True)
    if purpose == "stock":
        return lots.filter(on_hand__gt=0)
    if purpose == "waste":
        dispensed_from = LedgerEntry.objects.filter(
            clinic_id=membership.clinic_id,
            kind=EntryKind.DISPENSE,
            session__in=[s.pk for s in sessions or []],
        ).values("lot_id")
        return lots.filter(Q(on_hand__gt=0) | Q(pk__in=dispensed_from))
    return lots


def products_for_receipt(*, membership: Membership) -> QuerySet[Product]:
    require(membership, Capability.MANAGE_CONTROLLED_SUBSTANCES)
    return Product.objects.filter(clinic_id=membership.clinic_id, active=True)


def witness_candidates(*, membership: Membership) -> QuerySet[User]:
    """Active staff of the clinic, other than the member, whose role may witness."""
    require(membership, Capability.MANAGE_CONTROLLED_SUBSTANCES)
    roles = [
        role
        for role, caps in ROLE_CAPABILITIES.items()
        if Capability.MANAGE_CONTROLLED_SUBSTANCES in caps
    ]
    return (
        User.objects.filter(
            is_active=True,
            memberships__clinic_id=membership.clinic_id,
            memberships__is_active=True,
            memberships__role__in=roles,
        )
        .exclude(pk=membership.user_id)
        .order_by("last_name", "first_name", "username")
    )


@dataclass
class DispensingChoices:
    day: dt.date
    sessions: list[TreatmentSession]
    administrations: list[AdministrationEvent]


def _sessions_of(membership: Membership, day: dt.date) -> QuerySet[TreatmentSession]:
    start, end = _day_bounds(membership, day, day)
    return (
        TreatmentSession.objects.filter(
            clinic_id=membership.clinic_id, scheduled_start__gte=start, scheduled_start__lt=end
        )
        .select_related("patient")
        .order_by("scheduled_start")
    )


def dispensing_choices(*, membership: Membership, day: dt.date) -> DispensingChoices:
    """The day's sessions (and their dosing administration lines) to dispense against; the
    labels name each patient's MRN, so the read is recorded."""
    require(membership, Capability.MANAGE_CONTROLLED_SUBSTANCES)
    sessions = list(
        _sessions_of(membership, day).exclude(
            status__in=(SessionStatus.CANCELLED, SessionStatus.NO_SHOW)
        )
    )
    administrations = list(
        AdministrationEvent.objects.filter(
            session__in=sessions, action__in=_DISPENSING_ACTIONS
        ).select_related("session__patient", "order")
    )
    if sessions:
        record_access(
            actor=membership.user,
            clinic_id=membership.clinic_id,
            action=AuditAction.LIST,
            what=f"controlled-substance dispensing: sessions of {day}",
            patient_ids=[s.patient_id for s in sessions],
        )
    return DispensingChoices(day=day, sessions=sessions, administrations=administrations)


def waste_choices(*, membership: Membership, day: dt.date) -> list[TreatmentSession]:
    """The day's sessions a waste can name: those that may still be dosed, and a cancelled or
    no-show session that had drug dispensed (a patient stood down after the dose was drawn);
    the labels name each patient's MRN, so the read is recorded."""
    require(membership, Capability.MANAGE_CONTROLLED_SUBSTANCES)
    not_dosed = Q(status__in=(SessionStatus.CANCELLED, SessionStatus.NO_SHOW))
    dispensed = LedgerEntry.objects.filter(
        clinic_id=membership.clinic_id, kind=EntryKind.DISPENSE
    ).values("session_id")
    sessions = list(_sessions_of(membership, day).filter(~not_dosed | Q(pk__in=dispensed)))
    if sessions:
        record_access(
            actor=membership.user,
            clinic_id=membership.clinic_id,
            action=AuditAction.LIST,
            what=f"controlled-substance waste: sessions of {day}",
            patient_ids=[s.patient_id for s in sessions],
        )
    return sessions
