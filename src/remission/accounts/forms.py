"""Sign-in, two-factor and staff administration forms."""

from __future__ import annotations

from django import forms

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
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    email = forms.EmailField()
    role = forms.ChoiceField(choices=Role.choices)


class ChangeMemberForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)
    is_active = forms.BooleanField(required=False, label="Active member")
