"""The controlled-substance ledger's services: receipts, dispensing, returns, counts and
adjustments, who may write, and the audit trail."""

from __future__ import annotations

import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.audit.models import AuditAction, AuditEvent
from remission.controlled import services
from remission.controlled.models import (
    EntryKind,
    LedgerEntry,
    Product,
    StockLot,
)
from remission.patients.models import Patient
from remission.scheduling.models import SessionStatus, TreatmentSession
from tests.world import make_member
from tests.world.controlled import (
    DAY,
    clinic_today,
    dosing_session,
    ketamine_vials,
    ordered_and_started,
    receive,
    spravato,
)

pytestmark = pytest.mark.django_db


def _message(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(exc.value.messages)


# --- receipts and balance arithmetic ---------------------------------------------------------


def test_a_receipt_opens_the_lot_with_a_positive_entry_in_units_and_mg(
    nurse: Membership, lot: StockLot
) -> None:
    entry = lot.entries.get()
    assert entry.kind == EntryKind.RECEIPT
    assert entry.quantity == Decimal("100.000")
    assert entry.quantity_mg == Decimal("5000.000")  # 100 mL × 50 mg/mL
    assert entry.balance_after == Decimal("100.000")
    assert entry.reference == "INV-1001"
    assert lot.received_by == nurse.user
    assert services.lot_balance(lot) == Decimal("100")


def test_the_balance_is_the_exact_decimal_sum_of_receipts_dispensing_and_stock_waste(
    nurse: Membership, prescriber: Membership, lot: StockLot, session: TreatmentSession
) -> None:
    """100 in; 1 mL drawn for a 41.2 mg dose (99); 0.176 mL of that syringe wasted — drug that
    left stock with the dispense, so still 99; 0.25 mL of a cracked vial wasted from stock
    (98.75); 10.5 mL more in (109.25); 9.25 mL drawn (100)."""
    services.dispense(membership=nurse, lot=lot, session=session, quantity=Decimal("1"))
    services.record_waste(
        membership=nurse,
        lot=lot,
        quantity=Decimal("0.176"),
        of_dispensed=True,
        session=session,
        witness=prescriber.user,
        reason="rest of the drawn-up dose",
    )
    services.record_waste(
        membership=nurse,
        lot=lot,
        quantity=Decimal("0.25"),
        of_dispensed=False,
        witness=prescriber.user,
        reason="vial cracked in the safe",
    )
    receive(nurse, lot.product, lot="K-001", quantity="10.5")
    services.dispense(membership=nurse, lot=lot, session=session, quantity=Decimal("9.25"))
    assert services.lot_balance(lot) == Decimal("100.000")
    balances = list(lot.entries.order_by("id").values_list("balance_after", flat=True))
    assert balances == [
        Decimal("100.000"),
        Decimal("99.000"),
        Decimal("99.000"),
        Decimal("98.750"),
        Decimal("109.250"),
        Decimal("100.000"),
    ]


def test_a_second_delivery_of_a_lot_adds_a_receipt_to_the_same_lot(
    nurse: Membership, lot: StockLot
) -> None:
    again = receive(nurse, lot.product, lot="k-001", quantity="20", expiry=lot.expiry_date)
    assert again.pk == lot.pk
    assert StockLot.objects.count() == 1
    assert services.lot_balance(lot) == Decimal("120")
    assert lot.entries.filter(kind=EntryKind.RECEIPT).count() == 2


def test_a_second_delivery_with_another_expiry_is_refused(nurse: Membership, lot: StockLot) -> None:
    with pytest.raises(ValidationError) as exc:
        receive(nurse, lot.product, lot="K-001", expiry=lot.expiry_date + DAY)
    assert "check the package" in _message(exc)


def test_receiving_an_already_expired_lot_is_refused(nurse: Membership, vials: Product) -> None:
    with pytest.raises(ValidationError) as exc:
        receive(nurse, vials, expiry=clinic_today(nurse) - DAY)
    assert "expired" in _message(exc)
    assert not StockLot.objects.exists()


def test_a_receipt_needs_the_invoice_or_dea_222_reference(
    nurse: Membership, vials: Product
) -> None:
    with pytest.raises(ValidationError) as exc:
        services.receive_stock(
            membership=nurse,
            product=vials,
            lot_number="K-9",
            expiry_date=clinic_today(nurse) + 30 * DAY,
            quantity=Decimal("10"),
            supplier="Example Wholesale",
            reference="  ",
        )
    assert "DEA Form 222" in _message(exc)


def test_a_retired_product_cannot_be_received(nurse: Membership, vials: Product) -> None:
    services.set_product_active(membership=nurse, product=vials, active=False)
    with pytest.raises(ValidationError, match="retired"):
        receive(nurse, vials)


def test_quantities_are_refused_when_zero_negative_or_finer_than_a_thousandth(
    nurse: Membership, vials: Product
) -> None:
    for bad in ("0", "-5", "1.0005", "NaN"):
        with pytest.raises(ValidationError):
            receive(nurse, vials, quantity=bad)
    assert not LedgerEntry.objects.exists()


def test_esketamine_is_only_stocked_as_a_nasal_device(nurse: Membership) -> None:
    with pytest.raises(ValidationError, match="nasal device"):
        services.add_product(
            membership=nurse,
            name="Esketamine vial",
            drug="esketamine",
            form="vial",
            strength="?",
            mg_per_unit=Decimal("28"),
        )
    device = spravato(nurse)
    assert device.unit == "device"


def test_product_names_are_unique_within_a_clinic(nurse: Membership, vials: Product) -> None:
    with pytest.raises(ValidationError, match="already exists"):
        ketamine_vials(nurse, name=vials.name.upper())


# --- dispensing ------------------------------------------------------------------------------


def test_dispensing_links_the_entry_to_the_session_patient_and_administration(
    nurse: Membership, lot: StockLot, session: TreatmentSession, patient: Patient
) -> None:
    event = ordered_and_started(session, nurse, lot_number="K-001")
    entry = services.dispense(
        membership=nurse, lot=lot, session=session, administration=event, quantity=Decimal("0.82")
    )
    assert entry.kind == EntryKind.DISPENSE
    assert entry.quantity == Decimal("-0.820")
    assert entry.quantity_mg == Decimal("-41.000")
    assert (entry.patient, entry.session, entry.administration) == (patient, session, event)
    assert services.lot_balance(lot) == Decimal("99.180")


def test_dispensing_more_than_the_lot_holds_is_refused_and_changes_nothing(
    nurse: Membership, lot: StockLot, session: TreatmentSession
) -> None:
    with pytest.raises(ValidationError) as exc:
        services.dispense(membership=nurse, lot=lot, session=session, quantity=Decimal("100.001"))
    assert "holds 100 mL" in _message(exc)
    assert services.lot_balance(lot) == Decimal("100")
    assert lot.entries.count() == 1


def test_an_expired_lot_cannot_be_dispensed(
    nurse: Membership, vials: Product, session: TreatmentSession
) -> None:
    old = receive(
        nurse,
        vials,
        lot="OLD-1",
        expiry=clinic_today(nurse) - 2 * DAY,
        received_at=timezone.now() - 100 * DAY,
    )
    with pytest.raises(ValidationError) as exc:
        services.dispense(membership=nurse, lot=old, session=session, quantity=Decimal("1"))
    assert "expired" in _message(exc)


def test_a_lot_of_another_clinic_cannot_be_dispensed(
    nurse: Membership, outsider: Membership, session: TreatmentSession
) -> None:
    foreign = receive(outsider, ketamine_vials(outsider), lot="B-1")
    with pytest.raises(ValidationError, match="another clinic"):
        services.dispense(membership=nurse, lot=foreign, session=session, quantity=Decimal("1"))
    assert services.lot_balance(foreign) == Decimal("100")


def test_dispensing_for_a_session_of_another_clinic_is_refused(
    outsider: Membership, session: TreatmentSession
) -> None:
    their_lot = receive(outsider, ketamine_vials(outsider), lot="B-1")
    with pytest.raises(ValidationError, match="another clinic"):
        services.dispense(
            membership=outsider, lot=their_lot, session=session, quantity=Decimal("1")
        )


def test_a_cancelled_session_cannot_be_dispensed_for(
    nurse: Membership, lot: StockLot, patient: Patient
) -> None:
    cancelled = dosing_session(patient, status=SessionStatus.CANCELLED)
    with pytest.raises(ValidationError, match="cancelled"):
        services.dispense(membership=nurse, lot=lot, session=cancelled, quantity=Decimal("1"))


def test_the_lot_must_match_the_lot_charted_on_the_administration_record(
    nurse: Membership, lot: StockLot, session: TreatmentSession
) -> None:
    event = ordered_and_started(session, nurse, lot_number="OTHER-7")
    with pytest.raises(ValidationError, match="names lot OTHER-7"):
        services.dispense(
            membership=nurse, lot=lot, session=session, administration=event, quantity=Decimal("1")
        )


def test_an_administration_of_another_session_cannot_be_linked(
    nurse: Membership, lot: StockLot, session: TreatmentSession, patient: Patient
) -> None:
    other = ordered_and_started(dosing_session(patient), nurse)
    with pytest.raises(ValidationError, match="another session"):
        services.dispense(
            membership=nurse, lot=lot, session=session, administration=other, quantity=Decimal("1")
        )


def test_the_drug_dispensed_must_be_the_drug_ordered(
    nurse: Membership, session: TreatmentSession
) -> None:
    devices = receive(nurse, spravato(nurse), lot="SPR-1", quantity="6")
    ordered_and_started(session, nurse, route="iv_racemic")
    with pytest.raises(ValidationError, match="order is for ketamine"):
        services.dispense(membership=nurse, lot=devices, session=session, quantity=Decimal("2"))


def test_dispensing_for_an_administration_line_converts_the_ordered_dose(
    nurse: Membership, lot: StockLot, session: TreatmentSession
) -> None:
    event = ordered_and_started(session, nurse, lot_number="K-001", dose_mg="41.2")
    entry = services.dispense_for_administration(membership=nurse, administration=event, lot=lot)
    assert (entry.quantity, entry.quantity_mg) == (Decimal("-0.824"), Decimal("-41.200"))
    assert entry.occurred_at == event.at
    assert entry.session == session


def test_one_nasal_device_given_dispenses_one_device(
    nurse: Membership, session: TreatmentSession
) -> None:
    devices = receive(nurse, spravato(nurse), lot="SPR-1", quantity="6")
    event = ordered_and_started(session, nurse, route="esketamine_nasal", dose_mg="56")
    event.action, event.dose_mg = "device", Decimal("28")
    event.save()
    entry = services.dispense_for_administration(
        membership=nurse, administration=event, lot=devices
    )
    assert entry.quantity == Decimal("-1")
    assert services.lot_balance(devices) == Decimal("5")


def test_quantity_for_dose_converts_mg_to_the_products_unit(vials: Product) -> None:
    assert services.quantity_for_dose(product=vials, dose_mg=Decimal("41.2")) == Decimal("0.824")


def test_a_return_to_the_supplier_needs_a_reference_and_reduces_stock(
    nurse: Membership, lot: StockLot
) -> None:
    with pytest.raises(ValidationError, match="reference"):
        services.return_stock(membership=nurse, lot=lot, quantity=Decimal("10"), reference="")
    entry = services.return_stock(
        membership=nurse, lot=lot, quantity=Decimal("10"), reference="RA-55"
    )
    assert entry.kind == EntryKind.RETURN
    assert services.lot_balance(lot) == Decimal("90")


# --- counts and adjustments ------------------------------------------------------------------


def test_a_count_that_disagrees_is_recorded_as_a_discrepancy_not_a_correction(
    nurse: Membership, lot: StockLot
) -> None:
    entry = services.record_count(membership=nurse, lot=lot, counted_quantity=Decimal("97"))
    assert entry.kind == EntryKind.COUNT
    assert entry.quantity == 0
    assert (entry.expected_quantity, entry.counted_quantity) == (Decimal("100"), Decimal("97"))
    assert entry.discrepancy == Decimal("-3")
    assert services.lot_balance(lot) == Decimal("100")  # nothing silently corrected
    event = AuditEvent.objects.filter(object_type="controlled.ledgerentry").first()
    assert event is not None and "DISCREPANCY -3" in event.summary


def test_a_count_that_agrees_has_no_discrepancy(nurse: Membership, lot: StockLot) -> None:
    entry = services.record_count(membership=nurse, lot=lot, counted_quantity=Decimal("100"))
    assert entry.discrepancy == 0


def test_a_negative_count_is_refused(nurse: Membership, lot: StockLot) -> None:
    with pytest.raises(ValidationError, match="negative"):
        services.record_count(membership=nurse, lot=lot, counted_quantity=Decimal("-1"))


def test_an_adjustment_needs_a_witness_and_a_reason(
    nurse: Membership, lot: StockLot, prescriber: Membership
) -> None:
    with pytest.raises(ValidationError, match="witness"):
        services.adjust(
            membership=nurse, lot=lot, quantity=Decimal("-3"), witness=None, reason="count"
        )
    with pytest.raises(ValidationError, match="needs a reason"):
        services.adjust(
            membership=nurse, lot=lot, quantity=Decimal("-3"), witness=prescriber.user, reason=""
        )
    with pytest.raises(ValidationError, match="changes nothing"):
        services.adjust(
            membership=nurse, lot=lot, quantity=Decimal("0"), witness=prescriber.user, reason="x"
        )


def test_an_adjustment_corrects_the_balance_and_points_at_the_entry_it_corrects(
    nurse: Membership, lot: StockLot, prescriber: Membership
) -> None:
    count = services.record_count(membership=nurse, lot=lot, counted_quantity=Decimal("97"))
    entry = services.adjust(
        membership=nurse,
        lot=lot,
        quantity=Decimal("-3"),
        witness=prescriber.user,
        reason="broken vial found in the sharps bin, confirmed by the director",
        corrects=count,
    )
    assert entry.corrects == count
    assert services.lot_balance(lot) == Decimal("97")
    assert services.record_count(
        membership=nurse, lot=lot, counted_quantity=Decimal("97")
    ).discrepancy == Decimal("0")


def test_an_adjustment_cannot_take_the_lot_below_zero(
    nurse: Membership, lot: StockLot, prescriber: Membership
) -> None:
    with pytest.raises(ValidationError, match="overdraw"):
        services.adjust(
            membership=nurse,
            lot=lot,
            quantity=Decimal("-100.5"),
            witness=prescriber.user,
            reason="x",
        )


def test_an_adjustment_cannot_correct_an_entry_of_another_lot(
    nurse: Membership, lot: StockLot, prescriber: Membership
) -> None:
    other = receive(nurse, lot.product, lot="K-002")
    with pytest.raises(ValidationError, match="another lot"):
        services.adjust(
            membership=nurse,
            lot=lot,
            quantity=Decimal("1"),
            witness=prescriber.user,
            reason="x",
            corrects=other.entries.get(),
        )


# --- authorisation and audit -----------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.CLINIC_ADMIN, Role.THERAPIST, Role.FRONT_DESK])
def test_roles_without_the_manage_capability_cannot_write(
    role: str, members: dict[str, Membership], lot: StockLot, session: TreatmentSession
) -> None:
    member = members[role]
    with pytest.raises(PermissionDenied):
        receive(member, lot.product, lot="X-1")
    with pytest.raises(PermissionDenied):
        services.dispense(membership=member, lot=lot, session=session, quantity=Decimal("1"))
    with pytest.raises(PermissionDenied):
        services.record_count(membership=member, lot=lot, counted_quantity=Decimal("100"))
    assert lot.entries.count() == 1


def test_every_entry_is_written_to_the_audit_trail_with_the_patient_when_dispensed(
    nurse: Membership, lot: StockLot, session: TreatmentSession, patient: Patient
) -> None:
    entry = services.dispense(membership=nurse, lot=lot, session=session, quantity=Decimal("1"))
    events = AuditEvent.objects.filter(object_type="controlled.ledgerentry", action="create")
    assert events.count() == 2  # the receipt and the dispense
    dispensed = events.get(object_id=str(entry.pk))
    assert dispensed.patient_id == patient.pk
    assert dispensed.actor_id == nurse.user.pk
    assert dispensed.changes["quantity"] == [None, "-1.000"]
    assert AuditEvent.objects.filter(
        object_type="controlled.stocklot", action=AuditAction.CREATE
    ).exists()


def test_a_new_nurse_can_witness_once_they_have_a_membership(
    nurse: Membership, lot: StockLot
) -> None:
    second = make_member(lot.clinic, Role.NURSE, "second-nurse")
    entry = services.record_waste(
        membership=nurse,
        lot=lot,
        quantity=Decimal("1"),
        of_dispensed=False,
        witness=second.user,
        reason="x",
    )
    assert entry.witness == second.user


@pytest.mark.django_db(transaction=True)
def test_a_dispense_waits_for_a_simultaneous_one_and_cannot_overdraw_on_postgresql(
    nurse: Membership, prescriber: Membership, patient: Patient
) -> None:
    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter; SQLite serialises every write")
    lot = receive(nurse, ketamine_vials(nurse), lot="RACE-1", quantity="100")
    session = dosing_session(patient)
    first_drawn, second_started = threading.Event(), threading.Event()
    outcomes: dict[str, str] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                services.dispense(
                    membership=nurse, lot=lot, session=session, quantity=Decimal("60")
                )
                first_drawn.set()
                second_started.wait(5)
                time.sleep(0.5)  # the second nurse is now trying to draw from the same lot
            outcomes["first"] = "dispensed"
        finally:
            connections.close_all()

    def second() -> None:
        try:
            first_drawn.wait(5)
            second_started.set()
            services.dispense(
                membership=prescriber, lot=lot, session=session, quantity=Decimal("60")
            )
            outcomes["second"] = "dispensed"
        except ValidationError:
            outcomes["second"] = "refused"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert outcomes == {"first": "dispensed", "second": "refused"}
    assert services.lot_balance(lot) == Decimal("40")
