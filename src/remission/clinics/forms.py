from __future__ import annotations

from django import forms

from remission.clinics.models import Clinic


class ClinicSettingsForm(forms.ModelForm):
    class Meta:
        model = Clinic
        fields = [
            "name",
            "address_line1",
            "address_line2",
            "city",
            "region",
            "postal_code",
            "country",
            "phone",
            "time_zone",
            "rems_certification_number",
            "require_two_factor",
            "idle_timeout_minutes",
        ]

    def clean_idle_timeout_minutes(self) -> int | None:
        value = self.cleaned_data.get("idle_timeout_minutes")
        if value is not None and not 1 <= value <= 240:
            raise forms.ValidationError("Choose between 1 and 240 minutes.")
        return value
