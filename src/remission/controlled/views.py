"""Controlled-substance screens: inventory, lot ledger, entry forms, reconciliation, CSV.

Each view validates its form, calls one service or selector (the one gate of its capability)
and renders; a refusal from a service is shown inline on the form, never as an error page.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from remission.accounts.decorators import clinic_member
from remission.accounts.models import Membership
from remission.accounts.roles import Capability
from remission.controlled import selectors, services
from remission.controlled.display import plain_number, quantity_text, signed_quantity_text
from remission.controlled.forms import (
    AdjustForm,
    CountForm,
    DispenseForm,
    PeriodForm,
    ProductForm,
    ReceiveForm,
    ReturnForm,
    WasteForm,
)
from remission.controlled.models import LedgerEntry
from remission.forms import add_service_errors

MANAGE = Capability.MANAGE_CONTROLLED_SUBSTANCES


def _submit(form: forms.Form, action: Callable[[dict[str, Any]], LedgerEntry | Any]) -> Any:
    """Run ``action`` on a valid form; a refusal becomes an inline form error (returns None)."""
    if not form.is_valid():
        return None
    try:
        return action(form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


def _to_lot(membership: Membership, entry: LedgerEntry) -> HttpResponse:
    return redirect("controlled:lot", clinic_slug=membership.clinic.slug, lot_id=entry.lot_id)


def _initial(request: HttpRequest, *names: str) -> dict[str, str]:
    return {name: request.GET[name] for name in names if request.GET.get(name)}


def _entry_form(
    request: HttpRequest, template: str, form: forms.Form, title: str, **context: Any
) -> HttpResponse:
    status = 200 if not form.is_bound or form.is_valid() else 400
    context = {"form": form, "title": title, **context}
    return render(request, template, context, status=status)


# --- reading --------------------------------------------------------------------------------


@clinic_member
def inventory(request: HttpRequest, membership: Membership) -> HttpResponse:
    data = selectors.inventory(membership=membership, include_empty=request.GET.get("empty") == "1")
    return render(
        request,
        "controlled/inventory.html",
        {"inv": data, "soon_days": selectors.EXPIRING_SOON_DAYS},
    )


@clinic_member
def lot_ledger(request: HttpRequest, membership: Membership, lot_id: str) -> HttpResponse:
    ledger = selectors.lot_ledger(membership=membership, lot_id=lot_id)
    return render(request, "controlled/lot.html", {"ledger": ledger, "lot": ledger.lot})


def _period(request: HttpRequest, membership: Membership) -> tuple[PeriodForm, dt.date, dt.date]:
    today = timezone.localdate(timezone=membership.clinic.tzinfo)
    default_first = today.replace(day=1)
    form = PeriodForm(request.GET or None, initial={"first_day": default_first, "last_day": today})
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["first_day"], form.cleaned_data["last_day"]
    return form, default_first, today


@clinic_member
def reconciliation(request: HttpRequest, membership: Membership) -> HttpResponse:
    form, first_day, last_day = _period(request, membership)
    report = selectors.reconciliation(membership=membership, first_day=first_day, last_day=last_day)
    return render(
        request,
        "controlled/reconciliation.html",
        {
            "form": form,
            "report": report,
            "query": request.GET.urlencode(),
            "tolerance_mg": selectors.UNACCOUNTED_TOLERANCE_MG,
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


LEDGER_COLUMNS = (
    "entry",
    "occurred_at",
    "recorded_at",
    "kind",
    "drug",
    "product",
    "ndc",
    "lot",
    "expiry",
    "quantity",
    "unit",
    "quantity_mg",
    "dispensed_wasted",
    "dispensed_wasted_mg",
    "balance_after",
    "running_balance",
    "counted",
    "expected",
    "discrepancy",
    "recorded_by",
    "witness",
    "witness_verification",
    "patient_mrn",
    "session_date",
    "administration",
    "reference",
    "corrects_entry",
    "reason",
)


def _ledger_row(e: Any) -> list[object]:
    """One ledger entry as a row of ``LEDGER_COLUMNS``, times in the clinic's zone."""
    product = e.lot.product
    return [
        e.pk,
        timezone.localtime(e.occurred_at).isoformat(timespec="minutes"),
        timezone.localtime(e.recorded_at).isoformat(timespec="seconds"),
        e.kind,
        product.drug,
        product.name,
        product.ndc,
        e.lot.lot_number,
        e.lot.expiry_date.isoformat(),
        e.quantity,
        product.unit,
        e.quantity_mg,
        "" if e.dispensed_wasted is None else e.dispensed_wasted,
        "" if e.dispensed_wasted_mg is None else e.dispensed_wasted_mg,
        e.balance_after,
        e.running,
        "" if e.counted_quantity is None else e.counted_quantity,
        "" if e.expected_quantity is None else e.expected_quantity,
        "" if e.discrepancy is None else e.discrepancy,
        e.recorded_by.username,
        e.witness.username if e.witness else "",
        e.witness_verification,
        e.patient.mrn if e.patient else "",
        timezone.localdate(e.session.scheduled_start).isoformat() if e.session else "",
        e.administration_id or "",
        e.reference,
        e.corrects_id or "",
        e.reason,
    ]


