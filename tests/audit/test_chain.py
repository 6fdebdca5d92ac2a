"""The audit trail is append-only and hash-chained: any edit, deletion or truncation of a
row is detected by ``verify_chain`` and by ``remission audit verify``."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from remission.accounts.models import Membership
from remission.audit.models import AuditAction, AuditChainHead, AuditEvent, AuditEventPatient
from remission.audit.services import record_access, verify_chain
from remission.patients.models import Patient

pytestmark = pytest.mark.django_db


def _read_patient(membership: Membership, patient: Patient, times: int = 3) -> None:
    for _ in range(times):
        record_access(
            actor=membership.user,
            clinic_id=patient.clinic_id,
            action=AuditAction.VIEW,
            what="chart",
            patient_ids=[patient.pk],
        )


def test_a_fresh_chain_verifies(members: dict[str, Membership], patient: Patient) -> None:
    _read_patient(members["nurse"], patient)
    result = verify_chain()
    assert result.ok, result.reason
    assert result.events_checked == AuditEvent.objects.count() > 3


def test_editing_a_row_with_sql_breaks_the_chain(
    members: dict[str, Membership], patient: Patient
) -> None:
    _read_patient(members["nurse"], patient)
    target = AuditEvent.objects.filter(action=AuditAction.VIEW).order_by("id").first()
    assert target is not None
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET actor_label = %s WHERE id = %s", ["someone else", target.id]
        )
    result = verify_chain()
    assert not result.ok
    assert result.broken_at == target.id
    assert "altered" in result.reason
    with pytest.raises(CommandError, match=f"BROKEN at event #{target.id}"):
        call_command("audit", "verify")


def test_deleting_a_row_breaks_the_chain(members: dict[str, Membership], patient: Patient) -> None:
    _read_patient(members["nurse"], patient)
    middle = AuditEvent.objects.order_by("id")[2]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE id = %s", [middle.id])
    result = verify_chain()
    assert not result.ok
    assert result.broken_at == middle.id
    assert "missing" in result.reason


def test_truncating_the_newest_rows_is_detected_by_the_chain_head(
    members: dict[str, Membership], patient: Patient
) -> None:
    _read_patient(members["nurse"], patient)
    newest = AuditEvent.objects.order_by("-id").first()
    assert newest is not None
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE id = %s", [newest.id])
    result = verify_chain()
    assert not result.ok
    assert "truncated" in result.reason


def test_relinking_an_edited_row_still_fails_at_the_next_event(
    members: dict[str, Membership], patient: Patient
) -> None:
    """An attacker who also rewrites the edited row's own hash breaks the following link."""
    _read_patient(members["nurse"], patient)
    from remission.audit.services import compute_hash

    target = AuditEvent.objects.order_by("id")[1]
    target.summary = "tampered"
    target.entry_hash = compute_hash(target.previous_hash, target)
    AuditEvent.objects.filter(pk=target.pk).update(
        summary=target.summary, entry_hash=target.entry_hash
    )
    result = verify_chain()
    assert not result.ok
    assert result.broken_at == target.id + 1


def test_access_events_record_actor_patient_ip_and_user_agent(
    members: dict[str, Membership], patient: Patient
) -> None:
    from tests.world import client_for

    client = client_for(members["prescriber"])
    response = client.get(f"/c/alpha/patients/{patient.pk}/", HTTP_USER_AGENT="TabletBrowser/1.0")
    assert response.status_code == 200
    event = AuditEvent.objects.filter(action=AuditAction.VIEW, patient_id=patient.pk).latest("id")
    assert event.actor_id == members["prescriber"].user_id
    assert event.ip_address == "127.0.0.1"
    assert event.user_agent == "TabletBrowser/1.0"
    assert event.clinic_id == patient.clinic_id
    assert "chart" in event.summary


