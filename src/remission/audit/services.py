"""Writing to the audit trail, and verifying its hash chain.

Every event's ``entry_hash`` is SHA-256 over the previous event's hash and a canonical JSON
of the event itself, so editing, inserting or deleting any row breaks the chain; the chain
head row makes truncating the newest rows detectable as well. Appends lock the head row, so
concurrent writers (several gunicorn workers on PostgreSQL) serialise on it briefly.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from remission.audit import context, reads
from remission.audit.models import AuditAction, AuditChainHead, AuditEvent, AuditEventPatient
from remission.audit.spec import EventSpec as EventSpec  # the writers' input, re-exported

GENESIS_HASH = "0" * 64


Named = Sequence[tuple[uuid.UUID | str, bool]]


def actor_label(actor: Any | None) -> str:
    if actor is None:
        return "system"
    name = actor.get_full_name() or actor.username
    return f"{name} ({actor.username})"[:200]


def _payload(event: AuditEvent, named: Named = ()) -> dict[str, Any]:
    payload = {
        "id": event.id,
        "occurred_at": event.occurred_at.astimezone(dt.UTC).isoformat(),
        "actor_id": str(event.actor_id) if event.actor_id else None,
        "actor_label": event.actor_label,
        "clinic_id": str(event.clinic_id) if event.clinic_id else None,
        "patient_id": str(event.patient_id) if event.patient_id else None,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "summary": event.summary,
        "changes": event.changes,
        "previous": event.previous,
        "ip_address": event.ip_address,
        "user_agent": event.user_agent,
        "request_id": event.request_id,
    }
    if named:
        # Only events that name a set carry the key, so events written before sets existed
        # keep their hashes; adding a set to one, or emptying one, changes the hash all the same.
        payload["patients"] = sorted([str(pid), bool(names_only)] for pid, names_only in named)
    return payload


def compute_hash(previous_hash: str, event: AuditEvent, named: Named = ()) -> str:
    """SHA-256 over the previous hash and the event, with the set of patients it named."""
    canonical = json.dumps(_payload(event, named), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{previous_hash}\n{canonical}".encode()).hexdigest()


@transaction.atomic
def append(specs: Sequence[EventSpec]) -> list[AuditEvent]:
    """Append events to the chain, in order, as one step."""
    if not specs:
        return []
    head = _locked_head()
    request = context.current()
    now = timezone.now()
    events: list[AuditEvent] = []
    named_rows: list[AuditEventPatient] = []
    last_id, last_hash = head.last_event_id, head.last_hash
    for spec in specs:
        last_id += 1
        event = AuditEvent(
            id=last_id,
            occurred_at=now,
            actor_id=getattr(spec.actor, "pk", None),
            actor_label=actor_label(spec.actor),
            clinic_id=spec.clinic_id,
            patient_id=spec.patient_id,
            action=spec.action,
            object_type=spec.object_type,
            object_id=spec.object_id,
            summary=spec.summary[:300],
            changes=_json_safe(dict(spec.changes)),
            previous=None if spec.previous is None else _json_safe(dict(spec.previous)),
            ip_address=request.ip_address,
            user_agent=request.user_agent,
            request_id=request.request_id,
            previous_hash=last_hash,
        )
        event.entry_hash = compute_hash(last_hash, event, spec.named)
        last_hash = event.entry_hash
        events.append(event)
        named_rows += [
            AuditEventPatient(event_id=last_id, patient_id=pid, names_only=names_only)
            for pid, names_only in spec.named
        ]
    AuditEvent.objects.bulk_create(events)
    AuditEventPatient.objects.bulk_create(named_rows, batch_size=2000)
    head.last_event_id = last_id
    head.last_hash = last_hash
    head.event_count += len(events)
    head.save(update_fields=["last_event_id", "last_hash", "event_count"])
    return events


def _locked_head() -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        AuditChainHead.objects.get_or_create(pk=1, defaults={"last_hash": GENESIS_HASH})
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    return head


# --- reads ----------------------------------------------------------------------------------


def record_access(
    *,
    actor: Any,
    clinic_id: uuid.UUID,
    action: AuditAction,
    what: str,
    patient_ids: Iterable[uuid.UUID] = (),
    object_type: str = "patient",
) -> None:
    """Record a read. Within a request (``coalesced_reads``) reads are collected and written
    once at its end: one event per patient read on its own, and one event naming every patient
    a list, board or export showed (see ``reads.ReadCollector``). Outside a request the read is
    written at once, by the same rules."""
    collector = reads.current()
    if collector is not None:
        collector.add(actor, clinic_id, action, what, patient_ids, object_type)
        return
    one_off = reads.ReadCollector()
    one_off.add(actor, clinic_id, action, what, patient_ids, object_type)
    append(one_off.specs())


@contextmanager
def coalesced_reads() -> Iterator[None]:
    """Collect the reads of the block and write them once when it ends, however it ends: a
    read that happened before an exception is still recorded (a trail that over-records is
    safer than one with gaps)."""
    collector = reads.ReadCollector()
    token = reads.bind(collector)
    try:
        yield
    finally:
        reads.unbind(token)
        append(collector.specs())


# --- change history -------------------------------------------------------------------------


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The instance's stored field values, JSON-safe (files by name)."""
    values: dict[str, Any] = {}
    for model_field in instance._meta.concrete_fields:
        values[model_field.attname] = _json_value(getattr(instance, model_field.attname))
    return values


