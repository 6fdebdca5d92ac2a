"""The patient register: demographics, diagnoses, allergies, measurements, treatment history
and consents. Persistence only; rules live in ``services`` and ``remission.clinical``."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class SexAtBirth(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    INTERSEX = "intersex", "Intersex"
    UNKNOWN = "unknown", "Unknown / not recorded"


class Patient(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="patients")
    mrn = models.CharField("MRN", max_length=32)
    legal_first_name = models.CharField("legal first name", max_length=100)
    legal_middle_name = models.CharField("legal middle name", max_length=100, blank=True)
    legal_last_name = models.CharField("legal last name", max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField()
    sex_at_birth = models.CharField(max_length=16, choices=SexAtBirth.choices)
    gender_identity = models.CharField(max_length=100, blank=True)
    pronouns = models.CharField(max_length=40, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    address_line1 = models.CharField("address", max_length=200, blank=True)
    address_line2 = models.CharField("address (line 2)", max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    region = models.CharField("state / region", max_length=100, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    emergency_contact_name = models.CharField(max_length=200, blank=True)
    emergency_contact_relationship = models.CharField(max_length=100, blank=True)
    emergency_contact_phone = models.CharField(max_length=40, blank=True)
    primary_care_provider = models.CharField(max_length=200, blank=True)
    primary_care_phone = models.CharField(max_length=40, blank=True)
    referring_provider = models.CharField(max_length=200, blank=True)
    referring_provider_phone = models.CharField(max_length=40, blank=True)
    no_known_allergies = models.BooleanField(default=False)
    japanese_ancestry = models.BooleanField(
        "Japanese ancestry",
        null=True,
        blank=True,
        help_text="Asked only because the EU/UK esketamine label (SmPC) starts patients of "
        "Japanese ancestry at a lower dose. Record what the patient says; blank: not asked.",
    )
    portal_user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="patient_record",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["legal_last_name", "legal_first_name"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "mrn"], name="mrn_unique_per_clinic")
        ]
        indexes = [
            models.Index(fields=["clinic", "legal_last_name", "legal_first_name"]),
            models.Index(fields=["clinic", "date_of_birth"]),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.mrn})"

    @property
    def display_name(self) -> str:
        first = self.preferred_name or self.legal_first_name
        return f"{first} {self.legal_last_name}"

    @property
    def legal_name(self) -> str:
        parts = [self.legal_first_name, self.legal_middle_name, self.legal_last_name]
        return " ".join(p for p in parts if p)


class PatientRecord(models.Model):
    """Base of every dated entry in a chart (kept by clinic for partitioning)."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class DiagnosisStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    IN_REMISSION = "in_remission", "In remission"
    RESOLVED = "resolved", "Resolved"
    RULED_OUT = "ruled_out", "Ruled out"


class Diagnosis(PatientRecord):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="diagnoses")
    code = models.CharField("ICD-10-CM code", max_length=10)
    description = models.CharField(max_length=200)
    status = models.CharField(
        max_length=16, choices=DiagnosisStatus.choices, default=DiagnosisStatus.ACTIVE
    )
    is_primary = models.BooleanField("primary diagnosis", default=False)
    treatment_resistant = models.BooleanField(
        default=False, help_text="Treatment-resistant depression (ICD-10-CM has no own code)."
    )
    onset_date = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-is_primary", "code"]
        verbose_name_plural = "diagnoses"

    def __str__(self) -> str:
        return f"{self.code} {self.description}"


class AllergySeverity(models.TextChoices):
    MILD = "mild", "Mild"
    MODERATE = "moderate", "Moderate"
    SEVERE = "severe", "Severe"
    UNKNOWN = "unknown", "Unknown"


class Allergy(PatientRecord):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="allergies")
    substance = models.CharField(max_length=200)
    reaction = models.CharField(max_length=200, blank=True)
    severity = models.CharField(
        max_length=16, choices=AllergySeverity.choices, default=AllergySeverity.UNKNOWN
    )

    class Meta:
        ordering = ["substance"]
        verbose_name_plural = "allergies"

    def __str__(self) -> str:
        return self.substance


class MeasurementKind(models.TextChoices):
    WEIGHT = "weight", "Weight"
    HEIGHT = "height", "Height"


class BodyMeasurement(PatientRecord):
    """A weight or height as entered (value + unit) and in SI units (kg, cm)."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="measurements")
    kind = models.CharField(max_length=8, choices=MeasurementKind.choices)
    measured_on = models.DateField()
    value = models.DecimalField(max_digits=7, decimal_places=2)
    unit = models.CharField(max_length=4)
    value_si = models.DecimalField(
        "value in kg or cm", max_digits=10, decimal_places=4, editable=False
    )

    class Meta:
        ordering = ["-measured_on", "-recorded_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value} {self.unit} on {self.measured_on}"


class Adherence(models.TextChoices):
    GOOD = "good", "Good"
    PARTIAL = "partial", "Partial"
    POOR = "poor", "Poor"
    UNKNOWN = "unknown", "Unknown"


class TrialOutcome(models.TextChoices):
    NO_RESPONSE = "no_response", "No response"
    PARTIAL_RESPONSE = "partial_response", "Partial response"
    RESPONSE = "response", "Response"
    REMISSION = "remission", "Remission"
    INTOLERANCE = "intolerance", "Stopped: intolerance"
    UNKNOWN = "unknown", "Unknown"


class AntidepressantTrial(PatientRecord):
    """One antidepressant treatment trial, as the treatment-resistance staging reads it."""

    patient = models.ForeignKey(
        Patient, on_delete=models.CASCADE, related_name="antidepressant_trials"
    )
    drug = models.CharField(max_length=100)
    dose_mg_per_day = models.DecimalField(
        "dose (mg/day)", max_digits=7, decimal_places=2, null=True, blank=True
    )
    duration_weeks = models.PositiveSmallIntegerField("duration (weeks)")
    adherence = models.CharField(max_length=16, choices=Adherence.choices)
    outcome = models.CharField(max_length=20, choices=TrialOutcome.choices)
    adequate_trial = models.BooleanField(
        "adequate trial", help_text="Adequate dose and duration, as judged by the clinician."
    )
    current_episode = models.BooleanField("in the current episode", default=True)
    augmentation = models.BooleanField("augmentation agent", default=False)
    start_date = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-start_date", "drug"]

    def __str__(self) -> str:
        return f"{self.drug} {self.duration_weeks} wk"


class ConsentType(models.TextChoices):
    KETAMINE_TREATMENT = "ketamine_treatment", "Ketamine treatment (IV/IM)"
    ESKETAMINE_TREATMENT = "esketamine_treatment", "Esketamine treatment"
    REMS_ENROLLMENT = "rems_enrollment", "SPRAVATO REMS patient enrollment"
    KAP = "kap", "Ketamine-assisted psychotherapy"
    TELEHEALTH = "telehealth", "Telehealth"
    PRIVACY_NOTICE = "privacy_notice", "Notice of privacy practices"
    RESEARCH_DATA = "research_data", "Use of de-identified data for research"


class Consent(PatientRecord):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="consents")
    consent_type = models.CharField(max_length=32, choices=ConsentType.choices)
    version = models.CharField(max_length=40)
    signed_at = models.DateTimeField()
    signed_by = models.CharField(
        max_length=200, help_text="The patient, or the legal representative who signed."
    )
    file = models.FileField(upload_to="consents/%Y/%m/", blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-signed_at"]

    def __str__(self) -> str:
        return f"{self.get_consent_type_display()} v{self.version}"
