"""Reading accounts: memberships, two-factor state, session policy."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from remission.accounts.access import require
from remission.accounts.models import Membership
from remission.accounts.roles import Capability


def has_confirmed_device(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def two_factor_required(user: Any) -> bool:
    """Staff of any clinic that enforces two-factor must use it everywhere."""
    return Membership.objects.filter(
        user=user, is_active=True, clinic__require_two_factor=True
    ).exists()


def idle_timeout_minutes(user: Any) -> int:
    """The strictest idle timeout of the user's clinics, else the server default."""
    default: int = settings.REMISSION_IDLE_TIMEOUT_MINUTES
    clinic_limits = Membership.objects.filter(
        user=user, is_active=True, clinic__idle_timeout_minutes__isnull=False
    ).values_list("clinic__idle_timeout_minutes", flat=True)
    return min([default, *[int(m) for m in clinic_limits if m is not None]])


def clinic_members(*, membership: Membership) -> QuerySet[Membership]:
    require(membership, Capability.MANAGE_USERS)
    return Membership.objects.filter(clinic_id=membership.clinic_id).select_related("user")


def clinic_member(*, membership: Membership, member_id: Any) -> Membership:
    from django.http import Http404

    try:
        pk = int(member_id)
    except (TypeError, ValueError):
        raise Http404("No such member.") from None
    member = clinic_members(membership=membership).filter(pk=pk).first()
    if member is None:
        raise Http404("No such member.")
    return member
