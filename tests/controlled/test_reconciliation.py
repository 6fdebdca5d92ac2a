"""Reading the controlled-substance log: inventory, a lot's ledger with its running balance,
the reconciliation report with a discrepancy, and the patient-access events they record."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.audit.models import AuditAction, AuditEvent
from remission.chairside.models import AdministrationEvent, DoseOrder
from remission.controlled import selectors, services
from remission.controlled.models import StockLot
from remission.patients.models import Patient
from remission.scheduling.models import SessionStatus
from tests.world.controlled import (
    DAY,
    clinic_today,
    dosing_session,
    ketamine_vials,
    receive,
    spravato,
)

pytestmark = pytest.mark.django_db
HOUR = dt.timedelta(hours=1)


@pytest.fixture
def nurse(members: dict[str, Membership]) -> Membership:
    return members[Role.NURSE]


@pytest.fixture
def witness(members: dict[str, Membership]) -> Membership:
    return members[Role.PRESCRIBER]


@pytest.fixture
def history(nurse: Membership, witness: Membership, patient: Patient) -> StockLot:
    """One lot over three weeks, in the order recorded (lot balance after each entry):

    - 20 days ago, 100 mL received (100);
    - 15 days ago, 10 mL dispensed for an early session (90);
    - 5 days ago, 5 mL dispensed for a recent session (85), and 2 mL of that dose wasted: the
      2 mL left stock with the dispense, so the waste moves no stock (still 85);
    - 4 days ago, 1 mL of a vial cracked in the safe wasted from stock (84);
    - 3 days ago, 50 mL more delivered (134);
    - today a count finds 130 mL where the ledger expects 134: a discrepancy of −4.

    Over the last ten days: opening 90 (100 − 10), received 50, dispensed 5, wasted from stock
    1 (the 2 mL of the dispensed dose is not stock waste), closing 90 + 50 − 5 − 1 = 134."""
    now = timezone.now()
    product = ketamine_vials(nurse)
    lot = receive(nurse, product, lot="K-100", received_at=now - 20 * DAY)
    early = dosing_session(patient, start=now - 15 * DAY)
    services.dispense(
        membership=nurse, lot=lot, session=early, quantity=Decimal("10"), occurred_at=now - 15 * DAY
    )
    recent = dosing_session(patient, start=now - 5 * DAY)
    services.dispense(
        membership=nurse, lot=lot, session=recent, quantity=Decimal("5"), occurred_at=now - 5 * DAY
    )
    services.record_waste(
        membership=nurse,
        lot=lot,
        quantity=Decimal("2"),
        of_dispensed=True,
        witness=witness.user,
        reason="rest of the dose drawn up",
        session=recent,
        occurred_at=now - 5 * DAY,
    )
    services.record_waste(
        membership=nurse,
        lot=lot,
        quantity=Decimal("1"),
        of_dispensed=False,
        witness=witness.user,
        reason="vial cracked in the safe",
        occurred_at=now - 4 * DAY,
    )
    receive(nurse, product, lot="K-100", quantity="50", received_at=now - 3 * DAY)
    services.record_count(membership=nurse, lot=lot, counted_quantity=Decimal("130"))
    return lot


def _last_ten_days(nurse: Membership) -> tuple[dt.date, dt.date]:
    today = clinic_today(nurse)
    return today - 10 * DAY, today


def test_reconciliation_shows_opening_movements_expected_closing_and_the_discrepancy(
    nurse: Membership, history: StockLot
) -> None:
    first, last = _last_ten_days(nurse)
    report = selectors.reconciliation(membership=nurse, first_day=first, last_day=last)
    [product] = report.products
    [row] = product.lots
    assert row.opening == Decimal("90")
    assert row.received == Decimal("50")
    assert row.dispensed == Decimal("5")
    assert row.wasted == Decimal("1")  # from stock; the 2 mL of the dispensed dose is not
    assert row.returned == 0
    assert row.adjusted == 0
    assert row.expected_closing == Decimal("134")
    assert row.closing == Decimal("134")
    assert row.balanced
    assert row.last_count is not None
    assert row.last_count.counted_quantity == Decimal("130")
    assert row.last_count.discrepancy == Decimal("-4")
    assert row.counts_with_discrepancy == [row.last_count]
    assert row.has_discrepancy and product.has_discrepancy and report.has_discrepancy


def test_an_earlier_period_without_counts_has_no_discrepancy(
    nurse: Membership, history: StockLot
) -> None:
    today = clinic_today(nurse)
    report = selectors.reconciliation(
        membership=nurse, first_day=today - 30 * DAY, last_day=today - 12 * DAY
    )
    [row] = report.products[0].lots
    assert (row.opening, row.received, row.dispensed, row.expected_closing) == (
        0,
        Decimal("100"),
        Decimal("10"),
        Decimal("90"),
    )
    assert row.last_count is None
    assert not report.has_discrepancy


def test_a_witnessed_adjustment_shows_in_the_period_and_the_next_count_agrees(
    nurse: Membership, witness: Membership, history: StockLot
) -> None:
    services.adjust(
        membership=nurse,
        lot=history,
        quantity=Decimal("-4"),
        witness=witness.user,
        reason="4 mL unaccounted for; reported to the registrant",
    )
    services.record_count(membership=nurse, lot=history, counted_quantity=Decimal("130"))
    first, last = _last_ten_days(nurse)
    [row] = (
        selectors.reconciliation(membership=nurse, first_day=first, last_day=last).products[0].lots
    )
    assert row.adjusted == Decimal("-4")
    assert row.expected_closing == Decimal("130")  # 134 − 4
    assert row.last_count is not None and row.last_count.discrepancy == 0
    assert len(row.counts_with_discrepancy) == 1  # the earlier count stays on record


def test_reconciliation_lists_dispensing_by_patient_and_records_each_access(
    nurse: Membership, history: StockLot, patient: Patient
) -> None:
    first, last = _last_ten_days(nurse)
    report = selectors.reconciliation(membership=nurse, first_day=first, last_day=last)
    # The waste of the dispensed dose names the session; the cracked vial does not.
    assert [(e.kind, e.of_dispensed_dose, e.patient.mrn) for e in report.dispensing] == [
        ("dispense", False, "A-0001"),
        ("waste", True, "A-0001"),
    ]
    [account] = report.sessions  # the recent session, still dosing: not judged yet
    assert (account.dispensed_mg, account.wasted_mg) == (Decimal("250"), Decimal("100"))
    assert account.unaccounted_mg is None
    event = AuditEvent.objects.filter(
        action=AuditAction.VIEW, patient_id=patient.pk, summary__contains="reconciliation"
    ).get()
    assert event.actor_id == nurse.user.pk


def test_a_period_that_ends_before_it_starts_is_refused(nurse: Membership) -> None:
    today = clinic_today(nurse)
    with pytest.raises(ValidationError, match="ends before"):
        selectors.reconciliation(membership=nurse, first_day=today, last_day=today - DAY)


def test_the_lot_ledger_recomputes_the_running_balance_and_finds_it_intact(
    nurse: Membership, history: StockLot, patient: Patient
) -> None:
    ledger = selectors.lot_ledger(membership=nurse, lot_id=history.pk)
    assert [row.running_balance for row in ledger.rows] == [
        Decimal("100"),
        Decimal("90"),
        Decimal("85"),
        Decimal("85"),  # waste of the dispensed dose: no stock moved
        Decimal("84"),
        Decimal("134"),
        Decimal("134"),
    ]
    assert [row.entry.balance_after for row in ledger.rows] == [
        row.running_balance for row in ledger.rows
    ]
    assert ledger.intact
    assert ledger.on_hand == Decimal("134")
    assert ledger.on_hand_mg == Decimal("6700")  # 134 mL × 50 mg/mL
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW, patient_id=patient.pk, summary__contains="lot K-100"
    ).exists()


def test_a_tampered_balance_snapshot_is_detected(nurse: Membership, history: StockLot) -> None:
    from django.db import connection

    with connection.cursor() as cursor:  # what someone editing the database file might do
        cursor.execute(
            "UPDATE controlled_ledgerentry SET quantity = -3 WHERE lot_id = %s AND kind = %s"
            " AND dispensed_wasted IS NULL",
            [history.pk, "waste"],
        )
    ledger = selectors.lot_ledger(membership=nurse, lot_id=history.pk)
    assert not ledger.intact
    assert [row.consistent for row in ledger.rows].count(False) >= 1


def test_inventory_sums_lots_per_product_and_flags_expiry_and_discrepancies(
    nurse: Membership, history: StockLot
) -> None:
    today = clinic_today(nurse)
    devices = spravato(nurse)
    soon = receive(nurse, devices, lot="SPR-1", quantity="6", expiry=today + 20 * DAY)
    receive(nurse, devices, lot="SPR-2", quantity="4", expiry=today + 300 * DAY)
    inv = selectors.inventory(membership=nurse)
    stock = {p.product.name: p for p in inv.products}
    assert stock["SPRAVATO 28 mg device"].on_hand == Decimal("10")
    assert stock["SPRAVATO 28 mg device"].on_hand_mg == Decimal("280")
    assert stock["Ketamine HCl 50 mg/mL"].on_hand == Decimal("134")
    assert [s.lot for s in inv.expiring] == [soon]
    assert [s.lot for s in inv.discrepancies] == [history]
    assert inv.discrepancies[0].count_discrepancy == Decimal("-4")


def test_an_empty_lot_is_hidden_from_the_inventory_unless_asked_for(
    nurse: Membership, witness: Membership
) -> None:
    lot = receive(nurse, ketamine_vials(nurse), quantity="1")
    services.return_stock(membership=nurse, lot=lot, quantity=Decimal("1"), reference="RA-1")
    assert selectors.inventory(membership=nurse).products[0].lots == []
    assert [
        s.lot for s in selectors.inventory(membership=nurse, include_empty=True).products[0].lots
    ] == [lot]


def test_a_lot_of_another_clinic_answers_404(nurse: Membership, outsider: Membership) -> None:
    foreign = receive(outsider, ketamine_vials(outsider), lot="B-1")
    with pytest.raises(Http404):
        selectors.lot_ledger(membership=nurse, lot_id=foreign.pk)
    with pytest.raises(Http404):
        selectors.lot_ledger(membership=nurse, lot_id="not-a-number")


@pytest.mark.parametrize("role", [Role.THERAPIST, Role.FRONT_DESK])
def test_roles_without_the_view_capability_cannot_read_the_log(
    role: str, members: dict[str, Membership], history: StockLot
) -> None:
    member = members[role]
    today = clinic_today(member)
    with pytest.raises(PermissionDenied):
        selectors.inventory(membership=member)
    with pytest.raises(PermissionDenied):
        selectors.lot_ledger(membership=member, lot_id=history.pk)
    with pytest.raises(PermissionDenied):
        selectors.reconciliation(membership=member, first_day=today, last_day=today)
    with pytest.raises(PermissionDenied):
        selectors.ledger_for_export(membership=member)


def test_the_clinic_admin_reads_the_log_but_gets_no_entry_choices(
    members: dict[str, Membership], history: StockLot
) -> None:
    admin = members[Role.CLINIC_ADMIN]
    assert selectors.lot_ledger(membership=admin, lot_id=history.pk).on_hand == Decimal("134")
    with pytest.raises(PermissionDenied):
        selectors.lots_for(membership=admin, purpose="dispense")


def test_the_export_is_an_audited_read_of_every_patient_in_it(
    nurse: Membership, history: StockLot, patient: Patient
) -> None:
    rows = selectors.ledger_for_export(membership=nurse)
    assert len(rows) == 7
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, patient_id=patient.pk).exists()
    first, last = _last_ten_days(nurse)
    in_period = selectors.ledger_for_export(membership=nurse, first_day=first, last_day=last)
    assert [e.kind for e in in_period] == ["dispense", "waste", "waste", "receipt", "count"]
    assert [e.running for e in in_period] == [
        Decimal("85"),
        Decimal("85"),
        Decimal("84"),
        Decimal("134"),
        Decimal("134"),
    ]


def test_witness_candidates_are_other_active_staff_who_may_manage_the_log(
    nurse: Membership, members: dict[str, Membership], outsider: Membership
) -> None:
    names = set(selectors.witness_candidates(membership=nurse).values_list("username", flat=True))
    assert names == {"medical_director-alpha", "prescriber-alpha"}


def test_dispensing_choices_offer_todays_sessions_and_record_the_access(
    nurse: Membership, patient: Patient
) -> None:
    session = dosing_session(patient)
    dosing_session(patient, status="cancelled")
    dosing_session(patient, start=timezone.now() - 3 * DAY)
    choices = selectors.dispensing_choices(membership=nurse, day=clinic_today(nurse))
    assert choices.sessions == [session]
    assert AuditEvent.objects.naming(patient.pk).filter(action=AuditAction.LIST).exists()


def _session_with(
    nurse: Membership,
    witness: Membership,
    patient: Patient,
    lot: StockLot,
    status: str,
    *,
    given: str | None,
    wasted: str | None,
    of_dispensed: bool = True,
) -> Any:
    """A session 2 hours ago with 1 mL (50 mg) of ``lot`` dispensed, then set to ``status``;
    ``given`` mg injected an hour ago, ``wasted`` mL wasted (of the dose, or from stock)."""
    now = timezone.now()
    session = dosing_session(patient, start=now - 2 * HOUR, status=SessionStatus.PRE_DOSE)
    services.dispense(membership=nurse, lot=lot, session=session, quantity=Decimal("1"))
    session.status = status
    session.save(update_fields=["status"])
    if given is not None:
        order = DoseOrder.objects.create(
            session=session,
            recorded_by=witness.user,
            drug="ketamine hydrochloride (racemic)",
            route="im_racemic",
            dose_mg=Decimal(given),
        )
        AdministrationEvent.objects.create(
            session=session,
            recorded_by=nurse.user,
            order=order,
            action="injection",
            at=now - HOUR,
            dose_mg=Decimal(given),
        )
    if wasted is not None:
        services.record_waste(
            membership=nurse,
            lot=lot,
            quantity=Decimal(wasted),
            of_dispensed=of_dispensed,
            witness=witness.user,
            reason="rest of the syringe" if of_dispensed else "vial dropped while preparing",
            session=session,
        )
    return session


def test_each_session_accounts_for_what_was_dispensed_as_wasted_or_given(
    nurse: Membership, witness: Membership, patient: Patient, client: Any
) -> None:
    """50 mg drawn for a 41 mg injection: 9 mg (0.18 mL) of it wasted balances it; no waste
    leaves 9 mg to review; a stood-down patient's 1 mL is wasted whole; an open session is
    not judged yet. Four mL dispensed from the 100 mL lot and no waste from stock: 96 mL."""
    lot = receive(nurse, ketamine_vials(nurse), lot="K-200")

    balanced = _session_with(
        nurse, witness, patient, lot, SessionStatus.DISCHARGED, given="41", wasted="0.18"
    )
    unwasted = _session_with(
        nurse, witness, patient, lot, SessionStatus.OBSERVING, given="41", wasted=None
    )
    stood_down = _session_with(
        nurse, witness, patient, lot, SessionStatus.CANCELLED, given=None, wasted="1"
    )
    still_dosing = _session_with(
        nurse, witness, patient, lot, SessionStatus.DOSING, given="41", wasted=None
    )

    today = clinic_today(nurse)
    report = selectors.reconciliation(membership=nurse, first_day=today, last_day=today)
    accounts = {a.session.pk: a for a in report.sessions}
    assert (accounts[balanced.pk].dispensed_mg, accounts[balanced.pk].wasted_mg) == (50, 9)
    assert accounts[balanced.pk].unaccounted_mg == Decimal("0")  # 50 − 9 − 41
    assert accounts[unwasted.pk].unaccounted_mg == Decimal("9")  # 50 − 0 − 41
    assert accounts[stood_down.pk].unaccounted_mg == Decimal("0")  # 50 − 50 − 0
    assert accounts[still_dosing.pk].unaccounted_mg is None
    assert [a.session.pk for a in report.sessions_to_review] == [unwasted.pk]
    [row] = report.products[0].lots
    assert (row.dispensed, row.wasted, row.closing) == (4, 0, 96)
    assert services.lot_balance(lot) == Decimal("96")

    client.force_login(nurse.user)
    page = client.get(f"/c/alpha/controlled/reconciliation/?first_day={today}&last_day={today}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "1 session with drug dispensed but neither wasted nor given" in html
    assert html.count('class="tag tag-warn">review</span>') == 1
    assert "wasted 0.18 mL of the dose dispensed (stock unchanged)" in html
    assert "wasted 1 mL of the dose dispensed (stock unchanged)" in html


def test_waste_from_stock_naming_a_session_does_not_account_for_its_dose(
    nurse: Membership, witness: Membership, patient: Patient
) -> None:
    """1 mL (50 mg) dispensed, 41 mg given, and 0.18 mL of a vial dropped while preparing
    wasted from stock with the session named: the stock waste lowers the lot (100 − 1 − 0.18 =
    98.82) and shows in the lot's wasted column, but the 9 mg left of the dose is still not
    accounted for, so the session is to review."""
    lot = receive(nurse, ketamine_vials(nurse), lot="K-300")
    session = _session_with(
        nurse,
        witness,
        patient,
        lot,
        SessionStatus.DISCHARGED,
        given="41",
        wasted="0.18",
        of_dispensed=False,
    )
    today = clinic_today(nurse)
    report = selectors.reconciliation(membership=nurse, first_day=today, last_day=today)
    [account] = report.sessions
    assert account.session == session
    assert (account.dispensed_mg, account.wasted_mg) == (Decimal("50"), Decimal("0"))
    assert account.unaccounted_mg == Decimal("9") and account.needs_review
    [row] = report.products[0].lots
    assert (row.dispensed, row.wasted, row.closing) == (1, Decimal("0.18"), Decimal("98.82"))
    assert row.balanced


def test_a_session_with_only_stock_waste_named_has_no_account(
    nurse: Membership, witness: Membership, patient: Patient
) -> None:
    lot = receive(nurse, ketamine_vials(nurse), lot="K-400")
    session = dosing_session(patient)
    services.record_waste(
        membership=nurse,
        lot=lot,
        quantity=Decimal("1"),
        of_dispensed=False,
        witness=witness.user,
        reason="vial dropped before anything was drawn",
        session=session,
    )
    today = clinic_today(nurse)
    report = selectors.reconciliation(membership=nurse, first_day=today, last_day=today)
    assert [e.session for e in report.dispensing] == [session]
    assert report.sessions == []
