"""Sign-in, two-factor and staff administration forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.functional import lazy

from remission.accounts.roles import Role


class TokenForm(forms.Form):
    code = forms.CharField(
        label="Six-digit code (or a recovery code)",
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class SetupForm(forms.Form):
    code = forms.CharField(
        label="Code shown by your authenticator app",
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class AddMemberForm(forms.Form):
    """Staff → Add: sends an invitation link (nobody is given a password)."""

    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    email = forms.EmailField(label="E-mail")
    # No role is preselected: a slip must not invite a medical director.
    role = forms.ChoiceField(choices=[("", "Choose a role"), *Role.choices])


class ChangeMemberForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)
    is_active = forms.BooleanField(required=False, label="Active member")


class ProfileForm(forms.Form):
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    email = forms.EmailField(label="E-mail")


def _password_help() -> str:
    return " ".join(password_validation.password_validators_help_texts())


class NewPasswordForm(forms.Form):
    """A new password typed twice; the validators themselves run in the service."""

    new_password1 = forms.CharField(
        label="New password",
        max_length=256,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=lazy(_password_help, str)(),
    )
    new_password2 = forms.CharField(
        label="New password again",
        max_length=256,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        one, two = data.get("new_password1"), data.get("new_password2")
        if one and two and one != two:
            self.add_error("new_password2", "The two passwords differ.")
        return data


class ChangePasswordForm(NewPasswordForm):
    old_password = forms.CharField(
        label="Current password",
        max_length=256,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["old_password", "new_password1", "new_password2"]


class GrantDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("decline", "Decline")])