def diff(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> dict[str, list[Any]]:
    before = before or {}
    after = after or {}
    keys = sorted(set(before) | set(after))
    return {
        key: [before.get(key), after.get(key)]
        for key in keys
        if before.get(key) != after.get(key) and key not in {"updated_at"}
    }


# Records that carry neither clinic nor patient themselves belong to the one they hang off
# (chair-side entries to their session, phase transitions to their course).
_OWNER_FIELDS = ("session", "course", "call")  # a follow-up attempt belongs to its call


def _subject(instance: models.Model) -> tuple[uuid.UUID | None, uuid.UUID | None]:
    """The clinic and patient an event is about, so each patient's access log shows it."""
    clinic_id = getattr(instance, "clinic_id", None)
    if instance._meta.label == "patients.Patient":
        return clinic_id, instance.pk
    patient_id = getattr(instance, "patient_id", None)
    if clinic_id is None and patient_id is None:
        for name in _OWNER_FIELDS:
            if getattr(instance, f"{name}_id", None) is not None:
                owner = getattr(instance, name)
                return owner.clinic_id, owner.patient_id
    return clinic_id, patient_id


@transaction.atomic
def audited_save(instance: models.Model, *, actor: Any, summary: str = "") -> models.Model:
    """Save ``instance`` and record the change with the version it replaced."""
    model = type(instance)
    existing = model._default_manager.filter(pk=instance.pk).first() if instance.pk else None
    is_new = existing is None or instance._state.adding
    before = None if is_new or existing is None else snapshot(existing)
    instance.save()
    after = snapshot(instance)
    changes = diff(before, after)
    if not is_new and not changes:
        return instance
    clinic_id, patient_id = _subject(instance)
    append(
        [
            EventSpec(
                action=AuditAction.CREATE if is_new else AuditAction.UPDATE,
                actor=actor,
                clinic_id=clinic_id,
                patient_id=patient_id,
                object_type=instance._meta.label_lower,
                object_id=str(instance.pk),
                summary=summary or f"{instance._meta.verbose_name} {instance}",
                changes=changes,
                previous=before,
            )
        ]
    )
    return instance


@transaction.atomic
def audited_delete(instance: models.Model, *, actor: Any, summary: str = "") -> None:
    """Delete ``instance``, keeping its last version in the audit trail."""
    before = snapshot(instance)
    clinic_id, patient_id = _subject(instance)
    object_id = str(instance.pk)
    label = f"{instance._meta.verbose_name} {instance}"
    instance.delete()
    append(
        [
            EventSpec(
                action=AuditAction.DELETE,
                actor=actor,
                clinic_id=clinic_id,
                patient_id=patient_id,
                object_type=instance._meta.label_lower,
                object_id=object_id,
                summary=summary or label,
                changes=diff(before, None),
                previous=before,
            )
        ]
    )


def _json_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return (
            value.astimezone(dt.UTC).isoformat() if timezone.is_aware(value) else value.isoformat()
        )
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, Mapping):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    return str(value)


def _json_safe(value: dict[str, Any]) -> dict[str, Any]:
    result = _json_value(value)
    assert isinstance(result, dict)
    return result


# --- verification ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChainVerification:
    ok: bool
    events_checked: int
    broken_at: int | None = None
    reason: str = ""


def _named_by_event(first_id: int, last_id: int) -> dict[int, list[tuple[str, bool]]]:
    named: dict[int, list[tuple[str, bool]]] = defaultdict(list)
    rows = AuditEventPatient.objects.filter(event_id__gte=first_id, event_id__lte=last_id)
    for event_id, patient_id, names_only in rows.values_list(
        "event_id", "patient_id", "names_only"
    ):
        named[event_id].append((str(patient_id), names_only))
    return named


def verify_chain(*, chunk_size: int = 2000) -> ChainVerification:
    """Recompute every link (each event with the set of patients it names); report the first
    event where the chain breaks."""
    expected_id = 0
    running_hash = GENESIS_HASH
    checked = 0
    named_checked = 0
    last_seen = 0
    while True:
        chunk = list(AuditEvent.objects.filter(id__gt=last_seen).order_by("id")[:chunk_size])
        if not chunk:
            break
        last_seen = chunk[-1].id
        named = _named_by_event(chunk[0].id, last_seen)
        for event in chunk:
            expected_id += 1
            if event.id != expected_id:
                return ChainVerification(
                    False, checked, expected_id, f"event #{expected_id} is missing (deleted?)"
                )
            if event.previous_hash != running_hash:
                return ChainVerification(
                    False, checked, event.id, f"event #{event.id} does not link to its predecessor"
                )
            event_named = named.get(event.id, [])
            if compute_hash(running_hash, event, event_named) != event.entry_hash:
                return ChainVerification(
                    False, checked, event.id, f"event #{event.id} was altered after it was written"
                )
            running_hash = event.entry_hash
            checked += 1
            named_checked += len(event_named)
    head = AuditChainHead.objects.filter(pk=1).first()
    head_id = head.last_event_id if head else 0
    head_hash = head.last_hash if head else GENESIS_HASH
    if head_id != expected_id or head_hash != running_hash:
        return ChainVerification(
            False,
            checked,
            head_id or None,
            f"the chain head records {head_id} events but {expected_id} remain (truncated?)",
        )
    if AuditEventPatient.objects.count() != named_checked:
        return ChainVerification(
            False, checked, None, "a patient is named by an event that does not exist (added?)"
        )
    return ChainVerification(True, checked)
