from __future__ import annotations

from typing import Any

from django import forms

from remission.clinical import esketamine
from remission.clinics.models import Clinic


class ClinicSettingsForm(forms.ModelForm):
    esketamine_label = forms.ChoiceField(
        label="Esketamine label",
        choices=[(label.value, label.display) for label in esketamine.Label],
        help_text="The product label your jurisdiction follows: it sets the esketamine day-1 "
        "dose (the SmPC starts at 28 mg at 65 or over) and whether TRD needs an oral "
        "antidepressant.",
    )

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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        overrides = self.instance.clinical_overrides or {}
        self.fields["esketamine_label"].initial = esketamine.clinic_label(overrides).value

    def clean(self) -> dict[str, Any]:
        """The label is a clinical setting: it joins the clinic's overrides (registry key
        ``esketamine.label``) instead of a column of its own."""
        data = super().clean() or {}
        label = data.pop("esketamine_label", None)
        if label:
            data["clinical_overrides"] = {
                **(self.instance.clinical_overrides or {}),
                esketamine.LABEL_KEY: label,
            }
        return data

    def clean_idle_timeout_minutes(self) -> int | None:
        value = self.cleaned_data.get("idle_timeout_minutes")
        if value is not None and not 1 <= value <= 240:
            raise forms.ValidationError("Choose between 1 and 240 minutes.")
        return value
