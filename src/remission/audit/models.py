"""The audit trail: one append-only, hash-chained table of access and change events."""

from __future__ import annotations

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

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["clinic_id", "occurred_at"])]

    def __str__(self) -> str:
        return f"#{self.id} {self.action} {self.object_type} by {self.actor_label}"


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
