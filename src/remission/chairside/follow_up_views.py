"""The follow-up call screens: the clinic's worklist and one call with its attempts and form.
Each view validates, calls one selector or service and renders."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from remission.accounts.decorators import clinic_member
from remission.accounts.models import Membership
from remission.chairside import follow_up_selectors as selectors
from remission.chairside import follow_up_services as services
from remission.chairside.forms import FollowUpCallForm
from remission.clinical.monitoring.follow_up import call_state
from remission.forms import add_service_errors


@clinic_member
def worklist(request: HttpRequest, membership: Membership) -> HttpResponse:
    listed = selectors.worklist(membership=membership, now=timezone.now())
    return render(request, "chairside/follow_up/list.html", {"listed": listed})


@clinic_member
@require_http_methods(["GET", "POST"])
def call(request: HttpRequest, membership: Membership, call_id: str) -> HttpResponse:
    item = selectors.get_call(membership=membership, call_id=call_id)
    form = FollowUpCallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_call(
                membership=membership,
                call=item,
                outcome=form.cleaned_data["outcome"],
                patient_status=form.cleaned_data["patient_status"],
                concerns=form.cleaned_data["concerns"],
                done=form.cleaned_data["done"],
                adverse_event=form.adverse_event(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Call recorded.")
            return redirect("follow_up:list", membership.clinic.slug)
    state = call_state(
        item.due_at, timezone.now(), item.done_at, membership.clinic.clinical_overrides
    )
    return render(
        request,
        "chairside/follow_up/call.html",
        {"c": item, "state": state, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )
