"""Forms for the patient register: validate input and show errors inline, nothing more."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db import models

from remission.clinical import diagnoses, units
from remission.clinical.errors import ClinicalInputError
from remission.forms import DateInput, DateTimeInput
from remission.patients.models import (
    Allergy,
    AntidepressantTrial,
    BodyMeasurement,
    Consent,
    Diagnosis,
    MeasurementKind,
    Patient,
)
from remission.patients.validators import (
    resolve_icd10_code,
    validate_date_of_birth,
    validate_not_future,
)
from remission.patients.widgets import DiagnosisCodeInput


class PatientForm(forms.ModelForm):
    class Meta:
        model = Patient
        fields = [
            "mrn",
            "legal_first_name",
            "legal_middle_name",
            "legal_last_name",
            "preferred_name",
            "date_of_birth",
            "sex_at_birth",
            "gender_identity",
            "pronouns",
            "phone",
            "email",
            "address_line1",
            "address_line2",
            "city",
            "region",
            "postal_code",
            "emergency_contact_name",
            "emergency_contact_relationship",
            "emergency_contact_phone",
            "primary_care_provider",
            "primary_care_phone",
            "referring_provider",
            "referring_provider_phone",
            "no_known_allergies",
            "japanese_ancestry",
        ]
        widgets = {
            "date_of_birth": DateInput(),
            "japanese_ancestry": forms.NullBooleanSelect(),
        }

    def __init__(self, *args: Any, clinic: models.Model, **kwargs: Any) -> None:
        # the patient's clinic (``clinics.Clinic``, a layer above): MRNs are unique within it
        super().__init__(*args, **kwargs)
        self.clinic = clinic

    def clean_date_of_birth(self) -> Any:
        value = self.cleaned_data["date_of_birth"]
        validate_date_of_birth(value)
        return value

    def clean_mrn(self) -> str:
        mrn = self.cleaned_data["mrn"].strip()
        duplicate = Patient.objects.filter(clinic_id=self.clinic.pk, mrn__iexact=mrn)
        if self.instance.pk:
            duplicate = duplicate.exclude(pk=self.instance.pk)
        if duplicate.exists():
            raise forms.ValidationError(f"MRN {mrn} is already used by another patient here.")
        return mrn

    def validate_unique(self) -> None:
        # clinic is not a form field; clean_mrn checks uniqueness within the clinic instead.
        pass


class DiagnosisForm(forms.ModelForm):
    # longer than the stored code: a name typed here is resolved to its code (``clean_code``)
    code = forms.CharField(
        label="Diagnosis (ICD-10-CM code or name)",
        max_length=120,
        widget=DiagnosisCodeInput(),
        help_text="Type a code (F33.2, I10) or a name (hypertension, sleep apnoea); "
        "matching diagnoses are suggested as you type.",
    )

    class Meta:
        model = Diagnosis
        fields = ["code", "status", "is_primary", "treatment_resistant", "onset_date", "note"]
        widgets = {
            "onset_date": DateInput(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def clean_code(self) -> str:
        return resolve_icd10_code(self.cleaned_data["code"])

    def clean_onset_date(self) -> Any:
        value = self.cleaned_data.get("onset_date")
        if value:
            validate_not_future(value)
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        entry = diagnoses.lookup(data.get("code") or "")
        if data.get("treatment_resistant") and entry and not entry.is_depressive_episode:
            self.add_error(
                "treatment_resistant",
                "Treatment resistance applies to a major depressive disorder diagnosis.",
            )
        return data


class AllergyForm(forms.ModelForm):
    class Meta:
        model = Allergy
        fields = ["substance", "reaction", "severity"]


UNIT_CHOICES = [("kg", "kg"), ("lb", "lb"), ("cm", "cm"), ("in", "in")]
UNITS_BY_KIND = {MeasurementKind.WEIGHT: {"kg", "lb"}, MeasurementKind.HEIGHT: {"cm", "in"}}


class BodyMeasurementForm(forms.ModelForm):
    unit = forms.ChoiceField(choices=UNIT_CHOICES)

    class Meta:
        model = BodyMeasurement
        fields = ["kind", "measured_on", "value", "unit"]
        widgets = {"measured_on": DateInput()}

    def clean_measured_on(self) -> Any:
        value = self.cleaned_data["measured_on"]
        validate_not_future(value)
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, value, unit = data.get("kind"), data.get("value"), data.get("unit")
        if kind is None or value is None or unit is None:
            return data
        if unit not in UNITS_BY_KIND[MeasurementKind(kind)]:
            self.add_error("unit", f"{unit} is not a unit of {kind}.")
            return data
        try:
            data["value_si"] = si_value(MeasurementKind(kind), Decimal(value), unit)
        except ClinicalInputError as exc:
            self.add_error("value", str(exc).capitalize() + ".")
        return data


def si_value(kind: MeasurementKind, value: Decimal, unit: str) -> Decimal:
    if kind == MeasurementKind.WEIGHT:
        return units.weight_to_kg(value, units.WeightUnit(unit))
    return units.height_to_cm(value, units.LengthUnit(unit))


class AntidepressantTrialForm(forms.ModelForm):
    class Meta:
        model = AntidepressantTrial
        fields = [
            "drug",
            "dose_mg_per_day",
            "duration_weeks",
            "adherence",
            "outcome",
            "adequate_trial",
            "current_episode",
            "augmentation",
            "start_date",
            "note",
        ]
        widgets = {"start_date": DateInput(), "note": forms.Textarea(attrs={"rows": 2})}

    def clean_duration_weeks(self) -> int:
        weeks: int = self.cleaned_data["duration_weeks"]
        if not 1 <= weeks <= 520:
            raise forms.ValidationError("Duration must be between 1 and 520 weeks.")
        return weeks

    def clean_dose_mg_per_day(self) -> Any:
        dose = self.cleaned_data.get("dose_mg_per_day")
        if dose is not None and dose <= 0:
            raise forms.ValidationError("A dose must be more than 0 mg/day.")
        return dose

    def clean_start_date(self) -> Any:
        value = self.cleaned_data.get("start_date")
        if value:
            validate_not_future(value)
        return value


class ConsentForm(forms.ModelForm):
    class Meta:
        model = Consent
        fields = ["consent_type", "version", "signed_at", "signed_by", "file", "revoked_at", "note"]
        widgets = {
            "signed_at": DateTimeInput(),
            "revoked_at": DateTimeInput(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"file": "The signed form as PDF or image (up to 10 MB)."}

    ALLOWED_FILE_TYPES = (".pdf", ".png", ".jpg", ".jpeg")

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "size"):
            if not upload.name.lower().endswith(self.ALLOWED_FILE_TYPES):
                raise forms.ValidationError("Upload a PDF, PNG or JPEG file.")
            if upload.size > 10 * 1024 * 1024:
                raise forms.ValidationError("The file is larger than 10 MB.")
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        from django.utils import timezone

        signed, revoked = data.get("signed_at"), data.get("revoked_at")
        if signed and signed > timezone.now():
            self.add_error("signed_at", "A consent cannot be signed in the future.")
        if signed and revoked and revoked < signed:
            self.add_error("revoked_at", "Revocation cannot precede signature.")
        return data


class PatientSearchForm(forms.Form):
    q = forms.CharField(required=False, label="Search by name, MRN or date of birth")
