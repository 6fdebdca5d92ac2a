"""Booking screens: the day board, the calendar week and its settings, staff shifts, and
checking in, moving or cancelling one session."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from remission.accounts.decorators import clinic_member
from remission.accounts.models import Membership
from remission.accounts.roles import Capability
from remission.forms import add_service_errors
from remission.scheduling import selectors, services, visit_services
from remission.scheduling.forms import (
    CalendarForm,
    CancelForm,
    RescheduleForm,
    ShiftForm,
    VisitForm,
)


@clinic_member
def calendar(request: HttpRequest, membership: Membership) -> HttpResponse:
    today = timezone.localdate(timezone=membership.clinic.tzinfo)
    try:
        start = dt.date.fromisoformat(request.GET.get("start", ""))
    except ValueError:
        start = today - dt.timedelta(days=today.weekday())
    days = selectors.calendar_week(membership=membership, start=start)
    return render(
        request,
        "scheduling/calendar.html",
        {
            "days": days,
            "start": start,
            "previous": start - dt.timedelta(days=7),
            "next": start + dt.timedelta(days=7),
        },
    )


@clinic_member
@require_http_methods(["GET", "POST"])
def calendar_settings(request: HttpRequest, membership: Membership) -> HttpResponse:
    page = selectors.calendar_settings(membership=membership)
    form = CalendarForm(
        request.POST or None,
        instance=page.settings,
        initial={
            "holidays_text": "\n".join(page.settings.holidays),
            "chairs": page.active_chairs or 1,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_calendar(membership=membership, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Calendar saved.")
            return redirect("scheduling:calendar_settings", clinic_slug=membership.clinic.slug)
    return render(request, "scheduling/calendar_settings.html", {"form": form})


@clinic_member
@require_http_methods(["GET", "POST"])
def shifts(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Who is on shift in the coming 14 days: add a shift, remove one."""
    today = timezone.localdate()
    if request.method == "POST" and "remove" in request.POST:
        shift = selectors.get_shift(membership=membership, shift_id=request.POST["remove"])
        try:
            services.remove_shift(membership=membership, shift=shift)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Shift removed.")
        return redirect("scheduling:shifts", clinic_slug=membership.clinic.slug)
    form = ShiftForm(
        request.POST or None,
        initial={"on": today, "starts": "08:00", "ends": "18:00"},
        clinic_id=membership.clinic_id,
        roles=services.SHIFT_ROLES,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.add_shift(membership=membership, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Shift added.")
            return redirect("scheduling:shifts", clinic_slug=membership.clinic.slug)
    return render(
        request,
        "scheduling/shifts.html",
        {
            "form": form,
            "days": selectors.coming_shifts(membership=membership, start=today),
            "sessions_per_nurse": selectors.sessions_per_nurse(membership),
        },
    )


@clinic_member
@require_POST
def check_in(request: HttpRequest, membership: Membership, session_id: str) -> HttpResponse:
    session = selectors.get_session(
        membership=membership, session_id=session_id, capability=Capability.MANAGE_SCHEDULE
    )
    try:
        services.check_in(membership=membership, session=session)
        messages.success(request, f"{session.patient.display_name} is checked in.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(
        request.POST.get("next") or "scheduling:board", clinic_slug=membership.clinic.slug
    )


@clinic_member
def reschedule(request: HttpRequest, membership: Membership, session_id: str) -> HttpResponse:
    session = selectors.get_session(
        membership=membership, session_id=session_id, capability=Capability.MANAGE_SCHEDULE
    )
    cancelling = "cancel-reason" in request.POST
    # bind only the form that was sent, so the other one shows no errors
    form = RescheduleForm(request.POST if request.method == "POST" and not cancelling else None)
    cancel_form = CancelForm(request.POST if cancelling else None, prefix="cancel")
    if request.method == "POST":
        try:
            if cancelling:
                if cancel_form.is_valid():
                    services.cancel(
                        membership=membership,
                        session=session,
                        reason=cancel_form.cleaned_data["reason"],
                        no_show=request.POST.get("no_show") == "1",
                    )
                    messages.success(request, "Session updated.")
                    return redirect("scheduling:board", clinic_slug=membership.clinic.slug)
            elif form.is_valid():
                services.reschedule(
                    membership=membership,
                    session=session,
                    new_start=form.cleaned_data["new_start"],
                    reason=form.cleaned_data["reason"],
                    expected_version=int(request.POST.get("version", "0") or 0),
                )
                messages.success(request, "Session moved.")
                return redirect("scheduling:board", clinic_slug=membership.clinic.slug)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
    return render(
        request,
        "scheduling/reschedule.html",
        {"session": session, "form": form, "cancel_form": cancel_form},
    )


@clinic_member
def board(request: HttpRequest, membership: Membership) -> HttpResponse:
    try:
        day = dt.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = timezone.localdate()
    data = selectors.day_board(membership=membership, day=day)
    return render(request, "scheduling/board.html", {"board": data, "day": day})


@clinic_member
def book_visit(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Book a consultation or screening visit (the front desk's, linked from its home)."""
    initial = {"duration_min": selectors.visit_minutes(membership), "mrn": request.GET.get("mrn")}
    form = VisitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        patient = selectors.patient_to_book(membership=membership, mrn=form.cleaned_data["mrn"])
        if patient is None:
            form.add_error("mrn", "No patient of this clinic has this MRN.")
        else:
            try:
                session = visit_services.book_visit(
                    membership=membership,
                    patient=patient,
                    starts_at=form.cleaned_data["starts_at"],
                    duration_min=form.cleaned_data["duration_min"],
                )
                messages.success(request, f"Booked {patient.display_name}: {session}.")
                return redirect("web:dashboard", clinic_slug=membership.clinic.slug)
            except ValidationError as exc:
                add_service_errors(form, exc)
    elif request.method != "POST":
        # the gate, also for the empty form: only a role that books may open it
        selectors.patient_to_book(membership=membership, mrn="")
    return render(request, "scheduling/visit.html", {"form": form})
