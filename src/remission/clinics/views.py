"""Clinic administration: staff and roles, clinic settings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from remission.accounts import decisions, grants, invitations
from remission.accounts import selectors as account_selectors
from remission.accounts import services as account_services
from remission.accounts.decorators import clinic_member
from remission.accounts.forms import AddMemberForm, ChangeMemberForm, GrantDecisionForm
from remission.accounts.models import Membership
from remission.accounts.roles import ROLE_CAPABILITIES, Capability, Role
from remission.clinics import selectors, services
from remission.clinics.forms import ClinicSettingsForm
from remission.forms import add_service_errors


@clinic_member
@require_http_methods(["GET", "POST"])
def members(request: HttpRequest, membership: Membership) -> HttpResponse:
    rows = account_selectors.clinic_members(membership=membership)
    form = AddMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sent = invitations.invite_staff_member(membership=membership, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            # The same words whether or not the address has an account (no enumeration).
            waits = " once a medical director approves the role" if sent.sent_at is None else ""
            messages.success(
                request,
                f"An invitation to join as {sent.get_role_display()} goes to {sent.email}{waits}.",
            )
            return redirect("clinics:members", clinic_slug=membership.clinic.slug)
    roles = [(role, sorted(c.value for c in ROLE_CAPABILITIES[role])) for role in Role]
    context = {
        "rows": rows,
        "form": form,
        "roles": roles,
        "capabilities": list(Capability),
        "invitations": invitations.open_invitations(membership.clinic_id).select_related("grant"),
        "grants": grants.pending_grants(membership=membership),
        "may_approve": membership.can(Capability.APPROVE_CLINICAL_ROLES),
        "now": timezone.now(),
    }
    return render(request, "clinics/members.html", context)


@clinic_member
@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, membership: Membership, member_id: str) -> HttpResponse:
    member = account_selectors.clinic_member(membership=membership, member_id=member_id)
    form = ChangeMemberForm(
        request.POST or None, initial={"role": member.role, "is_active": member.is_active}
    )
    if request.method == "POST" and form.is_valid():
        try:
            grant = account_services.change_member(
                membership=membership, member=member, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            waits = f"; {grant.get_role_display()} waits for a medical director" if grant else ""
            messages.success(request, f"Saved {member.user}{waits}.")
            return redirect("clinics:members", clinic_slug=membership.clinic.slug)
    context = {
        "member": member,
        "form": form,
        "has_device": account_selectors.has_confirmed_device(member.user),
        "credential_problems": account_services.credential_problems(
            membership=membership, subject=member.user
        ),
    }
    return render(request, "clinics/member_edit.html", context)


def _credential_action(
    request: HttpRequest, membership: Membership, member_id: str, *, password: bool
) -> HttpResponse:
    member = account_selectors.clinic_member(membership=membership, member_id=member_id)
    try:
        if password:
            account_services.send_password_reset(membership=membership, member=member)
        else:
            account_services.reset_two_factor(membership=membership, member=member)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        done = (
            "was sent a link to choose a new password"
            if password
            else "will set up a new authenticator at next sign-in"
        )
        messages.success(request, f"{member.user} {done}.")
    return redirect("clinics:member_edit", clinic_slug=membership.clinic.slug, member_id=member.pk)


@clinic_member
@require_POST
def member_reset_two_factor(
    request: HttpRequest, membership: Membership, member_id: str
) -> HttpResponse:
    return _credential_action(request, membership, member_id, password=False)


@clinic_member
@require_POST
def member_reset_password(
    request: HttpRequest, membership: Membership, member_id: str
) -> HttpResponse:
    return _credential_action(request, membership, member_id, password=True)


@clinic_member
@require_POST
def invitation_action(
    request: HttpRequest, membership: Membership, invitation_id: str, action: str
) -> HttpResponse:
    if action not in ("resend", "revoke"):
        raise Http404("No such action.")
    found = invitations.clinic_invitation(membership=membership, invitation_id=invitation_id)
    try:
        if action == "resend":
            invitations.resend_invitation(membership=membership, invitation=found)
        else:
            invitations.revoke_invitation(membership=membership, invitation=found)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        done = "sent again" if action == "resend" else "withdrawn"
        messages.success(request, f"The invitation to {found.email} is {done}.")
    return redirect("clinics:members", clinic_slug=membership.clinic.slug)


@clinic_member
@require_POST
def grant_decide(request: HttpRequest, membership: Membership, grant_id: str) -> HttpResponse:
    grant = grants.pending_grant(membership=membership, grant_id=grant_id)
    form = GrantDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose approve or decline.")
    else:
        try:
            decided = decisions.decide_grant(
                membership=membership,
                grant=grant,
                approve=form.cleaned_data["decision"] == "approve",
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{decided.get_status_display()}: {decided}.")
    return redirect("clinics:members", clinic_slug=membership.clinic.slug)


@clinic_member
@require_http_methods(["GET", "POST"])
def clinic_settings(request: HttpRequest, membership: Membership) -> HttpResponse:
    clinic = selectors.clinic_for_settings(membership=membership)
    form = ClinicSettingsForm(request.POST or None, instance=clinic)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_clinic_settings(membership=membership, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Clinic settings saved.")
            return redirect("clinics:settings", clinic_slug=membership.clinic.slug)
    return render(request, "clinics/settings.html", {"form": form})
