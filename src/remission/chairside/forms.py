"""Chair-side entry forms: small, fast, each with a timestamp defaulting to now."""

from __future__ import annotations

from typing import Any

from django import forms

from remission.chairside.models import AdministrationAction, AdverseEventType, FollowUpOutcome
from remission.clinical.monitoring import ScoreSystem
from remission.clinical.monitoring.adverse_grades import GRADE_LABELS, grade_label
from remission.clinical.monitoring.discharge_score import ScoreDefinition
from remission.forms import DateInput, DateTimeInput


class VitalsForm(forms.Form):
    check_id = forms.CharField(required=False, widget=forms.HiddenInput)
    systolic_mmhg = forms.IntegerField(label="Systolic", required=False)
    diastolic_mmhg = forms.IntegerField(label="Diastolic", required=False)
    heart_rate_bpm = forms.IntegerField(label="Heart rate", required=False)
    spo2_percent = forms.IntegerField(label="SpO₂ %", required=False)
    respiratory_rate_per_min = forms.IntegerField(label="Resp. rate", required=False)
    measured_at = forms.DateTimeField(
        label="Measured at (blank: now)", required=False, widget=DateTimeInput()
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        values = [
            data.get(k)
            for k in ("systolic_mmhg", "heart_rate_bpm", "spo2_percent", "respiratory_rate_per_min")
        ]
        if all(v is None for v in values) and data.get("diastolic_mmhg") is None:
            raise forms.ValidationError("Enter at least one measurement.")
        if (data.get("systolic_mmhg") is None) != (data.get("diastolic_mmhg") is None):
            raise forms.ValidationError("Blood pressure needs both systolic and diastolic.")
        return data

    def values(self) -> dict[str, int | None]:
        return {
            k: self.cleaned_data.get(k)
            for k in (
                "systolic_mmhg",
                "diastolic_mmhg",
                "heart_rate_bpm",
                "spo2_percent",
                "respiratory_rate_per_min",
            )
        }


class AdministrationForm(forms.Form):
    action = forms.ChoiceField(choices=AdministrationAction.choices)
    rate_ml_per_h = forms.DecimalField(
        label="Rate (mL/h)", required=False, max_digits=7, decimal_places=2
    )
    lot_number = forms.CharField(label="Lot", required=False, max_length=40)
    expiry = forms.DateField(label="Expiry", required=False, widget=DateInput())
    product = forms.CharField(label="Product", required=False, max_length=100)
    reason = forms.CharField(label="Reason or note", required=False, max_length=200)
    at = forms.DateTimeField(label="At (blank: now)", required=False, widget=DateTimeInput())
    confirm_over_delivery = forms.BooleanField(
        label="Confirm an over-delivery: the patient received more than ordered (write what "
        "happened as the note)",
        required=False,
    )


class AdverseEventForm(forms.Form):
    event_type = forms.ChoiceField(label="Event", choices=AdverseEventType.choices)
    grade = forms.TypedChoiceField(
        label="Grade (CTCAE)", coerce=int, choices=[(i, grade_label(i)) for i in GRADE_LABELS]
    )
    description = forms.CharField(required=False, max_length=200)
    action = forms.CharField(label="Action taken", required=False, max_length=200)
    outcome = forms.CharField(required=False, max_length=200)
    serious = forms.BooleanField(label="Serious adverse event", required=False)
    onset_at = forms.DateTimeField(
        label="Onset (blank: now)", required=False, widget=DateTimeInput()
    )


class AcknowledgeForm(forms.Form):
    action_taken = forms.CharField(label="Action taken", max_length=300)


class NoteForm(forms.Form):
    text = forms.CharField(label="Nursing note", widget=forms.Textarea(attrs={"rows": 2}))


class OrderForm(forms.Form):
    mg_per_kg = forms.DecimalField(label="mg/kg", required=False, max_digits=5, decimal_places=3)
    dose_mg = forms.TypedChoiceField(
        label="Esketamine dose",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "course default"), (28, "28 mg"), (56, "56 mg"), (84, "84 mg")],
    )
    acknowledge_warnings = forms.BooleanField(label="I acknowledge the warnings", required=False)


class AddendumForm(forms.Form):
    reason = forms.CharField(max_length=200)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))


class DischargeForm(forms.Form):
    """The nurse's discharge assessment: the clinic's score items charted by hand (the levels
    read from the clinical core, best first) and the ketamine checks. Every item may be left
    blank; the readiness lists what is still missing."""

    oriented = forms.BooleanField(label="Oriented to person, place and time", required=False)
    escort_present = forms.BooleanField(
        label="Escort present to take the patient home", required=False
    )
    driving_advice_given = forms.BooleanField(
        label="Advised: no driving or machinery until the next day after restful sleep",
        required=False,
    )

    def __init__(self, *args: Any, score: ScoreDefinition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.score = score
        for definition in score.charted_items:
            self.fields[definition.item.value] = forms.TypedChoiceField(
                label=definition.label,
                required=False,
                coerce=int,
                empty_value=None,
                widget=forms.RadioSelect,
                choices=[(p, f"{p}: {definition.levels[p]}") for p in (2, 1, 0)],
            )
        if score.system is ScoreSystem.ALDRETE:
            self.fields["supplemental_oxygen"] = forms.BooleanField(
                label="On supplemental oxygen", required=False
            )
        self.order_fields([d.item.value for d in score.charted_items])

    @property
    def item_fields(self) -> list[forms.BoundField]:
        return [self[d.item.value] for d in self.score.charted_items]

    @property
    def check_fields(self) -> list[forms.BoundField]:
        names = ["supplemental_oxygen", "oriented", "escort_present", "driving_advice_given"]
        return [self[n] for n in names if n in self.fields]

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "points": {d.item.value: data.get(d.item.value) for d in self.score.charted_items},
            "supplemental_oxygen": bool(data.get("supplemental_oxygen")),
            "oriented": bool(data.get("oriented")),
            "escort_present": bool(data.get("escort_present")),
            "driving_advice_given": bool(data.get("driving_advice_given")),
        }


class FollowUpCallForm(forms.Form):
    """One attempt at the follow-up call; an adverse event only when the patient reports one."""

    outcome = forms.ChoiceField(choices=FollowUpOutcome.choices, widget=forms.RadioSelect)
    patient_status = forms.CharField(label="How the patient is", required=False, max_length=300)
    concerns = forms.CharField(
        label="Concerns or note",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Anything a clinician must follow up; why a call is closed unreached.",
    )
    done = forms.BooleanField(label="Call done (leave unticked to try again later)", required=False)
    report_event = forms.BooleanField(label="The patient reports an adverse event", required=False)
    event_type = forms.ChoiceField(label="Event", choices=AdverseEventType.choices, required=False)
    grade = forms.TypedChoiceField(
        label="Grade",
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", "—"), *[(i, f"{i}") for i in range(1, 6)]],
    )
    event_description = forms.CharField(label="Event description", required=False, max_length=150)
    serious = forms.BooleanField(label="Serious adverse event", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("report_event"):
            if not data.get("event_type"):
                self.add_error("event_type", "Choose the event.")
            if data.get("grade") is None:
                self.add_error("grade", "Grade the event.")
        return data

    def adverse_event(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if not data.get("report_event"):
            return None
        return {
            "event_type": data["event_type"],
            "grade": data["grade"],
            "description": data.get("event_description", ""),
            "serious": bool(data.get("serious")),
        }
