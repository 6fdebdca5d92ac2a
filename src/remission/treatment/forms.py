"""Intake, eligibility sign-off, course and calendar forms (input checks only)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.forms.utils import ErrorDict
from django.utils import timezone

from remission.clinical import eligibility as el
from remission.clinical import medications as meds
from remission.clinical.protocols import all_protocols
from remission.forms import DateInput, TimeInput
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
    "heart_failure": "Heart failure",
    "hypertensive_encephalopathy_history": "History of hypertensive encephalopathy",
    "recent_stroke": "Recent stroke or TIA",
    "raised_intracranial_pressure": "Raised intracranial pressure",
    "recent_head_injury": "Recent head injury",
    "psychosis_history": "History of psychosis",
    "current_psychotic_features": "Current psychotic features",
    "current_mania": "Current mania or hypomania",
    "bipolar_disorder": "Bipolar disorder",
    "obstructive_sleep_apnoea": "Known obstructive sleep apnoea",
    "copd": "COPD (chronic obstructive pulmonary disease)",
    "cystitis_or_lower_urinary_tract_symptoms": "Cystitis or lower urinary tract symptoms",
    "moderate_hepatic_impairment": "Moderate hepatic impairment (Child-Pugh B)",
    "severe_hepatic_impairment": "Severe hepatic impairment (Child-Pugh C)",
    "cognitive_impairment": "Cognitive impairment",
    "unable_to_consent": "Unable to give informed consent",
    "glaucoma_or_raised_intraocular_pressure": "Glaucoma or raised intraocular pressure",
    "hyperthyroidism": "Hyperthyroidism",
    "acute_suicidality": "Acute suicidal ideation or behaviour",
}
STOP_BANG_LABELS: dict[str, str] = {
    "snores_loudly": "Snores loudly (heard through a closed door, or a partner elbows them)",
    "tired_during_the_day": "Often tired, fatigued or sleepy during the day",
    "observed_apnoea": "Someone has seen them stop breathing or choke in their sleep",
    "high_blood_pressure": "Has, or is treated for, high blood pressure",
    "neck_over_40_cm": "Neck circumference over 40 cm",
}
INVESTIGATION_CHOICES = [
    (el.Investigation.NOT_DONE.value, "Not done"),
    (el.Investigation.NORMAL.value, "Done: normal"),
    (el.Investigation.ABNORMAL.value, "Done: abnormal"),
]


def _drug_choices() -> list[tuple[str, Any]]:
    """The catalogue by class (a drug shown under its first class), then 'other'."""
    groups: list[tuple[str, Any]] = [("", "— choose —")]
    shown: set[str] = set()
    for drug_class in meds.DrugClass:
        rows = [(d.key, d.name) for d in meds.drugs_in(drug_class) if d.key not in shown]
        shown.update(key for key, _ in rows)
        if rows:
            groups.append((drug_class.label.capitalize(), rows))
    groups.append((meds.OTHER, "Other (type its name)"))
    return groups


class MedicationRowForm(forms.Form):
    """One row of the medication list; a blank extra row is ignored."""

    drug = forms.ChoiceField(label="Medicine", choices=_drug_choices)
    name = forms.CharField(label="Name (if other)", required=False, max_length=80)
    dose = forms.DecimalField(
        label="Dose", min_value=Decimal("0.001"), max_digits=9, decimal_places=3
    )
    unit = forms.ChoiceField(label="Unit", choices=[(u.value, u.value) for u in meds.DoseUnit])
    frequency = forms.ChoiceField(
        label="How often", choices=[(f.value, f.label.capitalize()) for f in meds.Frequency]
    )
    last_taken = forms.ChoiceField(
        label="Last taken",
        choices=[(t.value, t.label.capitalize()) for t in meds.LastTaken],
    )

    def has_changed(self) -> bool:
        """A row counts once a medicine, name or dose is entered: the selects of a blank row
        always post their first option, which is not an answer."""
        return any(
            (self.data.get(self.add_prefix(name)) or "").strip()
            for name in ("drug", "name", "dose")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("drug") == meds.OTHER and not (data.get("name") or "").strip():
            self.add_error("name", "Name the medicine.")
        return data

    def answer(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "drug": d["drug"],
            "name": (d.get("name") or "").strip() if d["drug"] == meds.OTHER else "",
            "dose": float(d["dose"]),
            "unit": d["unit"],
            "frequency": d["frequency"],
            "last_taken": d["last_taken"],
        }


class BaseMedicationFormSet(forms.BaseFormSet):
    def answers(self) -> list[dict[str, Any]]:
        """The kept rows (not blank, not marked for removal) in the shape the core reads."""
        return [
            f.answer() for f in self.forms if f.has_changed() and not f.cleaned_data.get("DELETE")
        ]


MedicationFormSet = forms.formset_factory(
    MedicationRowForm, formset=BaseMedicationFormSet, extra=2, can_delete=True, max_num=40
)


def unchecked(*bound: forms.Form) -> None:
    """Mark bound forms as not validated, so a re-render that is not a submission (adding a
    medication row) shows what was typed without error messages."""
    for form in bound:
        # Django's own "validated, no errors" state (``BaseForm._errors``, untyped in the stubs)
        setattr(form, "_errors", ErrorDict())  # noqa: B010
        form.cleaned_data = {}


def medication_formset(data: Any = None, *, add_row: bool = False) -> BaseMedicationFormSet:
    """The list's formset (prefix ``med``); ``add_row`` re-renders it with one more blank row
    (the "Add a row" button works without JavaScript)."""
    if add_row and data is not None:
        data = data.copy()
        total = int(data.get("med-TOTAL_FORMS", 0) or 0)
        data["med-TOTAL_FORMS"] = str(total + 1)
    return cast(BaseMedicationFormSet, MedicationFormSet(data, prefix="med"))


CHOOSE = ("", "— choose —")


def _choose(label: str, choices: list[tuple[str, str]]) -> forms.ChoiceField:
    """A required select that starts unanswered: its first option is a blank "choose", never a
    clinical answer the form would otherwise post unread (reference: issue 12, risky defaults)."""
    return forms.ChoiceField(label=label, choices=[CHOOSE, *choices])


def _yes_no(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect(attrs={"class": "inline-radios"}),
    )


class IntakeForm(forms.Form):
    """Every question must be answered: an unanswered item is an error, never a silent no."""

    sex = _choose(
        "Sex (for dosing formulas and the eligibility rules)",
        [(s.value, s.value.title()) for s in el.Sex],
    )
    pregnancy = _choose(
        "Pregnancy",
        [(p.value, p.value.replace("_", " ").capitalize()) for p in el.PregnancyStatus],
    )
    breastfeeding = _yes_no("Breastfeeding")
    systolic_mmhg = forms.IntegerField(
        label="Blood pressure today: systolic (mmHg)", required=False
    )
    diastolic_mmhg = forms.IntegerField(label="Diastolic (mmHg)", required=False)
    substance_use_disorder = _choose(
        "Substance use disorder",
        [(s.value, s.value.replace("_", " ").capitalize()) for s in el.SubstanceUseDisorder],
    )
    substances = forms.MultipleChoiceField(
        label="Substances involved",
        required=False,
        choices=[(s.value, s.value.capitalize()) for s in el.Substance],
        widget=forms.CheckboxSelectMultiple,
    )
    alcohol = forms.ChoiceField(
        label="Alcohol use",
        choices=[(a.value, a.label) for a in meds.AlcoholUse],
        widget=forms.RadioSelect,
    )
    asa_class = forms.ChoiceField(
        label="ASA physical status",
        choices=[(a.value, f"ASA {a.value}: {a.description}") for a in el.AsaClass],
        widget=forms.RadioSelect,
    )
    mallampati = forms.ChoiceField(
        label="Mallampati class (optional)",
        required=False,
        choices=[("", "Not assessed"), *[(m.value, m.value) for m in el.Mallampati]],
    )
    ecg = _choose("12-lead ECG", INVESTIGATION_CHOICES)
    liver_tests = _choose("Liver function tests", INVESTIGATION_CHOICES)
    urine_drug_screen = _choose("Urine drug screen", INVESTIGATION_CHOICES)
    ect_used_in_current_episode = _yes_no("ECT in the current episode")
    current_episode_months = forms.IntegerField(
        label="Duration of the current episode (months)", min_value=0, max_value=1200
    )
    baseline_severity = _choose(
        "Baseline severity (Maudsley categories)",
        [(b.value, b.value.replace("_", " ").capitalize()) for b in el.BaselineSeverity],
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in HISTORY_LABELS.items():
            self.fields[f"history__{name}"] = _yes_no(label)
        for name, label in STOP_BANG_LABELS.items():
            self.fields[f"stop_bang__{name}"] = _yes_no(label)

    def history_fields(self) -> list[forms.BoundField]:
        return [self[f"history__{name}"] for name in HISTORY_LABELS]

    def stop_bang_fields(self) -> list[forms.BoundField]:
        return [self[f"stop_bang__{name}"] for name in STOP_BANG_LABELS]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        systolic, diastolic = data.get("systolic_mmhg"), data.get("diastolic_mmhg")
        if (systolic is None) != (diastolic is None):
            self.add_error("diastolic_mmhg", "Enter both systolic and diastolic, or neither.")
        if data.get("history__moderate_hepatic_impairment") and data.get(
            "history__severe_hepatic_impairment"
        ):
            self.add_error(
                "history__severe_hepatic_impairment",
                "Hepatic impairment is moderate or severe, not both.",
            )
        return data

    def answers(self, medications: list[dict[str, Any]]) -> dict[str, Any]:
        """The answers in the shape remission.clinical.eligibility reads (JSON-safe); the
        medication list comes from its formset. BMI is added from the chart by the service."""
        d = self.cleaned_data
        bp = None
        if d.get("systolic_mmhg") is not None:
            bp = {"systolic_mmhg": d["systolic_mmhg"], "diastolic_mmhg": d["diastolic_mmhg"]}
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
            "medications": medications,
            "alcohol": d["alcohol"],
            "presedation": {
                "asa_class": d["asa_class"],
                "stop_bang": {name: d[f"stop_bang__{name}"] for name in STOP_BANG_LABELS},
                "bmi_kg_per_m2": None,
                "mallampati": d.get("mallampati") or None,
                "ecg": d["ecg"],
                "liver_tests": d["liver_tests"],
                "urine_drug_screen": d["urine_drug_screen"],
            },
            "legacy_medication_boxes": None,
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
        label="Preferred start time", required=False, widget=TimeInput()
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
    """The next phase, from the phases the course may move to; nothing is preselected."""

    to_phase = forms.ChoiceField(label="New phase")
    reason = forms.CharField(
        max_length=200,
        required=False,
        help_text="Required when the course is paused or discontinued.",
    )

    def __init__(self, *args: Any, phases: list[CoursePhase], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["to_phase"]
        field.choices = [CHOOSE, *((p.value, p.label) for p in phases)]


class ReevaluationForm(forms.Form):
    note = forms.CharField(
        label="Findings and decision",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    next_due = forms.DateField(label="Next re-evaluation due", widget=DateInput())
