"""Recording waste: the witness, the reason, and the two kinds of waste (from stock, or of a
dispensed dose)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
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
    WitnessVerification,
)
from remission.patients.models import Patient
from remission.scheduling.models import SessionStatus, TreatmentSession
from tests.world import PASSWORD
from tests.world.controlled import (
    DAY,
    dosing_session,
    ordered_and_started,
    receive,
)

pytestmark = pytest.mark.django_db


def _message(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(exc.value.messages)


# --- waste and witnesses ---------------------------------------------------------------------


def test_waste_needs_a_witness(nurse: Membership, lot: StockLot) -> None:
    with pytest.raises(ValidationError) as exc:
        services.record_waste(
            membership=nurse,
            lot=lot,
            quantity=Decimal("1"),
            of_dispensed=False,
            witness=None,
            reason="spilled",
        )
    assert exc.value.message_dict["witness"] == ["A second member of staff must witness this."]


def test_the_witness_cannot_be_the_person_recording(nurse: Membership, lot: StockLot) -> None:
    with pytest.raises(ValidationError) as exc:
        services.record_waste(
            membership=nurse,
            lot=lot,
            quantity=Decimal("1"),
            of_dispensed=False,
            witness=nurse.user,
            reason="spilled",
        )
    assert "someone other than you" in _message(exc)


def test_a_member_of_another_clinic_cannot_witness(
    nurse: Membership, lot: StockLot, outsider: Membership
) -> None:
    with pytest.raises(ValidationError, match="member of staff of this clinic"):
        services.record_waste(
            membership=nurse,
            lot=lot,
            quantity=Decimal("1"),
            of_dispensed=False,
            witness=outsider.user,
            reason="x",
        )


def test_a_role_without_the_manage_capability_cannot_witness(
    nurse: Membership, lot: StockLot, members: dict[str, Membership]
) -> None:
    with pytest.raises(ValidationError, match="clinic admin cannot witness"):
        services.record_waste(
            membership=nurse,
            lot=lot,
            quantity=Decimal("1"),
            of_dispensed=False,
            witness=members[Role.CLINIC_ADMIN].user,
            reason="x",
        )


def test_a_deactivated_member_cannot_witness(
    nurse: Membership, lot: StockLot, prescriber: Membership
) -> None:
    Membership.objects.filter(pk=prescriber.pk).update(is_active=False)
    with pytest.raises(ValidationError, match="active member"):
        services.record_waste(
            membership=nurse,
            lot=lot,
            quantity=Decimal("1"),
            of_dispensed=False,
            witness=prescriber.user,
            reason="x",
        )


def test_a_wrong_witness_password_is_refused(
    nurse: Membership, lot: StockLot, prescriber: Membership
) -> None:
    with pytest.raises(ValidationError) as exc:
        services.record_waste(
            membership=nurse,
            lot=lot,
            quantity=Decimal("1"),
            of_dispensed=False,
            witness=prescriber.user,
            witness_password="wrong",
            reason="x",
        )
    assert "witness_password" in exc.value.message_dict
    assert lot.entries.count() == 1


def test_wrong_witness_passwords_are_audited_and_lock_the_witness_out_after_five(
    nurse: Membership, lot: StockLot, prescriber: Membership
) -> None:
    def attempt(password: str) -> None:
        services.record_waste(
            membership=nurse,
            lot=lot,
            quantity=Decimal("1"),
            of_dispensed=False,
            witness=prescriber.user,
            witness_password=password,
            reason="x",
        )

    for _ in range(services.WITNESS_FAILURE_LIMIT):
        with pytest.raises(ValidationError, match="not correct"):
            attempt("guess")
    with pytest.raises(ValidationError, match="Too many wrong passwords"):
        attempt(PASSWORD)
    failures = AuditEvent.objects.filter(
        action=AuditAction.LOGIN_FAILED, object_id=str(prescriber.user.pk)
    )
    assert failures.count() == services.WITNESS_FAILURE_LIMIT
    assert {e.actor_id for e in failures} == {nurse.user.pk}
    assert lot.entries.count() == 1


def test_no_password_of_a_foreign_witness_is_ever_checked(
    nurse: Membership, lot: StockLot, outsider: Membership
) -> None:
    with pytest.raises(ValidationError, match="member of staff of this clinic"):
        services.record_waste(
            membership=nurse,
            lot=lot,
            quantity=Decimal("1"),
            of_dispensed=False,
            witness=outsider.user,
            witness_password="guess",
            reason="x",
        )
    assert not AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).exists()


def test_waste_records_how_the_witness_was_verified(
    nurse: Membership, lot: StockLot, prescriber: Membership
) -> None:
    by_password = services.record_waste(
        membership=nurse,
        lot=lot,
        quantity=Decimal("0.5"),
        of_dispensed=False,
        witness=prescriber.user,
        witness_password=PASSWORD,
        reason="vial cracked on the shelf",
    )
    attested = services.record_waste(
        membership=nurse,
        lot=lot,
        quantity=Decimal("0.5"),
        of_dispensed=False,
        witness=prescriber.user,
        reason="drop",
    )
    assert by_password.witness_verification == WitnessVerification.PASSWORD
    assert attested.witness_verification == WitnessVerification.ATTESTED
    assert by_password.witness == prescriber.user
    assert services.lot_balance(lot) == Decimal("99")


def test_waste_needs_a_reason(nurse: Membership, lot: StockLot, prescriber: Membership) -> None:
    with pytest.raises(ValidationError, match="what was wasted"):
        services.record_waste(
            membership=nurse,
            lot=lot,
            quantity=Decimal("1"),
            of_dispensed=False,
            witness=prescriber.user,
            reason=" ",
        )


def test_waste_cannot_exceed_the_balance(
    nurse: Membership, lot: StockLot, prescriber: Membership
) -> None:
    with pytest.raises(ValidationError, match="overdraw"):
        services.record_waste(
            membership=nurse,
            lot=lot,
            quantity=Decimal("101"),
            of_dispensed=False,
            witness=prescriber.user,
            reason="x",
        )


# --- the two kinds of waste ------------------------------------------------------------------


def _waste_of_dose(
    nurse: Membership,
    prescriber: Membership,
    lot: StockLot,
    session: TreatmentSession | None,
    quantity: str,
    **extra: Any,
) -> LedgerEntry:
    return services.record_waste(
        membership=nurse,
        lot=lot,
        quantity=Decimal(quantity),
        of_dispensed=True,
        session=session,
        witness=prescriber.user,
        reason="rest of the syringe, into a drug-disposal container",
        **extra,
    )


def test_waste_of_a_dispensed_dose_leaves_the_balance_and_the_lot_ledger_intact(
    nurse: Membership,
    prescriber: Membership,
    lot: StockLot,
    session: TreatmentSession,
    patient: Patient,
) -> None:
    """1 mL (50 mg) drawn for a 41 mg dose takes the lot from 100 to 99 mL; wasting the 0.18 mL
    (9 mg) left in the syringe moves no stock, so the lot still holds 99 mL and a count of 99
    agrees."""
    from remission.controlled import selectors

    event = ordered_and_started(session, nurse, lot_number="K-001")
    services.dispense(
        membership=nurse, lot=lot, session=session, administration=event, quantity=Decimal("1")
    )
    entry = _waste_of_dose(nurse, prescriber, lot, session, "0.18", administration=event)
    assert entry.kind == EntryKind.WASTE and entry.of_dispensed_dose
    assert (entry.quantity, entry.quantity_mg) == (Decimal("0"), Decimal("0"))
    assert (entry.dispensed_wasted, entry.dispensed_wasted_mg) == (
        Decimal("0.180"),
        Decimal("9.000"),
    )
    assert entry.balance_after == Decimal("99.000")
    assert (entry.patient, entry.session, entry.administration) == (patient, session, event)
    assert entry.witness == prescriber.user
    assert services.lot_balance(lot) == Decimal("99.000")
    ledger = selectors.lot_ledger(membership=nurse, lot_id=lot.pk)
    assert [row.running_balance for row in ledger.rows] == [
        Decimal("100"),
        Decimal("99"),
        Decimal("99"),
    ]
    assert ledger.intact and ledger.on_hand == Decimal("99")
    count = services.record_count(membership=nurse, lot=lot, counted_quantity=Decimal("99"))
    assert count.discrepancy == 0
    event_summary = AuditEvent.objects.get(object_id=str(entry.pk)).summary
    assert "of the dose dispensed" in event_summary and "stock unchanged" in event_summary


def test_waste_of_a_dispensed_dose_is_refused_beyond_what_was_dispensed_for_the_session(
    nurse: Membership, prescriber: Membership, lot: StockLot, session: TreatmentSession
) -> None:
    """1 mL dispensed: 0.6 mL wasted leaves 0.4 mL that may still be wasted, not 0.5."""
    services.dispense(membership=nurse, lot=lot, session=session, quantity=Decimal("1"))
    _waste_of_dose(nurse, prescriber, lot, session, "0.6")
    with pytest.raises(ValidationError) as exc:
        _waste_of_dose(nurse, prescriber, lot, session, "0.5")
    assert exc.value.message_dict["quantity"] == [
        "1 mL of lot K-001 was dispensed for this session and 0.6 mL of it is already "
        "recorded wasted: at most 0.4 mL of the dose can be wasted."
    ]
    _waste_of_dose(nurse, prescriber, lot, session, "0.4")
    with pytest.raises(ValidationError, match=r"at most 0 mL"):
        _waste_of_dose(nurse, prescriber, lot, session, "0.001")
    assert lot.entries.filter(kind=EntryKind.WASTE).count() == 2
    assert services.lot_balance(lot) == Decimal("99")


def test_waste_of_a_dispensed_dose_counts_only_that_lot_and_that_session(
    nurse: Membership,
    prescriber: Membership,
    lot: StockLot,
    session: TreatmentSession,
    patient: Patient,
) -> None:
    other_lot = receive(nurse, lot.product, lot="K-002")
    other_session = dosing_session(patient)
    services.dispense(membership=nurse, lot=other_lot, session=session, quantity=Decimal("1"))
    services.dispense(membership=nurse, lot=lot, session=other_session, quantity=Decimal("1"))
    with pytest.raises(ValidationError) as exc:
        _waste_of_dose(nurse, prescriber, lot, session, "0.2")
    assert "Nothing was dispensed from lot K-001 for this session" in _message(exc)
    assert "waste from stock" in _message(exc)
    assert lot.entries.filter(kind=EntryKind.WASTE).count() == 0


def test_waste_of_a_dispensed_dose_needs_its_session_and_cannot_precede_the_dispense(
    nurse: Membership, prescriber: Membership, vials: Product, session: TreatmentSession
) -> None:
    early = receive(nurse, vials, lot="K-050", received_at=timezone.now() - 2 * DAY)
    with pytest.raises(ValidationError) as exc:
        _waste_of_dose(nurse, prescriber, early, None, "0.2")
    assert "session the dose was dispensed for" in exc.value.message_dict["session"][0]
    services.dispense(membership=nurse, lot=early, session=session, quantity=Decimal("1"))
    with pytest.raises(ValidationError, match="Nothing was dispensed"):
        _waste_of_dose(nurse, prescriber, early, session, "0.2", occurred_at=timezone.now() - DAY)
    with pytest.raises(ValidationError, match="witness"):
        services.record_waste(
            membership=nurse,
            lot=early,
            quantity=Decimal("0.2"),
            of_dispensed=True,
            session=session,
            witness=None,
            reason="rest of the syringe",
        )


def test_waste_of_a_dispensed_dose_works_on_an_emptied_lot_and_a_stood_down_session(
    nurse: Membership, prescriber: Membership, vials: Product, patient: Patient
) -> None:
    """The last 2 mL of a lot drawn for a patient who is then stood down: the whole 2 mL is
    wasted against the cancelled session and the empty lot stays at 0."""
    last = receive(nurse, vials, lot="K-LAST", quantity="2")
    session = dosing_session(patient, status=SessionStatus.PRE_DOSE)
    services.dispense(membership=nurse, lot=last, session=session, quantity=Decimal("2"))
    session.status = SessionStatus.CANCELLED
    session.save(update_fields=["status"])
    entry = _waste_of_dose(nurse, prescriber, last, session, "2")
    assert entry.balance_after == 0 and services.lot_balance(last) == 0


def test_waste_from_stock_lowers_the_balance_even_when_it_names_a_session(
    nurse: Membership, prescriber: Membership, lot: StockLot, session: TreatmentSession
) -> None:
    """100 − 1 dispensed − 2 of a vial dropped while preparing the session = 97."""
    services.dispense(membership=nurse, lot=lot, session=session, quantity=Decimal("1"))
    entry = services.record_waste(
        membership=nurse,
        lot=lot,
        quantity=Decimal("2"),
        of_dispensed=False,
        session=session,
        witness=prescriber.user,
        reason="vial dropped and broken while preparing",
    )
    assert not entry.of_dispensed_dose
    assert (entry.quantity, entry.quantity_mg) == (Decimal("-2"), Decimal("-100"))
    assert entry.dispensed_wasted is None and entry.dispensed_wasted_mg is None
    assert entry.balance_after == Decimal("97") == services.lot_balance(lot)


def test_every_caller_says_which_kind_of_waste_it_records(
    nurse: Membership, prescriber: Membership, lot: StockLot
) -> None:
    with pytest.raises(TypeError, match="of_dispensed"):
        services.record_waste(  # type: ignore[call-arg]
            membership=nurse,
            lot=lot,
            quantity=Decimal("1"),
            witness=prescriber.user,
            reason="x",
        )
