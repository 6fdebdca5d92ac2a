"""Form rendering: every field with its label, help text and inline errors."""

from django.forms.renderers import TemplatesSetting


class RemissionFormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
