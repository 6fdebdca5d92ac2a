"""Clinic administration: staff and roles, clinic settings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from remission.accounts import selectors as account_selectors
from remission.accounts import services as account_services
from remission.accounts.decorators import clinic_member
from remission.accounts.forms import AddMemberForm, ChangeMemberForm
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
            member, password = account_services.add_staff_member(
                membership=membership, **form.cleaned_data
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            if password:
                messages.success(
                    request,
                    f"Added {member.user.email} as {member.get_role_display()}. "
                    f"Temporary password (shown once): {password}",
                )
            else:
                messages.success(
                    request, f"Added {member.user.email} as {member.get_role_display()}."
                )
            return redirect("clinics:members", clinic_slug=membership.clinic.slug)
    roles = [(role, sorted(c.value for c in ROLE_CAPABILITIES[role])) for role in Role]
    return render(
        request,
        "clinics/members.html",
        {"rows": rows, "form": form, "roles": roles, "capabilities": list(Capability)},
    )


@clinic_member
@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, membership: Membership, member_id: str) -> HttpResponse:
    member = account_selectors.clinic_member(membership=membership, member_id=member_id)
    form = ChangeMemberForm(
        request.POST or None, initial={"role": member.role, "is_active": member.is_active}
    )
    if request.method == "POST" and form.is_valid():
        try:
            account_services.change_member(
                membership=membership, member=member, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, f"Saved {member.user}.")
            return redirect("clinics:members", clinic_slug=membership.clinic.slug)
    has_device = account_selectors.has_confirmed_device(member.user)
    return render(
        request,
        "clinics/member_edit.html",
        {"member": member, "form": form, "has_device": has_device},
    )


@clinic_member
@require_POST
def member_reset_two_factor(
    request: HttpRequest, membership: Membership, member_id: str
) -> HttpResponse:
    member = account_selectors.clinic_member(membership=membership, member_id=member_id)
    account_services.reset_two_factor(membership=membership, member=member)
    messages.success(request, f"{member.user} will set up a new authenticator at next sign-in.")
    return redirect("clinics:member_edit", clinic_slug=membership.clinic.slug, member_id=member.pk)


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
