"""The controlled-substance screens: rights per role (VIEW, MANAGE, neither → 403; another
clinic → 404), inline refusals instead of error pages, highlighted discrepancies, CSV."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from remission.accounts.models import Membership
from remission.accounts.roles import Capability, Role, capabilities_of
from remission.audit.models import AuditAction, AuditEvent
from remission.controlled import services
from remission.controlled.models import EntryKind, LedgerEntry, StockLot
from remission.patients.models import Patient
from remission.scheduling.models import SessionStatus, TreatmentSession
from tests.world import PASSWORD, client_for
from tests.world.controlled import (
    DAY,
    clinic_today,
    dosing_session,
    ketamine_vials,
    ordered_and_started,
    receive,
)

pytestmark = pytest.mark.django_db
BASE = "/c/alpha/controlled"
VIEW = Capability.VIEW_CONTROLLED_SUBSTANCES
MANAGE = Capability.MANAGE_CONTROLLED_SUBSTANCES


@pytest.fixture
def nurse(members: dict[str, Membership]) -> Membership:
    return members[Role.NURSE]


@pytest.fixture
def lot(nurse: Membership) -> StockLot:
    return receive(nurse, ketamine_vials(nurse), lot="K-001", quantity="100")


@pytest.fixture
def session(patient: Patient) -> TreatmentSession:
    return dosing_session(patient)


@pytest.fixture
def web(nurse: Membership) -> Client:
    return client_for(nurse)


def _addresses(lot: StockLot) -> list[tuple[str, Capability]]:
    return [
        (f"{BASE}/", VIEW),
        (f"{BASE}/lots/{lot.pk}/", VIEW),
        (f"{BASE}/reconciliation/", VIEW),
        (f"{BASE}/ledger.csv", VIEW),
        (f"{BASE}/products/new/", MANAGE),
        (f"{BASE}/receive/", MANAGE),
        (f"{BASE}/dispense/", MANAGE),
        (f"{BASE}/waste/", MANAGE),
        (f"{BASE}/return/", MANAGE),
        (f"{BASE}/count/", MANAGE),
        (f"{BASE}/adjust/", MANAGE),
    ]


@pytest.mark.parametrize("role", Role.values)
def test_every_screen_follows_the_rights_table(
    role: str, members: dict[str, Membership], lot: StockLot, session: TreatmentSession
) -> None:
    client = client_for(members[role])
    allowed = capabilities_of(role)
    mismatches = []
    for path, capability in _addresses(lot):
        expected = 200 if capability in allowed else 403
        status = client.get(path).status_code
        if status != expected:
            mismatches.append(f"{path}: expected {expected}, got {status}")
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.parametrize("role", Role.values)
def test_writes_are_refused_without_the_manage_capability(
    role: str, members: dict[str, Membership], lot: StockLot, session: TreatmentSession
) -> None:
    response = client_for(members[role]).post(
        f"{BASE}/dispense/", {"session": session.pk, "lot": lot.pk, "quantity": "1"}
    )
    expected = 302 if MANAGE in capabilities_of(role) else 403
    assert response.status_code == expected
    assert lot.entries.filter(kind=EntryKind.DISPENSE).exists() == (expected == 302)


def test_a_member_of_another_clinic_gets_404_everywhere(
    outsider: Membership, lot: StockLot
) -> None:
    client = client_for(outsider)
    statuses = {path: client.get(path).status_code for path, _ in _addresses(lot)}
    assert statuses == dict.fromkeys(statuses, 404)


def test_a_missing_or_malformed_lot_answers_404(web: Client) -> None:
    assert web.get(f"{BASE}/lots/999999/").status_code == 404
    assert web.get(f"{BASE}/lots/abc/").status_code == 404


def test_the_add_product_form_lists_what_the_catalogue_already_holds(
    web: Client, nurse: Membership
) -> None:
    product = ketamine_vials(nurse)
    page = web.get(f"{BASE}/products/new/").content.decode()
    assert "Already in the catalogue" in page and str(product) in page


def test_receiving_stock_through_the_form_opens_the_lot_ledger(
    web: Client, nurse: Membership
) -> None:
    product = ketamine_vials(nurse)
    response = web.post(
        f"{BASE}/receive/",
        {
            "product": product.pk,
            "lot_number": "K-777",
            "expiry_date": (clinic_today(nurse) + 200 * DAY).isoformat(),
            "quantity": "50",
            "supplier": "Example Wholesale",
            "reference": "222-ABC",
        },
    )
    lot = StockLot.objects.get(lot_number="K-777")
    assert response.status_code == 302
    assert response["Location"] == f"{BASE}/lots/{lot.pk}/"
    page = web.get(response["Location"]).content.decode()
    assert "K-777" in page and "50 mL" in page


def test_dispensing_too_much_shows_the_refusal_inline_and_records_nothing(
    web: Client, lot: StockLot, session: TreatmentSession
) -> None:
    response = web.post(
        f"{BASE}/dispense/", {"session": session.pk, "lot": lot.pk, "quantity": "150"}
    )
    assert response.status_code == 400
    assert "would overdraw it" in response.content.decode()
    assert 'class="form-errors"' in response.content.decode()
    assert not lot.entries.filter(kind=EntryKind.DISPENSE).exists()


def test_nonsense_input_is_an_inline_error_never_a_server_error(web: Client, lot: StockLot) -> None:
    for path, data in [
        (f"{BASE}/dispense/", {"session": "x", "lot": "y", "quantity": "lots"}),
        (f"{BASE}/waste/", {"lot": lot.pk, "quantity": "1e999", "reason": "x"}),
        (f"{BASE}/count/", {"lot": lot.pk, "counted_quantity": "-1"}),
        (f"{BASE}/adjust/", {"lot": lot.pk, "quantity": "0.0001", "reason": "x"}),
        (f"{BASE}/receive/", {"product": "999", "expiry_date": "31/31/2020"}),
        (f"{BASE}/products/new/", {"name": "x", "mg_per_unit": "-1"}),
    ]:
        response = web.post(path, data)
        assert response.status_code == 400, path
        assert "field-errors" in response.content.decode() or "form-errors" in (
            response.content.decode()
        )
    assert (
        web.get(f"{BASE}/reconciliation/?first_day=nonsense&last_day=2020-01-01").status_code == 400
    )
    assert lot.entries.count() == 1


def test_the_dispense_form_offers_todays_sessions_with_the_patients_name_and_mrn(
    web: Client, session: TreatmentSession, nurse: Membership
) -> None:
    ordered_and_started(session, nurse, lot_number="K-001")
    page = web.get(f"{BASE}/dispense/?session={session.pk}").content.decode()
    assert "Robin Example (A-0001)" in page
    assert f'value="{session.pk}" selected' in page


def test_dispensing_against_an_administration_record_links_them(
    web: Client, lot: StockLot, session: TreatmentSession, nurse: Membership
) -> None:
    event = ordered_and_started(session, nurse, lot_number="K-001")
    response = web.post(
        f"{BASE}/dispense/",
        {"session": session.pk, "administration": event.pk, "lot": lot.pk, "quantity": "0.82"},
    )
    assert response.status_code == 302
    entry = lot.entries.get(kind=EntryKind.DISPENSE)
    assert entry.administration == event
    assert entry.quantity_mg == Decimal("-41.000")


def test_waste_without_a_witness_is_refused_on_the_form(web: Client, lot: StockLot) -> None:
    response = web.post(f"{BASE}/waste/", {"lot": lot.pk, "quantity": "1", "reason": "x"})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()


def test_waste_with_a_wrong_witness_password_is_refused_inline(
    web: Client, lot: StockLot, members: dict[str, Membership]
) -> None:
    response = web.post(
        f"{BASE}/waste/",
        {
            "lot": lot.pk,
            "quantity": "1",
            "reason": "rest of vial",
            "witness": members[Role.PRESCRIBER].user.pk,
            "witness_password": "guess",
        },
    )
    assert response.status_code == 400
    assert "password is not correct" in response.content.decode()
    assert lot.entries.count() == 1


def test_waste_with_the_witness_password_is_recorded(
    web: Client, lot: StockLot, members: dict[str, Membership]
) -> None:
    witness = members[Role.MEDICAL_DIRECTOR].user
    response = web.post(
        f"{BASE}/waste/",
        {
            "lot": lot.pk,
            "quantity": "1.5",
            "reason": "rest of vial",
            "witness": witness.pk,
            "witness_password": PASSWORD,
        },
    )
    assert response.status_code == 302
    entry = lot.entries.get(kind=EntryKind.WASTE)
    assert (entry.witness, entry.witness_verification) == (witness, "password")


def test_a_witness_without_a_password_must_be_confirmed(
    web: Client, lot: StockLot, members: dict[str, Membership]
) -> None:
    data = {
        "lot": lot.pk,
        "quantity": "1",
        "reason": "dropped syringe",
        "witness": members[Role.PRESCRIBER].user.pk,
    }
    assert web.post(f"{BASE}/waste/", data).status_code == 400
    assert web.post(f"{BASE}/waste/", {**data, "witness_confirmed": "on"}).status_code == 302
    assert lot.entries.get(kind=EntryKind.WASTE).witness_verification == "attested"


def _waste_data(lot: StockLot, witness: Membership, **extra: Any) -> dict[str, Any]:
    return {
        "lot": lot.pk,
        "quantity": "0.18",
        "reason": "rest of the syringe after a 41 mg dose",
        "witness": witness.user.pk,
        "witness_confirmed": "on",
        **extra,
    }


def test_the_waste_form_asks_which_kind_of_waste_when_a_session_is_chosen(
    web: Client,
    lot: StockLot,
    session: TreatmentSession,
    nurse: Membership,
    members: dict[str, Membership],
) -> None:
    services.dispense(membership=nurse, lot=lot, session=session, quantity=Decimal("1"))
    page = web.get(f"{BASE}/waste/").content.decode()
    assert 'type="radio" name="waste_of" value="dispensed"' in page
    assert 'type="radio" name="waste_of" value="stock"' in page
    assert "The rest of a dose dispensed for this session" in page
    assert "Stock wasted from the shelf" in page

    data = _waste_data(lot, members[Role.PRESCRIBER], session=session.pk)
    response = web.post(f"{BASE}/waste/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_waste_of_errors"' in html
    assert "Say whether this is the rest of a dose dispensed for the session" in html
    # nothing typed is lost: the session, quantity, reason and witness are still there
    assert f'value="{session.pk}" selected' in html
    assert 'value="0.18"' in html
    assert "rest of the syringe after a 41 mg dose</textarea>" in html
    assert f'value="{members[Role.PRESCRIBER].user.pk}" selected' in html
    assert not lot.entries.filter(kind=EntryKind.WASTE).exists()


def test_waste_of_a_dispensed_dose_through_the_form_leaves_the_balance(
    web: Client,
    lot: StockLot,
    session: TreatmentSession,
    nurse: Membership,
    members: dict[str, Membership],
) -> None:
    """100 mL − 1 mL dispensed = 99 mL; wasting 0.18 mL of that dose leaves 99 mL."""
    services.dispense(membership=nurse, lot=lot, session=session, quantity=Decimal("1"))
    data = _waste_data(lot, members[Role.PRESCRIBER], session=session.pk, waste_of="dispensed")
    response = web.post(f"{BASE}/waste/", data, follow=True)
    html = response.content.decode()
    entry = lot.entries.get(kind=EntryKind.WASTE)
    assert entry.of_dispensed_dose and entry.quantity == 0
    assert entry.dispensed_wasted == Decimal("0.18") and entry.session == session
    assert services.lot_balance(lot) == Decimal("99")
    assert "Waste of 0.18 mL of the dose dispensed recorded (stock unchanged)." in html
    assert "Waste of a dispensed dose" in html
    assert "wasted 0.18 mL of the dose dispensed (stock unchanged)" in html
    assert "9 mg of the dose" in html
    assert "Balances agree" in html


def test_waste_from_stock_through_the_form_lowers_the_balance(
    web: Client,
    lot: StockLot,
    session: TreatmentSession,
    members: dict[str, Membership],
) -> None:
    data = _waste_data(lot, members[Role.PRESCRIBER], session=session.pk, waste_of="stock")
    response = web.post(f"{BASE}/waste/", {**data, "quantity": "2"}, follow=True)
    html = response.content.decode()
    assert "Waste of 2 mL from stock recorded." in html
    assert "Waste from stock" in html
    assert services.lot_balance(lot) == Decimal("98")


def test_waste_of_a_dispensed_dose_needs_a_session_on_the_form(
    web: Client, lot: StockLot, members: dict[str, Membership]
) -> None:
    data = _waste_data(lot, members[Role.PRESCRIBER], waste_of="dispensed")
    response = web.post(f"{BASE}/waste/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_session_errors"' in html
    assert "Choose the session the dose was dispensed for." in html
    assert 'value="dispensed" id="id_waste_of_0" checked' in html
    assert lot.entries.count() == 1


def test_wasting_more_than_was_dispensed_is_refused_inline(
    web: Client,
    lot: StockLot,
    session: TreatmentSession,
    nurse: Membership,
    members: dict[str, Membership],
) -> None:
    services.dispense(membership=nurse, lot=lot, session=session, quantity=Decimal("1"))
    data = _waste_data(
        lot, members[Role.PRESCRIBER], session=session.pk, waste_of="dispensed", quantity="1.5"
    )
    response = web.post(f"{BASE}/waste/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_quantity_errors"' in html
    assert "at most 1 mL of the dose can be wasted" in html
    assert not lot.entries.filter(kind=EntryKind.WASTE).exists()


def test_the_waste_form_offers_an_emptied_lot_and_a_stood_down_session_dispensed_for(
    web: Client, nurse: Membership, patient: Patient, members: dict[str, Membership]
) -> None:
    """The last 1 mL of a lot drawn for a patient then stood down: the lot is empty and the
    session cancelled, and both are still offered for the waste of that dose."""
    last = receive(nurse, ketamine_vials(nurse, name="Ketamine 50"), lot="K-END", quantity="1")
    stood_down = dosing_session(patient, status=SessionStatus.PRE_DOSE)
    services.dispense(membership=nurse, lot=last, session=stood_down, quantity=Decimal("1"))
    stood_down.status = SessionStatus.CANCELLED
    stood_down.save(update_fields=["status"])
    never_dosed = dosing_session(patient, status=SessionStatus.CANCELLED)
    page = web.get(f"{BASE}/waste/").content.decode()
    assert "lot K-END" in page
    assert f'<option value="{stood_down.pk}"' in page
    assert f'<option value="{never_dosed.pk}"' not in page
    data = _waste_data(
        last, members[Role.PRESCRIBER], session=stood_down.pk, waste_of="dispensed", quantity="1"
    )
    assert web.post(f"{BASE}/waste/", data).status_code == 302
    assert services.lot_balance(last) == 0


def test_the_person_recording_is_not_offered_as_witness(web: Client, nurse: Membership) -> None:
    page = web.get(f"{BASE}/waste/").content.decode()
    assert "prescriber-alpha" in page
    assert "(nurse-alpha)" not in page
    assert "clinic_admin-alpha" not in page


def test_a_count_discrepancy_is_highlighted_on_the_ledger_and_the_report(
    web: Client, lot: StockLot
) -> None:
    response = web.post(f"{BASE}/count/", {"lot": lot.pk, "counted_quantity": "98"}, follow=True)
    page = response.content.decode()
    assert "DISCREPANCY of -2" in page
    assert 'tag tag-warn">discrepancy -2' in page
    report = web.get(f"{BASE}/reconciliation/").content.decode()
    assert 'class="has-alert"' in report
    assert "-2 vs ledger" in report
    assert lot.entries.get(kind=EntryKind.COUNT).discrepancy == Decimal("-2")


def test_the_count_form_does_not_reveal_the_expected_balance(web: Client, lot: StockLot) -> None:
    page = web.get(f"{BASE}/count/").content.decode()
    assert "lot K-001" in page
    assert "on hand" not in page


def test_an_adjustment_through_the_form_needs_its_witness_and_can_point_at_an_entry(
    web: Client, lot: StockLot, members: dict[str, Membership], nurse: Membership
) -> None:
    count = services.record_count(membership=nurse, lot=lot, counted_quantity=Decimal("98"))
    response = web.post(
        f"{BASE}/adjust/",
        {
            "lot": lot.pk,
            "quantity": "-2",
            "corrects": count.pk,
            "reason": "two vials' worth found broken",
            "witness": members[Role.PRESCRIBER].user.pk,
            "witness_password": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert lot.entries.get(kind=EntryKind.ADJUSTMENT).corrects == count
    missing = web.post(
        f"{BASE}/adjust/",
        {
            "lot": lot.pk,
            "quantity": "-1",
            "corrects": "99999",
            "reason": "x",
            "witness": members[Role.PRESCRIBER].user.pk,
            "witness_password": PASSWORD,
        },
    )
    assert missing.status_code == 400
    assert "no entry #99999" in missing.content.decode()


def test_the_inventory_shows_stock_and_the_entry_buttons_only_to_managers(
    lot: StockLot, members: dict[str, Membership]
) -> None:
    nurse_page = client_for(members[Role.NURSE]).get(f"{BASE}/").content.decode()
    admin_page = client_for(members[Role.CLINIC_ADMIN]).get(f"{BASE}/").content.decode()
    assert "On hand: 100 mL" in nurse_page and "On hand: 100 mL" in admin_page
    assert f"{BASE}/dispense/" in nurse_page
    assert f"{BASE}/dispense/" not in admin_page


def test_the_csv_export_lists_every_entry_with_the_patients_mrn_and_is_audited(
    web: Client,
    lot: StockLot,
    session: TreatmentSession,
    nurse: Membership,
    patient: Patient,
    members: dict[str, Membership],
) -> None:
    services.dispense(membership=nurse, lot=lot, session=session, quantity=Decimal("0.5"))
    services.record_waste(
        membership=nurse,
        lot=lot,
        quantity=Decimal("0.1"),
        of_dispensed=True,
        session=session,
        witness=members[Role.PRESCRIBER].user,
        reason="rest of the syringe",
    )
    response = web.get(f"{BASE}/ledger.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [
        (r["kind"], r["quantity"], r["dispensed_wasted"], r["balance_after"]) for r in rows
    ] == [
        ("receipt", "100.000", "", "100.000"),
        ("dispense", "-0.500", "", "99.500"),
        ("waste", "0.000", "0.100", "99.500"),
    ]
    assert rows[1]["patient_mrn"] == "A-0001"
    assert rows[1]["quantity_mg"] == "-25.000"
    assert (rows[2]["quantity_mg"], rows[2]["dispensed_wasted_mg"]) == ("0.000", "5.000")
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, patient_id=patient.pk).exists()


def test_adding_a_product_through_the_form(web: Client) -> None:
    response = web.post(
        f"{BASE}/products/new/",
        {
            "name": "SPRAVATO 28 mg",
            "drug": "esketamine",
            "form": "nasal_device",
            "strength": "28 mg/device",
            "mg_per_unit": "28",
        },
    )
    assert response.status_code == 302
    refused = web.post(
        f"{BASE}/products/new/",
        {
            "name": "Esketamine vial",
            "drug": "esketamine",
            "form": "vial",
            "strength": "?",
            "mg_per_unit": "28",
        },
    )
    assert refused.status_code == 400
    assert "only as a nasal device" in refused.content.decode()


def test_no_screen_offers_to_edit_or_delete_an_entry(web: Client, lot: StockLot) -> None:
    html = web.get(f"{BASE}/lots/{lot.pk}/").content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert "<form" not in main
    assert "/edit" not in main and "/delete" not in main
    assert "never changed or deleted" in main
    assert LedgerEntry.objects.count() == 1


def test_the_inventory_writes_strength_once_and_keeps_its_links_in_the_first_column(
    lot: StockLot, members: dict[str, Membership]
) -> None:
    page = client_for(members[Role.NURSE]).get(f"{BASE}/").content.decode()
    assert "50 mg/mL · 50 mg/mL" not in page and "50 mg/mL" in page
    row = page.split('<th scope="row" class="row-actions">', 1)[1].split("</th>", 1)[0]
    assert f"/lots/{lot.pk}/" in row and f"?lot={lot.pk}" in row
    assert ".000" not in page