def test_a_change_keeps_the_previous_version(
    members: dict[str, Membership], patient: Patient
) -> None:
    from tests.world import client_for

    client = client_for(members["front_desk"])
    response = client.post(
        f"/c/alpha/patients/{patient.pk}/edit/",
        {
            "mrn": patient.mrn,
            "legal_first_name": "Robin",
            "legal_last_name": "Changed",
            "date_of_birth": "1980-04-12",
            "sex_at_birth": "female",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE, patient_id=patient.pk).latest("id")
    assert event.changes["legal_last_name"] == ["Example", "Changed"]
    assert event.previous is not None
    assert event.previous["legal_last_name"] == "Example"
    assert event.actor_id == members["front_desk"].user_id


def test_chain_head_counts_every_event(members: dict[str, Membership], patient: Patient) -> None:
    _read_patient(members["nurse"], patient, times=5)
    head = AuditChainHead.objects.get(pk=1)
    assert head.event_count == AuditEvent.objects.count()
    assert head.last_event_id == AuditEvent.objects.order_by("-id").first().id  # type: ignore[union-attr]


@pytest.mark.skipif(
    os.environ.get("TEST_DATABASE_URL", "").startswith("postgres"), reason="SQLite file"
)
def test_remission_audit_verify_command_passes_on_a_fresh_demo_and_fails_after_sql_edit(
    tmp_path: Path,
) -> None:
    """The console script end to end, on its own SQLite database."""
    env = {
        **os.environ,
        "REMISSION_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "remission.config.settings",
    }
    env.pop("TEST_DATABASE_URL", None)
    env.pop("DATABASE_URL", None)
    remission = [sys.executable, "-m", "remission"]

    def run(*args: str) -> Any:
        return subprocess.run(
            [*remission, *args], env=env, capture_output=True, text=True, timeout=300
        )

    assert run("migrate", "-v", "0").returncode == 0
    demo = run("demo", "--patients", "3", "--seed", "7")
    assert demo.returncode == 0, demo.stderr
    ok = run("audit", "verify")
    assert ok.returncode == 0, ok.stderr
    assert "intact" in ok.stdout

    with sqlite3.connect(tmp_path / "remission.sqlite3") as db:
        db.execute("UPDATE audit_auditevent SET summary = 'edited' WHERE id = 5")
    broken = run("audit", "verify")
    assert broken.returncode != 0
    assert "BROKEN at event #5" in broken.stderr


@pytest.fixture
def other(members: dict[str, Membership]) -> Patient:
    from tests.world.patients import second_patient

    return second_patient(members)


def _list_event(members: dict[str, Membership], patient: Patient, other: Patient) -> AuditEvent:
    nurse = members["nurse"]
    record_access(
        actor=nurse.user,
        clinic_id=patient.clinic_id,
        action=AuditAction.LIST,
        what="day board",
        patient_ids=[patient.pk, other.pk],
    )
    _read_patient(nurse, patient, times=1)  # a later event, so the chain goes on past it
    event = AuditEvent.objects.get(summary="day board")
    assert verify_chain().ok
    return event


_SET_TAMPERING = {
    "a patient swapped for another": "UPDATE {t} SET patient_id = %s WHERE event_id = %s AND patient_id = %s",
    "a patient removed": "DELETE FROM {t} WHERE event_id = %s AND patient_id = %s",
    "a listing re-flagged as more": "UPDATE {t} SET names_only = %s WHERE event_id = %s AND patient_id = %s",
    "a patient added": "INSERT INTO {t} (event_id, patient_id, names_only) VALUES (%s, %s, %s)",
}


@pytest.mark.parametrize("tampering", list(_SET_TAMPERING))
def test_changing_a_list_events_patient_set_breaks_the_chain(
    tampering: str, members: dict[str, Membership], patient: Patient, other: Patient
) -> None:
    event = _list_event(members, patient, other)
    table = AuditEventPatient._meta.db_table
    stored = AuditEventPatient.objects.get(event=event, patient_id=patient.pk).patient_id
    # UUIDs as the backend stores them (SQLite: 32 hex digits; PostgreSQL: uuid)
    hex_form = connection.vendor == "sqlite"
    as_stored = stored.hex if hex_form else str(stored)
    someone = uuid.UUID(int=2**128 - 1)
    third = someone.hex if hex_form else str(someone)
    params: dict[str, list[str | int | bool]] = {
        "a patient swapped for another": [third, event.id, as_stored],
        "a patient removed": [event.id, as_stored],
        "a listing re-flagged as more": [False, event.id, as_stored],
        "a patient added": [event.id, third, True],
    }
    with connection.cursor() as cursor:
        cursor.execute(_SET_TAMPERING[tampering].format(t=table), params[tampering])
    result = verify_chain()
    assert not result.ok
    assert result.broken_at == event.id
    assert "altered" in result.reason


def test_a_patient_named_by_an_event_that_does_not_exist_is_detected(
    members: dict[str, Membership], patient: Patient, other: Patient
) -> None:
    _list_event(members, patient, other)
    AuditEventPatient.objects.create(event_id=10**9, patient_id=patient.pk, names_only=True)
    result = verify_chain()
    assert not result.ok
    assert "does not exist" in result.reason
