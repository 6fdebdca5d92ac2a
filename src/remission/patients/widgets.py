"""The diagnosis-code input: a text box with the ICD-10-CM catalogue as a ``<datalist>``.

The browser suggests entries by code or by title as one types, without a script; without
suggestions (an old browser, a screen reader that ignores them) the field still takes a code or
a name, which the form resolves against the catalogue (``validators.resolve_icd10_code``).
"""

from __future__ import annotations

from typing import Any

from django import forms

from remission.clinical import diagnoses


class DiagnosisCodeInput(forms.TextInput):
    template_name = "patients/widgets/diagnosis_code.html"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        attrs = {**(attrs or {})}
        list_id = f"{attrs.get('id') or name}_catalogue"
        attrs.update(list=list_id, autocomplete="off", spellcheck="false")
        context = super().get_context(name, value, attrs)
        context["widget"]["list_id"] = list_id
        context["widget"]["catalogue"] = list(diagnoses.CATALOGUE.values())
        return context
