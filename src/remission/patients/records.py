"""The kinds of dated entry a chart holds, and who may see or change each.

One table drives the generic add/edit/delete screens, their services and the role × URL test.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.db import models

from remission.accounts.roles import Capability
from remission.patients import forms as patient_forms
from remission.patients.models import (
    Allergy,
    AntidepressantTrial,
    BodyMeasurement,
    Consent,
    Diagnosis,
)


@dataclass(frozen=True, slots=True)
class RecordKind:
    slug: str
    model: type[models.Model]
    form: type[forms.ModelForm]
    singular: str
    view_capability: Capability
    edit_capability: Capability


RECORD_KINDS: dict[str, RecordKind] = {
    kind.slug: kind
    for kind in (
        RecordKind(
            "diagnoses",
            Diagnosis,
            patient_forms.DiagnosisForm,
            "diagnosis",
            Capability.VIEW_CLINICAL,
            Capability.EDIT_DIAGNOSES,
        ),
        RecordKind(
            "allergies",
            Allergy,
            patient_forms.AllergyForm,
            "allergy",
            Capability.VIEW_CLINICAL,
            Capability.EDIT_HISTORY,
        ),
        RecordKind(
            "measurements",
            BodyMeasurement,
            patient_forms.BodyMeasurementForm,
            "weight or height",
            Capability.VIEW_CLINICAL,
            Capability.EDIT_HISTORY,
        ),
        RecordKind(
            "trials",
            AntidepressantTrial,
            patient_forms.AntidepressantTrialForm,
            "antidepressant trial",
            Capability.VIEW_CLINICAL,
            Capability.EDIT_HISTORY,
        ),
        RecordKind(
            "consents",
            Consent,
            patient_forms.ConsentForm,
            "consent",
            Capability.VIEW_CONSENTS,
            Capability.MANAGE_CONSENTS,
        ),
    )
}
