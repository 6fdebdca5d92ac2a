from __future__ import annotations

from django import forms

from remission.clinical.outcomes.escalation import Disposition


class CloseForm(forms.Form):
    disposition = forms.ChoiceField(
        choices=[(d.value, d.label) for d in Disposition], widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="Assessment and plan",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="What was assessed, the safety plan or referral, who was told.",
    )
