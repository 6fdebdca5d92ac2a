"""Self-service for every signed-in person (profile, password, recovery codes) and accepting
an invitation (issue 12 item 9)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from remission.accounts import invitations, selectors, self_service, services
from remission.accounts.forms import ChangePasswordForm, NewPasswordForm, ProfileForm
from remission.forms import add_service_errors


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(
        request.POST or None,
        initial={"first_name": user.first_name, "last_name": user.last_name, "email": user.email},  # type: ignore[union-attr]
    )
    if request.method == "POST" and form.is_valid():
        try:
            self_service.update_profile(user=user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Your details are saved.")
            return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "has_device": selectors.has_confirmed_device(user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    form = ChangePasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            self_service.change_password(
                user=request.user,
                current=form.cleaned_data["old_password"],
                new=form.cleaned_data["new_password1"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            update_session_auth_hash(request, request.user)  # type: ignore[arg-type]
            messages.success(request, "Your password is changed.")
            return redirect("accounts:profile")
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Recovery codes are shown once, when made; here they can be made anew."""
    error = ""
    if request.method == "POST":
        try:
            codes = services.regenerate_recovery_codes(user=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            return render(request, "accounts/recovery_codes.html", {"codes": codes})
    return render(
        request,
        "accounts/recovery_codes_new.html",
        {"has_device": selectors.has_confirmed_device(request.user), "error": error},
    )


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    found = invitations.invitation_for_token(token)
    if found is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    existing = invitations.existing_account(found)
    context: dict[str, object] = {"invitation": found, "existing": existing is not None}
    if existing is None:
        form = NewPasswordForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                user = invitations.accept_as_new_person(
                    invitation=found, password=form.cleaned_data["new_password1"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, f"Welcome to {found.clinic.name}.")
                return redirect("web:home")
        context["form"] = form
    elif request.user.is_authenticated and request.method == "POST":
        try:
            invitations.accept_as_signed_in(invitation=found, user=request.user)
        except ValidationError as exc:
            context["errors"] = exc.messages
        else:
            messages.success(request, f"You joined {found.clinic.name}.")
            return redirect("web:dashboard", clinic_slug=found.clinic.slug)
    context["login_url"] = f"{reverse('accounts:login')}?next={request.path}"
    return render(request, "accounts/invitation.html", context)
