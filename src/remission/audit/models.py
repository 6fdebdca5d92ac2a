"""The audit trail: one append-only, hash-chained table of access and change events."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class AuditAction(models.TextChoices):
    VIEW = "view", "Viewed"
    LIST = "list", "Listed"
    SEARCH = "search", "Searched"
    EXPORT = "export", "Exported"
    API = "api", "Read through the API"
    PDF = "pdf", "Printed / PDF"
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    DELETE = "delete", "Deleted"
    LOGIN = "login", "Signed in"
    LOGIN_FAILED = "login_failed", "Failed sign-in"
    LOGOUT = "logout", "Signed out"
    SECURITY = "security", "Security setting changed"


READ_ACTIONS = frozenset(
    {
        AuditAction.VIEW,
        AuditAction.LIST,
        AuditAction.SEARCH,
        AuditAction.EXPORT,
        AuditAction.API,
        AuditAction.PDF,
    }
)
CHANGE_ACTIONS = frozenset({AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE})
# Reads that show only who is listed and when (a board, a calendar, a list, search results):
# recorded, but left out of a patient's "who looked at my record" view unless asked for.
NAMES_ONLY_ACTIONS = frozenset({AuditAction.LIST, AuditAction.SEARCH})


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def naming(self, patient_id: Any) -> AuditEventQuerySet:
        """Events about the patient alone or naming the patient among others (a list)."""
        listed = AuditEventPatient.objects.filter(patient_id=patient_id).values("event_id")
        return self.filter(models.Q(patient_id=patient_id) | models.Q(id__in=listed))


class AuditEvent(models.Model):
    """One event. Rows are never updated or deleted; ``entry_hash`` chains each to the last.

    ``clinic_id`` and ``patient_id`` are plain UUIDs, not foreign keys, so that no cascade
    can ever remove an event when a patient or clinic is deleted.
    """

    id = models.BigIntegerField(primary_key=True, help_text="Position in the chain, from 1.")
    occurred_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    actor_label = models.CharField(max_length=200, blank=True)
    clinic_id = models.UUIDField(null=True, db_index=True)
    patient_id = models.UUIDField(null=True, db_index=True)
    action = models.CharField(max_length=16, choices=AuditAction.choices)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    previous = models.JSONField(null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True)
    user_agent = models.CharField(max_length=300, blank=True)
    request_id = models.CharField(max_length=40, blank=True)
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["clinic_id", "occurred_at"]),
            # A patient's newest events first, read through the index and a limit: the id is
            # in the key because on SQLite a ``bigint`` primary key is not the rowid.
            models.Index(fields=["patient_id", "-id"], name="audit_event_patient_newest"),
        ]

    def __str__(self) -> str:
        return f"#{self.id} {self.action} {self.object_type} by {self.actor_label}"


class AuditEventPatient(models.Model):
    """One patient named by a read event that showed several patients (a list, a board, an
    export). The set is part of the event's hash (``services._payload``), so adding, removing
    or re-flagging a row breaks the chain like an edit of the event itself.

    A related table rather than a JSON array on the event: "which events named this patient,
    newest first" is then one B-tree range scan with a limit on both SQLite and PostgreSQL
    (SQLite cannot index into a JSON array, and PostgreSQL's GIN index on ``jsonb`` answers
    containment but not order-by-id-with-limit).
    """

    event = models.ForeignKey(
        AuditEvent, on_delete=models.DO_NOTHING, db_constraint=False, related_name="named_patients"
    )
    patient_id = models.UUIDField()
    names_only = models.BooleanField(
        help_text="The event showed only this patient's name and times (a listing)."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "patient_id"], name="audit_patient_once")
        ]
        indexes = [
            # Newest first per patient: every set that named the patient, and (partial) only
            # those that showed more than the name, for the default "who looked" view.
            models.Index(fields=["patient_id", "-event"], name="audit_patient_newest"),
            models.Index(
                fields=["patient_id", "-event"],
                condition=models.Q(names_only=False),
                name="audit_patient_shown_newest",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.event_id} named {self.patient_id}"


class AuditChainHead(models.Model):
    """The newest link of the chain, so truncating the table's tail is detectable too.

    A single row (id=1), locked while an event is appended so links never fork.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_event_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)
    event_count = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"audit chain head at #{self.last_event_id}"
