"""Forms for the REMS screens: validate input and show errors inline, nothing more."""

from __future__ import annotations

from typing import Any

from django import forms

from remission.accounts.models import Membership, User
from remission.forms import DateInput, DateTimeInput
from remission.rems.models import SubmissionMethod


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or str(obj)


def _staff_queryset(staff: list[Membership]) -> Any:
    return User.objects.filter(pk__in=[m.user_id for m in staff]).order_by(
        "last_name", "first_name"
    )


class EnrollmentForm(forms.Form):
    mrn = forms.CharField(label="Patient MRN", max_length=32)
    enrolled_on = forms.DateField(label="Date enrolled", widget=DateInput())
    rems_patient_id = forms.CharField(
        label="REMS patient ID or reference",
        max_length=60,
        required=False,
        help_text="As the REMS confirmed the enrollment.",
    )
    enrolled_by = StaffChoiceField(
        label="Enrolled by", queryset=User.objects.none(), required=False, empty_label="Me"
    )
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, staff: list[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["enrolled_by"]
        assert isinstance(field, StaffChoiceField)
        field.queryset = _staff_queryset(staff)


class SubmissionForm(forms.Form):
    submitted_at = forms.DateTimeField(
        label="Sent at",
        widget=DateTimeInput(),
        help_text="Date and time the form was submitted (clinic time).",
    )
    method = forms.ChoiceField(
        label="Sent by", choices=SubmissionMethod.choices, widget=forms.RadioSelect
    )
    confirmation_number = forms.CharField(
        label="Confirmation number", max_length=60, required=False
    )
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    acknowledge_missing = forms.BooleanField(
        label="The fields the chart left unanswered were completed on the submitted form",
        required=False,
    )

    def __init__(self, *args: Any, missing: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not missing:
            del self.fields["acknowledge_missing"]
        else:
            self.fields["acknowledge_missing"].required = True


class MonitoringHcpForm(forms.Form):
    hcp = StaffChoiceField(
        label="Healthcare provider who monitored the patient",
        queryset=User.objects.none(),
        required=False,
        empty_label="The clinician who signed the session off",
    )

    def __init__(self, *args: Any, staff: list[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["hcp"]
        assert isinstance(field, StaffChoiceField)
        field.queryset = _staff_queryset(staff)
