"""The clinic's audit log: filter, page through, export as CSV."""

from __future__ import annotations

import csv

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from remission.accounts.decorators import clinic_member
from remission.accounts.models import Membership
from remission.audit.models import AuditAction
from remission.clinics.selectors import AuditFilter, clinic_audit_events
from remission.forms import DateInput


class AuditFilterForm(forms.Form):
    actor = forms.CharField(required=False, label="Who")
    action = forms.ChoiceField(required=False, choices=[("", "Any action"), *AuditAction.choices])
    mrn = forms.CharField(required=False, label="Patient MRN")
    date_from = forms.DateField(required=False, widget=DateInput(), label="From")
    date_to = forms.DateField(required=False, widget=DateInput(), label="To")


def _filters(request: HttpRequest) -> tuple[AuditFilterForm, AuditFilter]:
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, AuditFilter(**form.cleaned_data)
    return form, AuditFilter()


@clinic_member
def audit_log(request: HttpRequest, membership: Membership) -> HttpResponse:
    form, filters = _filters(request)
    events = clinic_audit_events(membership=membership, filters=filters)
    page = Paginator(events, 50).get_page(request.GET.get("page", 1))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "clinics/audit_log.html", {"form": form, "page": page, "query": query.urlencode()}
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


@clinic_member
def audit_export(request: HttpRequest, membership: Membership) -> HttpResponseBase:
    _, filters = _filters(request)
    events = clinic_audit_events(membership=membership, filters=filters, purpose=AuditAction.EXPORT)
    writer = csv.writer(_Echo())
    header = [
        "id",
        "occurred_at",
        "actor",
        "action",
        "patient_id",
        "object_type",
        "object_id",
        "summary",
        "changes",
        "ip_address",
        "user_agent",
        "entry_hash",
        # a list, board or export names its patients here (patient_id is empty)
        "listed_patient_ids",
        "shown_patient_ids",
    ]

    def rows():  # type: ignore[no-untyped-def]
        yield writer.writerow(header)
        for e in events.prefetch_related("named_patients").iterator(chunk_size=2000):
            named = list(e.named_patients.all())
            yield writer.writerow(
                [
                    e.id,
                    e.occurred_at.isoformat(),
                    e.actor_label,
                    e.action,
                    e.patient_id or "",
                    e.object_type,
                    e.object_id,
                    e.summary,
                    e.changes or "",
                    e.ip_address or "",
                    e.user_agent,
                    e.entry_hash,
                    " ".join(str(n.patient_id) for n in named if n.names_only),
                    " ".join(str(n.patient_id) for n in named if not n.names_only),
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{membership.clinic.slug}-audit.csv"'
    return response