@clinic_member
def ledger_export(request: HttpRequest, membership: Membership) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    first_day = last_day = None
    if form.is_bound and form.is_valid():
        first_day, last_day = form.cleaned_data["first_day"], form.cleaned_data["last_day"]
    entries = selectors.ledger_for_export(
        membership=membership, first_day=first_day, last_day=last_day
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"{membership.clinic.slug}-controlled-substance-ledger"
    if first_day and last_day:
        name += f"-{first_day}-{last_day}"
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    writer = csv.writer(response)
    writer.writerow(LEDGER_COLUMNS)
    for e in entries:
        writer.writerow(_ledger_row(e))
    return response


# --- writing --------------------------------------------------------------------------------


@clinic_member
@require_http_methods(["GET", "POST"])
def product_create(request: HttpRequest, membership: Membership) -> HttpResponse:
    catalogue = selectors.products_for_receipt(membership=membership)
    form = ProductForm(request.POST or None)
    if request.method == "POST":
        product = _submit(form, lambda data: services.add_product(membership=membership, **data))
        if product is not None:
            messages.success(request, f"Added {product}.")
            return redirect("controlled:receive", clinic_slug=membership.clinic.slug)
    return _entry_form(
        request, "controlled/product_form.html", form, "Add a product", catalogue=catalogue
    )


def _ledger_page(
    request: HttpRequest,
    membership: Membership,
    form: forms.Form,
    *,
    title: str,
    save: Callable[[dict[str, Any]], LedgerEntry],
    done: Callable[[LedgerEntry], tuple[int, str]],
    **context: Any,
) -> HttpResponse:
    """A ledger entry's form: a valid POST is saved and opens the lot's ledger with the
    ``done`` message (level, text); otherwise the form is shown again with its errors."""
    if request.method == "POST":
        entry = _submit(form, save)
        if entry is not None:
            messages.add_message(request, *done(entry))
            return _to_lot(membership, entry)
    return _entry_form(request, "controlled/entry_form.html", form, title, **context)


def _recorded(text: str) -> tuple[int, str]:
    return messages.SUCCESS, text


@clinic_member
@require_http_methods(["GET", "POST"])
def receive(request: HttpRequest, membership: Membership) -> HttpResponse:
    form = ReceiveForm(
        request.POST or None,
        products=selectors.products_for_receipt(membership=membership),
        initial=_initial(request, "product"),
    )
    return _ledger_page(
        request,
        membership,
        form,
        title="Receive stock",
        save=lambda data: services.receive_stock(
            membership=membership,
            product=data["product"],
            lot_number=data["lot_number"],
            expiry_date=data["expiry_date"],
            quantity=data["quantity"],
            supplier=data["supplier"],
            reference=data["reference"],
            received_at=data.get("received_at"),
            note=data.get("note", ""),
        ),
        done=lambda e: _recorded(f"Received {quantity_text(e.quantity, e.lot.product.unit)}."),
    )


@clinic_member
@require_http_methods(["GET", "POST"])
def dispense(request: HttpRequest, membership: Membership) -> HttpResponse:
    today = timezone.localdate()
    choices = selectors.dispensing_choices(membership=membership, day=today)
    form = DispenseForm(
        request.POST or None,
        sessions=choices.sessions,
        administrations=choices.administrations,
        lots=selectors.lots_for(membership=membership, purpose="dispense", today=today),
        initial=_initial(request, "session", "administration", "lot"),
    )
    return _ledger_page(
        request,
        membership,
        form,
        title="Dispense for a session",
        save=lambda data: services.dispense(
            membership=membership,
            lot=data["lot"],
            session=data["session"],
            administration=data.get("administration"),
            quantity=data["quantity"],
            note=data.get("note", ""),
        ),
        done=_dispensed,
        day=today,
        no_sessions=not choices.sessions,
    )


def _dispensed(entry: LedgerEntry) -> tuple[int, str]:
    assert entry.patient is not None  # a dispense is always for a patient's session
    return _recorded(
        f"Dispensed {quantity_text(-entry.quantity, entry.lot.product.unit)} "
        f"({plain_number(-entry.quantity_mg)} mg) for {entry.patient}."
    )


def _waste_recorded(entry: LedgerEntry) -> tuple[int, str]:
    unit = entry.lot.product.unit
    if entry.of_dispensed_dose:
        return _recorded(
            f"Waste of {quantity_text(entry.dispensed_wasted, unit)} of the dose dispensed "
            "recorded (stock unchanged)."
        )
    return _recorded(f"Waste of {quantity_text(-entry.quantity, unit)} from stock recorded.")


@clinic_member
@require_http_methods(["GET", "POST"])
def waste(request: HttpRequest, membership: Membership) -> HttpResponse:
    today = timezone.localdate()
    sessions = selectors.waste_choices(membership=membership, day=today)
    form = WasteForm(
        request.POST or None,
        lots=selectors.lots_for(membership=membership, purpose="waste", sessions=sessions),
        sessions=sessions,
        witnesses=selectors.witness_candidates(membership=membership),
        initial=_initial(request, "lot", "session", "waste_of"),
    )
    return _ledger_page(
        request,
        membership,
        form,
        title="Record witnessed waste",
        save=lambda data: services.record_waste(
            membership=membership,
            lot=data["lot"],
            quantity=data["quantity"],
            of_dispensed=form.of_dispensed(),
            **form.witnessed_by(),
            reason=data["reason"],
            session=data.get("session"),
        ),
        done=_waste_recorded,
    )


def _witnessed_page(
    request: HttpRequest,
    membership: Membership,
    form_class: type[Any],
    *,
    lots: str,
    title: str,
    service: Callable[..., LedgerEntry],
    fields: tuple[str, ...],
    done: Callable[[LedgerEntry], tuple[int, str]],
) -> HttpResponse:
    """A witnessed ledger form offering the clinic's lots (``lots_for`` purpose): its lot,
    ``fields`` and witness go to ``service`` under the same names."""
    form = form_class(
        request.POST or None,
        lots=selectors.lots_for(membership=membership, purpose=lots),
        witnesses=selectors.witness_candidates(membership=membership),
        initial=_initial(request, "lot"),
    )
    return _ledger_page(
        request,
        membership,
        form,
        title=title,
        save=lambda data: service(
            membership=membership,
            lot=data["lot"],
            **{name: data[name] for name in fields},
            **form.witnessed_by(),
        ),
        done=done,
    )


@clinic_member
@require_http_methods(["GET", "POST"])
def return_stock(request: HttpRequest, membership: Membership) -> HttpResponse:
    return _witnessed_page(
        request,
        membership,
        ReturnForm,
        lots="stock",
        title="Return to supplier or reverse distributor",
        service=services.return_stock,
        fields=("quantity", "reference", "reason"),
        done=lambda e: _recorded(
            f"Return of {quantity_text(-e.quantity, e.lot.product.unit)} recorded."
        ),
    )


def _count_recorded(entry: LedgerEntry) -> tuple[int, str]:
    if not entry.discrepancy:
        return _recorded("Count recorded; it agrees with the ledger.")
    return (
        messages.ERROR,
        f"Count recorded with a DISCREPANCY of {entry.discrepancy:+} {entry.lot.product.unit} "
        "against the ledger. Investigate it and, when explained, record a witnessed adjustment.",
    )


@clinic_member
@require_http_methods(["GET", "POST"])
def count(request: HttpRequest, membership: Membership) -> HttpResponse:
    return _witnessed_page(
        request,
        membership,
        CountForm,
        lots="any",
        title="Physical count",
        service=services.record_count,
        fields=("counted_quantity", "note"),
        done=_count_recorded,
    )


@clinic_member
@require_http_methods(["GET", "POST"])
def adjust(request: HttpRequest, membership: Membership) -> HttpResponse:
    form = AdjustForm(
        request.POST or None,
        lots=selectors.lots_for(membership=membership, purpose="any"),
        witnesses=selectors.witness_candidates(membership=membership),
        initial=_initial(request, "lot", "corrects"),
    )

    def save(data: dict[str, Any]) -> LedgerEntry:
        corrects = None
        if data.get("corrects"):
            try:
                corrects = selectors.get_entry(
                    membership=membership, entry_id=data["corrects"], capability=MANAGE
                )
            except Http404:
                raise ValidationError(
                    {"corrects": f"There is no entry #{data['corrects']} in this clinic."}
                ) from None
        return services.adjust(
            membership=membership,
            lot=data["lot"],
            quantity=data["quantity"],
            **form.witnessed_by(),
            reason=data["reason"],
            corrects=corrects,
        )

    return _ledger_page(
        request,
        membership,
        form,
        title="Adjustment (correction)",
        save=save,
        done=lambda e: _recorded(
            f"Adjustment of {signed_quantity_text(e.quantity, e.lot.product.unit)} recorded."
        ),
    )
