"""Separation of duties over accounts, as plain rules (issue 11 §1, §2).

Who may change whose credentials, and which role grants need a second person. Services call
these and refuse with every reason returned; the screens show the same reasons.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable

from remission.accounts.roles import Role

# Roles that act on patients: granting one to oneself would give one person two identities
# (the two-person dose check and the waste witness rely on two people).
CLINICAL_ROLES = frozenset({Role.MEDICAL_DIRECTOR, Role.PRESCRIBER, Role.NURSE, Role.THERAPIST})
# Roles that order doses or sign for the clinic: a medical director approves each grant.
APPROVAL_ROLES = frozenset({Role.MEDICAL_DIRECTOR, Role.PRESCRIBER})

CROSS_CLINIC_REASON = (
    "This person also works at another clinic: their password and two-factor can be reset "
    "only by someone who administers every clinic they belong to."
)
SELF_GRANT_REASON = "You cannot grant a clinical role to yourself; ask another administrator."


def needs_director_approval(role: str) -> bool:
    return role in APPROVAL_ROLES


def grant_problems(*, actor_id: Hashable, subject_id: Hashable | None, role: str) -> list[str]:
    """Why ``actor`` may not grant ``role`` to ``subject`` now (empty: they may)."""
    if role not in Role.values:
        return [f"Unknown role {role!r}."]
    if subject_id is not None and subject_id == actor_id and role in CLINICAL_ROLES:
        return [SELF_GRANT_REASON]
    return []


def approval_problems(
    *, approver_id: Hashable, requester_id: Hashable, subject_id: Hashable | None
) -> list[str]:
    """Why ``approver`` may not approve a grant asked for by ``requester`` for ``subject``."""
    problems = []
    if approver_id == requester_id:
        problems.append("The person who asked for this role cannot also approve it.")
    if subject_id is not None and approver_id == subject_id:
        problems.append("You cannot approve a role for yourself.")
    return problems


def credential_problems(
    *,
    subject_clinics: Collection[Hashable],
    administered_clinics: Collection[Hashable],
    instance_admin: bool,
) -> list[str]:
    """Why an actor may not reset the subject's password or two-factor.

    ``subject_clinics`` are every clinic the subject belongs to; ``administered_clinics`` those
    where the actor manages users. An instance-level administrator may always.
    """
    if instance_admin:
        return []
    if not set(subject_clinics) <= set(administered_clinics):
        return [CROSS_CLINIC_REASON]
    return []
