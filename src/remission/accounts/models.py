"""Accounts: users (staff and patients) and their memberships of clinics with a role."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models

from remission.accounts.roles import Capability, Role, capabilities_of


class User(AbstractUser):
    """A person who can sign in: staff of one or more clinics, or a patient."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(max_length=150, blank=True)

    objects: ClassVar[UserManager[User]] = UserManager()  # type: ignore[assignment]

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username


class Membership(models.Model):
    """A staff user's role in one clinic."""

    id = models.BigAutoField(primary_key=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    clinic = models.ForeignKey(
        "clinics.Clinic", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=32, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "clinic"], name="one_role_per_user_and_clinic")
        ]
        ordering = ["clinic__name", "user__last_name"]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} at {self.clinic}"

    @property
    def capabilities(self) -> frozenset[Capability]:
        return capabilities_of(self.role)

    def can(self, capability: Capability) -> bool:
        return self.is_active and capability in self.capabilities


class Invitation(models.Model):
    """A single-use, expiring link that lets a person set a password, or join this clinic.

    Only a hash of the link's token is stored. An invitation for a prescribing or
    medical-director role is sent only once a medical director approves its ``RoleGrant``.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    clinic = models.ForeignKey(
        "clinics.Clinic", on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    first_name = models.CharField(max_length=150)
    last_name = models.CharField(max_length=150)
    role = models.CharField(max_length=32, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="invitations_sent"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"invitation of {self.email} to {self.clinic} as {self.get_role_display()}"

    @property
    def is_closed(self) -> bool:
        return self.accepted_at is not None or self.revoked_at is not None


class GrantStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a medical director"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"


class RoleGrant(models.Model):
    """A prescribing or medical-director role asked for by one person, decided by a medical
    director who is someone else: for an existing member (``member``) or an invitation."""

    id = models.BigAutoField(primary_key=True)
    clinic = models.ForeignKey(
        "clinics.Clinic", on_delete=models.CASCADE, related_name="role_grants"
    )
    role = models.CharField(max_length=32, choices=Role.choices)
    member = models.ForeignKey(
        Membership, on_delete=models.CASCADE, null=True, blank=True, related_name="grants"
    )
    invitation = models.OneToOneField(
        Invitation, on_delete=models.CASCADE, null=True, blank=True, related_name="grant"
    )
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=16, choices=GrantStatus.choices, default=GrantStatus.PENDING
    )
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        who = (
            self.member.user if self.member else (self.invitation.email if self.invitation else "")
        )
        return f"{self.get_role_display()} for {who}"
