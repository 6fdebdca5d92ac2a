"""Intake, eligibility sign-off, course and calendar forms (input checks only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from remission.clinical import eligibility as el
from remission.clinical.protocols import all_protocols
from remission.forms import DateInput
from remission.treatment.models import (
    INDICATION_CHOICES,
    CoursePhase,
    Decision,
    TreatmentCourse,
)

YES_NO = [("yes", "Yes"), ("no", "No")]

# Labels for the history flags of remission.clinical.eligibility.MedicalHistory, in the order of
# the intake checklist (reference §3).
HISTORY_LABELS: dict[str, str] = {
    "aneurysmal_vascular_disease": "Aneurysmal vascular disease (aorta, intracranial, peripheral)",
    "arteriovenous_malformation": "Arteriovenous malformation",
    "intracerebral_haemorrhage": "History of intracerebral haemorrhage",
    "hypersensitivity_to_ketamine_or_esketamine": "Hypersensitivity to ketamine or esketamine",
    "uncontrolled_hypertension": "Uncontrolled hypertension",
    "recent_myocardial_infarction": "Recent myocardial infarction",
    "unstable_angina": "Unstable angina",
    "significant_arrhythmia": "Significant arrhythmia",
    "recent_stroke": "Recent stroke or TIA",
    "raised_intracranial_pressure": "Raised intracranial pressure",
    "recent_head_injury": "Recent head injury",
    "psychosis_history": "History of psychosis",
    "current_psychotic_features": "Current psychotic features",
    "current_mania": "Current mania or hypomania",
    "bipolar_disorder": "Bipolar disorder",
    "cystitis_or_lower_urinary_tract_symptoms": "Cystitis or lower urinary tract symptoms",
    "severe_hepatic_impairment": "Severe hepatic impairment",
    "cognitive_impairment": "Cognitive impairment",
    "unable_to_consent": "Unable to give informed consent",
    "glaucoma_or_raised_intraocular_pressure": "Glaucoma or raised intraocular pressure",
    "hyperthyroidism": "Hyperthyroidism",
    "acute_suicidality": "Acute suicidal ideation or behaviour",
}
MEDICATION_LABELS: dict[str, str] = {
    "maoi": "MAO inhibitor",
    "benzodiazepine": "Benzodiazepine",
    "z_drug": "Non-benzodiazepine sedative-hypnotic (Z-drug)",
    "opioid": "Opioid",
    "stimulant": "Psychostimulant",
    "lamotrigine": "Lamotrigine",
    "mood_stabiliser": "Mood stabiliser",
    "other_blood_pressure_raising": "Other blood-pressure-raising medicine",
}


def _yes_no(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect(attrs={"class": "inline-radios"}),
    )


class IntakeForm(forms.Form):
    """Every question must be answered: an unanswered item is an error, never a silent no."""

    sex = forms.ChoiceField(
        label="Sex (for dosing formulas and the eligibility rules)",
        choices=[(s.value, s.value.title()) for s in el.Sex],
    )
    pregnancy = forms.ChoiceField(
        label="Pregnancy",
        choices=[(p.value, p.value.replace("_", " ").capitalize()) for p in el.PregnancyStatus],
    )
    breastfeeding = _yes_no("Breastfeeding")
    systolic_mmhg = forms.IntegerField(
        label="Blood pressure today: systolic (mmHg)", required=False
    )
    diastolic_mmhg = forms.IntegerField(label="Diastolic (mmHg)", required=False)
    substance_use_disorder = forms.ChoiceField(
        label="Substance use disorder",
        choices=[
            (s.value, s.value.replace("_", " ").capitalize()) for s in el.SubstanceUseDisorder
        ],
    )
    substances = forms.MultipleChoiceField(
        label="Substances involved",
        required=False,
        choices=[(s.value, s.value.capitalize()) for s in el.Substance],
        widget=forms.CheckboxSelectMultiple,
    )
    lorazepam_equivalent_mg_per_day = forms.DecimalField(
        label="Benzodiazepine dose (lorazepam equivalent, mg/day)",
        required=False,
        min_value=0,
        max_digits=5,
        decimal_places=2,
    )
    ect_used_in_current_episode = _yes_no("ECT in the current episode")
    current_episode_months = forms.IntegerField(
        label="Duration of the current episode (months)", min_value=0, max_value=1200
    )
    baseline_severity = forms.ChoiceField(
        label="Baseline severity (Maudsley categories)",
        choices=[(b.value, b.value.replace("_", " ").capitalize()) for b in el.BaselineSeverity],
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in HISTORY_LABELS.items():
            self.fields[f"history__{name}"] = _yes_no(label)
        for name, label in MEDICATION_LABELS.items():
            self.fields[f"medication__{name}"] = _yes_no(f"Takes: {label}")

    def history_fields(self) -> list[forms.BoundField]:
        return [self[f"history__{name}"] for name in HISTORY_LABELS]

    def medication_fields(self) -> list[forms.BoundField]:
        return [self[f"medication__{name}"] for name in MEDICATION_LABELS]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        systolic, diastolic = data.get("systolic_mmhg"), data.get("diastolic_mmhg")
        if (systolic is None) != (diastolic is None):
            self.add_error("diastolic_mmhg", "Enter both systolic and diastolic, or neither.")
        if data.get("lorazepam_equivalent_mg_per_day") and not data.get(
            "medication__benzodiazepine"
        ):
            self.add_error(
                "lorazepam_equivalent_mg_per_day", "A dose is given but no benzodiazepine is taken."
            )
        return data

    def answers(self) -> dict[str, Any]:
        """The answers in the shape remission.clinical.eligibility reads (JSON-safe)."""
        d = self.cleaned_data
        bp = None
        if d.get("systolic_mmhg") is not None:
            bp = {"systolic_mmhg": d["systolic_mmhg"], "diastolic_mmhg": d["diastolic_mmhg"]}
        lorazepam = d.get("lorazepam_equivalent_mg_per_day")
        return {
            "sex": d["sex"],
            "pregnancy": d["pregnancy"],
            "breastfeeding": d["breastfeeding"],
            "blood_pressure_today": bp,
            "history": {
                **{name: d[f"history__{name}"] for name in HISTORY_LABELS},
                "substance_use_disorder": d["substance_use_disorder"],
                "substances": list(d.get("substances") or []),
            },
            "medications": {
                **{name: d[f"medication__{name}"] for name in MEDICATION_LABELS},
                "lorazepam_equivalent_mg_per_day": None if lorazepam is None else float(lorazepam),
            },
            "ect_used_in_current_episode": d["ect_used_in_current_episode"],
            "current_episode_months": d["current_episode_months"],
            "baseline_severity": d["baseline_severity"],
        }


class SignEligibilityForm(forms.Form):
    decision = forms.ChoiceField(choices=Decision.choices, widget=forms.RadioSelect)
    routes = forms.MultipleChoiceField(
        label="Routes this decision covers",
        required=False,
        choices=[(r.value, r.value.replace("_", " ")) for r in el.ALL_ROUTES],
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == Decision.ELIGIBLE and not data.get("routes"):
            self.add_error("routes", "Choose the route(s) the patient is eligible for.")
        return data


class AddendumForm(forms.Form):
    reason = forms.CharField(max_length=200)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))


def protocol_choices() -> list[tuple[str, str]]:
    return [(p.id, p.title) for p in all_protocols()]


class CourseForm(forms.ModelForm):
    protocol_id = forms.ChoiceField(label="Protocol", choices=protocol_choices)
    indication = forms.ChoiceField(
        label="Indication (esketamine)",
        required=False,
        choices=[
            ("", "— (blank: TRD for esketamine; other routes have none)"),
            *INDICATION_CHOICES,
        ],
        help_text="The labelled indication an esketamine course treats: it sets the day-1 dose "
        "and whether an oral antidepressant is needed.",
    )
    acknowledge_label = forms.BooleanField(
        label="I have reviewed the esketamine label reasons listed here",
        required=False,
    )
    preferred_time = forms.TimeField(
        label="Preferred start time", required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )

    class Meta:
        model = TreatmentCourse
        fields = [
            "protocol_id",
            "indication",
            "start_date",
            "mg_per_kg",
            "fixed_dose_mg",
            "weight_basis",
            "concentration_mg_per_ml",
            "infusion_minutes",
            "reevaluation_due",
            "concurrent_reason",
        ]
        widgets = {"start_date": DateInput(), "reevaluation_due": DateInput()}
        help_texts = {
            "concurrent_reason": "Only when the patient already has an active course of this "
            "route and both must run (e.g. a changeover): why.",
            "mg_per_kg": "IV/IM: blank takes the protocol default (e.g. 0.5 mg/kg).",
            "fixed_dose_mg": "Esketamine: 28, 56 or 84 mg (blank: the label's day-1 dose for "
            "this patient and indication).",
        }

    def clean_start_date(self) -> dt.date:
        start: dt.date = self.cleaned_data["start_date"]
        if start < timezone.localdate():
            raise forms.ValidationError("A course cannot start in the past.")
        return start


class PhaseForm(forms.Form):
    to_phase = forms.ChoiceField(label="New phase", choices=CoursePhase.choices)
    reason = forms.CharField(max_length=200, required=False)


class ReevaluationForm(forms.Form):
    note = forms.CharField(
        label="Findings and decision",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    next_due = forms.DateField(label="Next re-evaluation due", widget=DateInput())
