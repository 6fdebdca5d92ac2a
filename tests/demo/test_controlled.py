"""The demo's controlled-substance log: products and the lots the MAR names, received before
their first use; a dispense for every charted dose and witnessed waste that accounts for every
finished session; weekly counts with one discrepancy and its adjustment; stock for today; intact
ledgers; the same rows for the same seed.

One small demo is built for the module (twice, to compare the two builds), inside a transaction
that is rolled back at the end."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from remission.accounts.models import Membership
from remission.accounts.roles import ROLE_CAPABILITIES, Capability, Role
from remission.audit.models import AuditAction, AuditEvent
from remission.chairside.models import AdministrationAction, AdministrationEvent
from remission.chairside.selectors import DOSE_COMPLETE_STATUSES
from remission.clinical.routes import RouteFamily
from remission.clinics.models import Clinic
from remission.controlled import selectors, services
from remission.controlled.models import Drug, EntryKind, LedgerEntry, Product, StockLot
from remission.demo.builder import build_demo
from remission.scheduling.models import SessionStatus, TreatmentSession

pytestmark = pytest.mark.django_db
PATIENTS, SEED = 24, 11
DISPENSING = (
    AdministrationAction.START,
    AdministrationAction.INJECTION,
    AdministrationAction.DEVICE,
)
MANAGERS = {
    role
    for role, caps in ROLE_CAPABILITIES.items()
    if Capability.MANAGE_CONTROLLED_SUBSTANCES in caps
}


@dataclass(frozen=True)
class Demo:
    now: dt.datetime
    first_build: list[tuple[Any, ...]]
    second_build: list[tuple[Any, ...]]


def _ledger_rows() -> list[tuple[Any, ...]]:
    """Every ledger row in id order, by what it says (not by database ids)."""
    rows = []
    entries = LedgerEntry.objects.select_related(
        "lot__product", "recorded_by", "witness", "patient", "administration", "corrects"
    ).order_by("id")
    for e in entries:
        rows.append(
            (
                e.lot.product.name,
                e.lot.lot_number,
                e.lot.expiry_date,
                e.kind,
                e.quantity,
                e.quantity_mg,
                e.balance_after,
                e.occurred_at,
                e.recorded_at,
                e.recorded_by.username,
                e.witness.username if e.witness else None,
                e.witness_verification,
                e.reason,
                e.reference,
                e.patient.mrn if e.patient else None,
                str(e.session_id) if e.session_id else None,
                (e.administration.action, e.administration.at) if e.administration else None,
                e.counted_quantity,
                e.expected_quantity,
                (e.corrects.kind, e.corrects.occurred_at) if e.corrects else None,
            )
        )
    return rows


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Demo]:
    now = timezone.now().replace(second=0, microsecond=0)
    with django_db_blocker.unblock(), transaction.atomic():
        with transaction.atomic():
            build_demo(patients=PATIENTS, seed=SEED, now=now)
            first = _ledger_rows()
            transaction.set_rollback(True)
        build_demo(patients=PATIENTS, seed=SEED, now=now)
        yield Demo(now=now, first_build=first, second_build=_ledger_rows())
        transaction.set_rollback(True)


@pytest.fixture
def director(demo: Demo) -> Membership:
    return Membership.objects.select_related("clinic", "user").get(
        clinic__slug="demo", role=Role.MEDICAL_DIRECTOR
    )


def _today(director: Membership, demo: Demo) -> dt.date:
    return demo.now.astimezone(director.clinic.tzinfo).date()


def _dosed_events(demo: Demo) -> list[AdministrationEvent]:
    return list(
        AdministrationEvent.objects.filter(
            session__clinic__slug="demo", action__in=DISPENSING, at__lte=demo.now
        ).select_related("session", "order")
    )


def test_demo_stocks_ketamine_vials_and_spravato_devices_with_every_lot_the_mar_names(
    demo: Demo, director: Membership
) -> None:
    products = {p.drug: p for p in Product.objects.filter(clinic=director.clinic)}
    assert set(products) == {Drug.KETAMINE, Drug.ESKETAMINE}
    ketamine, spravato = products[Drug.KETAMINE], products[Drug.ESKETAMINE]
    assert (ketamine.form, ketamine.unit, ketamine.mg_per_unit) == ("vial", "mL", Decimal(50))
    assert (ketamine.strength, ketamine.ndc) == ("500 mg/10 mL", "0143-9508-10")
    assert (spravato.form, spravato.unit, spravato.mg_per_unit) == ("nasal_device", "device", 28)

    lots = {(lot.lot_number, lot.expiry_date): lot for lot in StockLot.objects.all()}
    charted = {(e.lot_number, e.expiry) for e in _dosed_events(demo)}
    assert charted and charted <= set(lots)
    assert not Clinic.objects.get(slug="north").controlled_products.exists()
    for lot in lots.values():
        entries = list(lot.entries.order_by("id"))
        receipts = [e for e in entries if e.kind == EntryKind.RECEIPT]
        assert entries[0] == receipts[0]
        assert lot.received_at == receipts[0].occurred_at
        assert lot.received_quantity == receipts[0].quantity
        assert lot.supplier and all(r.reference.startswith("INV-") for r in receipts)
        assert all(r.quantity % (10 if lot.product.unit == "mL" else 3) == 0 for r in receipts)
        used = [e.occurred_at for e in entries if e.kind == EntryKind.DISPENSE]
        assert not used or lot.received_at < min(used)


def test_every_demo_lot_ledger_is_intact_and_every_entry_audited(
    demo: Demo, director: Membership
) -> None:
    for lot in StockLot.objects.filter(clinic=director.clinic):
        ledger = selectors.lot_ledger(membership=director, lot_id=lot.pk)
        assert ledger.intact, lot
        assert ledger.rows[-1].running_balance == ledger.on_hand >= 0
        assert [r.entry.occurred_at for r in ledger.rows] == sorted(
            r.entry.occurred_at for r in ledger.rows
        )
    audited = set(
        AuditEvent.objects.filter(
            action=AuditAction.CREATE, object_type="controlled.ledgerentry"
        ).values_list("object_id", flat=True)
    )
    assert audited == {str(pk) for pk in LedgerEntry.objects.values_list("pk", flat=True)}
    for entry in LedgerEntry.objects.filter(witness__isnull=False).select_related("witness"):
        assert entry.witness_id != entry.recorded_by_id
        role = entry.witness.memberships.get(clinic=director.clinic).role
        assert role in MANAGERS


def test_every_dose_charted_in_the_demo_is_dispensed_and_accounted_for(
    demo: Demo, director: Membership
) -> None:
    events = _dosed_events(demo)
    dispensed = {
        e.administration_id: e
        for e in LedgerEntry.objects.filter(kind=EntryKind.DISPENSE).select_related("lot__product")
    }
    for event in events:
        entry = dispensed[event.pk]
        assert entry.session_id == event.session_id
        assert entry.patient_id == event.session.patient_id
        assert entry.lot.lot_number == event.lot_number
        assert entry.quantity < 0 and entry.quantity == entry.quantity.to_integral_value()
        if event.action != AdministrationAction.DEVICE:
            assert -entry.quantity_mg >= event.order.dose_mg
    assert len(dispensed) == len(events)

    first_day = min(StockLot.objects.values_list("received_at", flat=True))
    report = selectors.reconciliation(
        membership=director,
        first_day=first_day.astimezone(director.clinic.tzinfo).date(),
        last_day=_today(director, demo),
    )
    assert report.sessions_to_review == []
    accounts = {a.session.pk: a for a in report.sessions}
    finished = {e.session_id for e in events if e.session.status in DOSE_COMPLETE_STATUSES}
    assert finished and finished <= set(accounts)
    for session_id in finished:
        assert abs(accounts[session_id].unaccounted_mg or 0) < Decimal("0.5")
    wasted = LedgerEntry.objects.filter(kind=EntryKind.WASTE)
    assert wasted.exists()
    assert not wasted.filter(lot__product__drug=Drug.ESKETAMINE).exists()


def test_the_demos_waste_is_of_the_dispensed_dose_and_leaves_stock_as_it_is(
    demo: Demo, director: Membership
) -> None:
    """The rest of a syringe or of a stopped infusion's bag left stock with its dispense: each
    waste names its session, moves no stock and stays within what that session was dispensed
    from that lot; so every lot holds exactly receipts − dispensed − returned + adjustments."""
    wasted = list(LedgerEntry.objects.filter(kind=EntryKind.WASTE))
    assert wasted
    for entry in wasted:
        assert entry.of_dispensed_dose, entry
        assert (entry.quantity, entry.quantity_mg) == (0, 0)
        assert entry.dispensed_wasted > 0 and entry.session_id and entry.administration_id
        assert entry.dispensed_wasted_mg == entry.dispensed_wasted * 50
    by_dose: dict[tuple[Any, Any], Decimal] = {}
    for entry in wasted:
        key = (entry.lot_id, entry.session_id)
        by_dose[key] = by_dose.get(key, Decimal(0)) + (entry.dispensed_wasted or 0)
    for (lot_id, session_id), total in by_dose.items():
        dispensed = -sum(
            LedgerEntry.objects.filter(
                lot_id=lot_id, session_id=session_id, kind=EntryKind.DISPENSE
            ).values_list("quantity", flat=True),
            Decimal(0),
        )
        assert 0 < total <= dispensed
    for lot in StockLot.objects.filter(clinic=director.clinic):
        moved: dict[str, Decimal] = {}
        for kind, quantity in lot.entries.values_list("kind", "quantity"):
            moved[kind] = moved.get(kind, Decimal(0)) + quantity
        physical = sum(
            (moved.get(k, Decimal(0)) for k in ("receipt", "dispense", "return", "adjustment")),
            Decimal(0),
        )
        assert services.lot_balance(lot) == physical, lot


def test_weekly_counts_agree_but_one_some_weeks_ago_which_an_adjustment_explains(
    demo: Demo, director: Membership
) -> None:
    today = _today(director, demo)
    first_day = today - dt.timedelta(days=200)
    report = selectors.reconciliation(membership=director, first_day=first_day, last_day=today)
    assert all(lot.balanced for product in report.products for lot in product.lots)
    short = [c for p in report.products for lot in p.lots for c in lot.counts_with_discrepancy]
    assert len(short) == 1
    count = short[0]
    assert count.discrepancy == Decimal("-0.5")
    assert 14 <= (today - count.occurred_at.astimezone(director.clinic.tzinfo).date()).days <= 20
    adjustment = LedgerEntry.objects.get(kind=EntryKind.ADJUSTMENT)
    assert adjustment.corrects == count
    assert adjustment.lot_id == count.lot_id and adjustment.quantity == Decimal("-0.5")
    assert adjustment.witness_id and adjustment.witness_id != adjustment.recorded_by_id
    assert "0.5 mL short" in adjustment.reason
    recount = LedgerEntry.objects.filter(lot_id=count.lot_id, id__gt=adjustment.id).first()
    assert recount is not None and recount.kind == EntryKind.COUNT and recount.discrepancy == 0
    counts = LedgerEntry.objects.filter(kind=EntryKind.COUNT)
    assert counts.count() > 10
    assert {c.occurred_at.astimezone(director.clinic.tzinfo).weekday() for c in counts} <= {0, 1}
    stock = selectors.inventory(membership=director, today=today)
    assert stock.discrepancies == []
    assert stock.expired_in_stock == []


def test_the_demo_holds_unexpired_stock_for_todays_sessions(
    demo: Demo, director: Membership
) -> None:
    today = _today(director, demo)
    lots = list(selectors.lots_for(membership=director, purpose="dispense", today=today))
    on_hand: dict[str, Decimal] = {Drug.KETAMINE: Decimal(0), Drug.ESKETAMINE: Decimal(0)}
    for lot in lots:
        assert lot.expiry_date >= today and lot.on_hand > 0
        on_hand[lot.product.drug] += lot.on_hand
    need: dict[str, Decimal] = {Drug.KETAMINE: Decimal(0), Drug.ESKETAMINE: Decimal(0)}
    sessions = (
        TreatmentSession.objects.filter(clinic=director.clinic, course__isnull=False)
        .exclude(status__in=(SessionStatus.CANCELLED, SessionStatus.NO_SHOW))
        .select_related("course")
        .prefetch_related("orders", "administration")
    )
    for session in sessions:
        if session.scheduled_start.astimezone(director.clinic.tzinfo).date() != today:
            continue
        dosed = [e for e in session.administration.all() if e.action in DISPENSING]
        order = max(session.orders.all(), key=lambda o: o.recorded_at, default=None)
        if session.course.route == RouteFamily.ESKETAMINE_NASAL:
            need[Drug.ESKETAMINE] += (order.devices if order else 3) - len(dosed)
        elif not dosed:
            dose = order.dose_mg if order else Decimal(100)
            need[Drug.KETAMINE] += (dose / 50).to_integral_value(rounding=ROUND_CEILING)
    for drug in (Drug.KETAMINE, Drug.ESKETAMINE):
        assert on_hand[drug] > 0
        assert on_hand[drug] >= need[drug]


def test_two_demo_builds_with_the_same_seed_write_the_same_ledger(demo: Demo) -> None:
    assert len(demo.first_build) > 100
    assert demo.first_build == demo.second_build


def test_a_count_through_the_service_agrees_with_every_demo_lot(
    demo: Demo, director: Membership
) -> None:
    nurse = Membership.objects.get(clinic=director.clinic, role=Role.NURSE)
    for lot in selectors.lots_for(membership=nurse, purpose="stock"):
        last = lot.entries.order_by("-id").first()
        count = services.record_count(membership=nurse, lot=lot, counted_quantity=lot.on_hand)
        assert count.discrepancy == 0
        assert count.expected_quantity == last.balance_after == services.lot_balance(lot)
        assert selectors.lot_ledger(membership=nurse, lot_id=lot.pk).intact
