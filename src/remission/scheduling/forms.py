"""Booking forms: the clinic calendar, moving and cancelling a session, staff shifts (input
checks only; the rules are the services')."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from remission.accounts.models import Membership
from remission.forms import DateInput, DateTimeInput, TimeInput
from remission.scheduling.models import ClinicCalendarSettings


class CalendarForm(forms.ModelForm):
    holidays_text = forms.CharField(
        label="Holidays (one ISO date per line)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    chairs = forms.IntegerField(label="Number of infusion chairs", min_value=1, max_value=40)

    class Meta:
        model = ClinicCalendarSettings
        fields = ["open_weekdays", "opens", "closes"]
        widgets = {
            "opens": TimeInput(),
            "closes": TimeInput(),
        }
        help_texts = {"open_weekdays": "e.g. mon,tue,wed,thu,fri"}

    def clean_holidays_text(self) -> list[str]:
        days = []
        for line in self.cleaned_data.get("holidays_text", "").split():
            try:
                days.append(dt.date.fromisoformat(line.strip()).isoformat())
            except ValueError:
                raise forms.ValidationError(f"{line!r} is not a date like 2026-12-25.") from None
        return days


class RescheduleForm(forms.Form):
    new_start = forms.DateTimeField(label="New start", widget=DateTimeInput())
    reason = forms.CharField(max_length=200)


class CancelForm(forms.Form):
    reason = forms.CharField(max_length=200)


class _MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.user} ({obj.get_role_display()})"


class ShiftForm(forms.Form):
    """A member on shift; the list offers the active members who can monitor dosing sessions."""

    member = _MemberChoiceField(queryset=Membership.objects.none(), label="Staff member")
    on = forms.DateField(label="Date", widget=DateInput())
    starts = forms.TimeField(label="From", widget=TimeInput())
    ends = forms.TimeField(label="Until", widget=TimeInput())

    def __init__(self, *args: Any, clinic_id: Any, roles: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["member"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Membership.objects.filter(
            clinic_id=clinic_id, is_active=True, role__in=roles
        ).select_related("user")


class VisitForm(forms.Form):
    """A consultation or screening visit: whose, when, how long (the rules are the service's)."""

    mrn = forms.CharField(label="Patient's MRN", max_length=40)
    starts_at = forms.DateTimeField(label="Starts", widget=DateTimeInput())
    duration_min = forms.IntegerField(label="Length (minutes)", min_value=15, max_value=180)
