"""The chair-side session screen.

Every charting action posts to its own small endpoint, runs one service and answers with the
re-rendered session (HTMX) or a redirect, so the screen always shows everyone's entries.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from remission.accounts.decorators import clinic_member
from remission.accounts.models import Membership
from remission.accounts.roles import Capability
from remission.assessments.forms import scale_form_class
from remission.assessments.models import AssessmentContext
from remission.chairside import checklist, ports, selectors, services
from remission.chairside.forms import (
    AcknowledgeForm,
    AddendumForm,
    AdministrationForm,
    AdverseEventForm,
    DischargeForm,
    NoteForm,
    OrderForm,
    VitalsForm,
)
from remission.chairside.pk import session_prediction
from remission.charts.pk import concentration_svg
from remission.clinical import instruments, session_rules
from remission.clinical.monitoring import chosen_score
from remission.treatment.services import add_addendum

SESSION_SCALES = ("moaas", "cadss6")


def _discharge_form(view: selectors.SessionView, membership: Membership) -> DischargeForm:
    """The discharge form, showing what the latest assessment charted."""
    score = chosen_score(membership.clinic.clinical_overrides)
    latest = view.discharge_charting
    initial: dict[str, Any] = {}
    if latest is not None and latest.score_system == score.system.value:
        names = [d.item.value for d in score.charted_items]
        names += ["supplemental_oxygen", "oriented", "escort_present", "driving_advice_given"]
        initial = {n: getattr(latest, n) for n in names}
    return DischargeForm(score=score, prefix="dis", initial=initial)


def _context(
    view: selectors.SessionView,
    membership: Membership,
    problems: list[str] | None = None,
    bound: dict[str, Any] | None = None,
) -> dict[str, Any]:
    stock = ports.stock_source()
    stock_lots = stock.lots(membership=membership, drug=view.drug) if stock is not None else []
    return {
        "stock_lots": stock_lots,
        "v": view,
        "session": view.session,
        "patient": view.session.patient,
        "problems": problems or [],
        "vitals_form": VitalsForm(),
        # the start runs at the ordered rate: prefilled until the infusion has started
        "admin_form": AdministrationForm(
            initial={
                "rate_ml_per_h": view.order.rate_ml_per_h
                if view.order and not view.administration
                else None
            }
        ),
        "ae_form": AdverseEventForm(prefix="ae"),
        "note_form": NoteForm(prefix="note"),
        "order_form": OrderForm(),
        "ack_form": AcknowledgeForm(),
        "addendum_form": AddendumForm(prefix="add"),
        "scale_forms": [
            (i, scale_form_class(instruments.get(i))(prefix=i), view.check_choices(i))
            for i in SESSION_SCALES
        ],
        "vitals_checks": view.check_choices("vitals", "spo2"),
        "pre_scales": ("phq9", "gad7", "qids-sr16"),
        "benzodiazepine_choices": checklist.BENZODIAZEPINE_CHOICES,
        "discharge_form": _discharge_form(view, membership),
        "sign_off_attestation": session_rules.SIGN_OFF_ATTESTATION,
        **(bound or {}),  # a form sent back with its errors keeps what was typed
    }


@clinic_member
def session_page(request: HttpRequest, membership: Membership, session_id: str) -> HttpResponse:
    view = selectors.session_view(membership=membership, session_id=session_id)
    return render(request, "chairside/session.html", _context(view, membership))


@clinic_member
def session_checks(request: HttpRequest, membership: Membership, session_id: str) -> HttpResponse:
    """The due/overdue board, polled in the background (not an audited read: it repeats the
    screen's own data on a timer)."""
    view = selectors.session_view(membership=membership, session_id=session_id, record=False)
    return render(request, "chairside/_checks.html", {"v": view, "session": view.session})


def _act(
    request: HttpRequest,
    membership: Membership,
    session_id: str,
    action: Callable[[Any], object],
    success: str,
    capability: Capability = Capability.VIEW_SESSIONS,
    bound: dict[str, Any] | None = None,
) -> HttpResponse:
    """Load the session for a member with ``capability`` (403 otherwise, before any input is
    read), run ``action`` on it, answer with the re-rendered session or a redirect. ``bound``:
    forms (by context name) shown again as sent when the action is refused, with the reasons;
    without HTMX the page is then rendered, not redirected, so nothing typed is lost."""
    session = selectors.get_session(
        membership=membership, session_id=session_id, capability=capability
    )
    problems: list[str] = []
    try:
        action(session)
    except ValidationError as exc:
        problems = exc.messages
    keep = bound if problems else None
    htmx = bool(request.htmx)  # type: ignore[attr-defined]
    if htmx or keep:
        view = selectors.session_view(membership=membership, session_id=session_id, record=False)
        ctx = _context(view, membership, problems, keep)
        ctx["saved"] = "" if problems else success
        template = "chairside/_session.html" if htmx else "chairside/session.html"
        return render(request, template, ctx)
    if problems:
        for problem in problems:
            messages.error(request, problem)
    else:
        messages.success(request, success)
    return redirect("chairside:session", clinic_slug=membership.clinic.slug, session_id=session_id)


def _form_problems(form: Any) -> list[str]:
    return [
        f"{form.fields[f].label if f in form.fields else ''} {e}".strip()
        for f, errs in form.errors.items()
        for e in errs
    ]


def _amount_mg(data: Any) -> Decimal | None:
    """The 'how much' of a today's-dose answer: blank is not recorded; anything else a number."""
    raw = (data.get("dose_mg") or "").strip()
    if not raw:
        return None
    try:
        return Decimal(raw)
    except InvalidOperation:
        raise ValidationError("The amount taken must be a number of mg.") from None


@clinic_member
@require_POST
def checklist_answer(request: HttpRequest, membership: Membership, session_id: str) -> HttpResponse:
    return _act(
        request,
        membership,
        session_id,
        lambda s: services.answer_checklist(
            membership=membership,
            session=s,
            item=request.POST.get("item", ""),
            answer=request.POST.get("answer", ""),
            note=request.POST.get("note", ""),
            drug=request.POST.get("drug", "") if request.POST.get("answer") == "yes" else "",
            dose_mg=_amount_mg(request.POST) if request.POST.get("answer") == "yes" else None,
        ),
        "Checklist updated.",
    )


@clinic_member
@require_POST
def vitals(request: HttpRequest, membership: Membership, session_id: str) -> HttpResponse:
    form = VitalsForm(request.POST)

    def save(s: Any) -> None:
        if not form.is_valid():
            raise ValidationError(_form_problems(form))
        services.record_vitals(
            membership=membership,
            session=s,
            measured_at=form.cleaned_data.get("measured_at"),
            check_id=form.cleaned_data.get("check_id") or "",
            **form.values(),
        )

    return _act(request, membership, session_id, save, "Vital signs saved.")


@clinic_member
@require_POST
def scale(
    request: HttpRequest, membership: Membership, session_id: str, instrument_id: str
) -> HttpResponse:
    def save(s: Any) -> None:
        try:
            instrument = instruments.get(instrument_id)
        except Exception:
            raise ValidationError("Unknown scale.") from None
        form = scale_form_class(instrument)(request.POST, prefix=instrument_id)
        if not form.is_valid():
            raise ValidationError(_form_problems(form))
        context = request.POST.get("context", AssessmentContext.IN_SESSION)
        if context not in AssessmentContext.values:
            raise ValidationError("Unknown context.")
        services.record_session_scale(
            membership=membership,
            session=s,
            instrument_id=instrument_id,
            answers=form.answers(),  # type: ignore[attr-defined]
            check_id=request.POST.get("check_id", ""),
            context=AssessmentContext(context),
        )

    return _act(request, membership, session_id, save, "Scale saved.", Capability.CHART_SESSIONS)


@clinic_member
@require_POST
def order(request: HttpRequest, membership: Membership, session_id: str) -> HttpResponse:
    form = OrderForm(request.POST)

    def save(s: Any) -> None:
        if not form.is_valid():
            raise ValidationError(_form_problems(form))
        services.order_dose(
            membership=membership,
            session=s,
            acknowledge_warnings=form.cleaned_data["acknowledge_warnings"],
            mg_per_kg=form.cleaned_data.get("mg_per_kg"),
            dose_mg=form.cleaned_data.get("dose_mg"),
        )

    return _act(request, membership, session_id, save, "Dose ordered.")


@clinic_member
@require_POST
def verify(request: HttpRequest, membership: Membership, session_id: str) -> HttpResponse:
    def save(s: Any) -> None:
        order = selectors.latest_order(s)
        if order is None:
            raise ValidationError("There is no order to verify.")
        services.verify_dose(membership=membership, order=order)

    return _act(request, membership, session_id, save, "Dose verified.", Capability.VERIFY_DOSES)


@clinic_member
@require_POST
def administer(request: HttpRequest, membership: Membership, session_id: str) -> HttpResponse:
    form = AdministrationForm(request.POST)

    def save(s: Any) -> None:
        if not form.is_valid():
            raise ValidationError(_form_problems(form))
        stock_lot = None
        chosen = request.POST.get("stock_lot", "")
        stock = ports.stock_source()
        if chosen and stock is not None:
            stock_lot = stock.lot(
                membership=membership, lot_id=chosen, drug=selectors.session_drug(s)
            )
            if stock_lot is None:
                raise ValidationError(
                    "That lot is not in stock, expired, not in this clinic or not of this "
                    "session's drug."
                )
        services.record_administration(
            membership=membership, session=s, stock_lot=stock_lot, **form.cleaned_data
        )

    return _act(request, membership, session_id, save, "Administration recorded.")


@clinic_member
@require_POST
def acknowledge(
    request: HttpRequest, membership: Membership, session_id: str, alert_id: str
) -> HttpResponse:
    form = AcknowledgeForm(request.POST)

    def save(s: Any) -> None:
        alert = selectors.session_alert(s, alert_id)
        if alert is None:
            raise ValidationError("No such alert.")
        if not form.is_valid():
            raise ValidationError("Record the action taken.")
        services.acknowledge_alert(
            membership=membership, alert=alert, action_taken=form.cleaned_data["action_taken"]
        )

    return _act(
        request, membership, session_id, save, "Alert acknowledged.", Capability.CHART_SESSIONS
    )


@clinic_member
@require_POST
def adverse_event(request: HttpRequest, membership: Membership, session_id: str) -> HttpResponse:
    form = AdverseEventForm(request.POST, prefix="ae")

    def save(s: Any) -> None:
        if not form.is_valid():
            raise ValidationError(_form_problems(form))
        data = dict(form.cleaned_data)
        data["onset_at"] = data.get("onset_at") or timezone.now()
        services.record_adverse_event(membership=membership, session=s, **data)

    return _act(request, membership, session_id, save, "Adverse event recorded.")


@clinic_member
@require_POST
def note(request: HttpRequest, membership: Membership, session_id: str) -> HttpResponse:
    return _act(
        request,
        membership,
        session_id,
        lambda s: services.add_note(
            membership=membership, session=s, text=request.POST.get("note-text", "")
        ),
        "Note added.",
    )


@clinic_member
@require_POST
def not_dosed(request: HttpRequest, membership: Membership, session_id: str) -> HttpResponse:
    """Stand the patient down before the dose (a hold, or the patient declines)."""
    reason = request.POST.get("not_dosed-reason", "").strip()
    return _act(
        request,
        membership,
        session_id,
        lambda s: services.stand_down(membership=membership, session=s, reason=reason),
        "Session ended without a dose.",
        Capability.CHART_SESSIONS,
    )


@clinic_member
@require_POST
def discharge_assessment(
    request: HttpRequest, membership: Membership, session_id: str
) -> HttpResponse:
    form = DischargeForm(
        request.POST, score=chosen_score(membership.clinic.clinical_overrides), prefix="dis"
    )

    def save(s: Any) -> None:
        if not form.is_valid():
            raise ValidationError(_form_problems(form))
        services.chart_discharge(membership=membership, session=s, **form.values())

    return _act(
        request,
        membership,
        session_id,
        save,
        "Discharge assessment saved.",
        Capability.CHART_SESSIONS,
        bound={"discharge_form": form},
    )


@clinic_member
@require_POST
def discharge(request: HttpRequest, membership: Membership, session_id: str) -> HttpResponse:
    return _act(
        request,
        membership,
        session_id,
        lambda s: services.discharge(membership=membership, session=s),
        "Patient discharged.",
    )


@clinic_member
@require_POST
def missed_check(request: HttpRequest, membership: Membership, session_id: str) -> HttpResponse:
    """Record why a planned check was not charted."""
    return _act(
        request,
        membership,
        session_id,
        lambda s: services.explain_missed_check(
            membership=membership,
            session=s,
            check_id=request.POST.get("check_id", ""),
            reason=request.POST.get("missed-reason", ""),
        ),
        "Reason for the missed check recorded.",
        Capability.CHART_SESSIONS,
    )


@clinic_member
@require_POST
def sign(request: HttpRequest, membership: Membership, session_id: str) -> HttpResponse:
    return _act(
        request,
        membership,
        session_id,
        lambda s: services.sign_off(membership=membership, session=s),
        "Session signed and locked.",
    )


@clinic_member
@require_POST
def addendum(request: HttpRequest, membership: Membership, session_id: str) -> HttpResponse:
    form = AddendumForm(request.POST, prefix="add")

    def save(s: Any) -> None:
        if not form.is_valid():
            raise ValidationError("An addendum needs a reason and a text.")
        add_addendum(membership=membership, patient=s.patient, session=s, **form.cleaned_data)

    return _act(request, membership, session_id, save, "Addendum added.", Capability.SIGN_SESSIONS)


@clinic_member
def concentration_chart(
    request: HttpRequest, membership: Membership, session_id: str
) -> HttpResponse:
    """The predicted concentration curve of the session as SVG (informational only)."""
    view = selectors.session_view(membership=membership, session_id=session_id)
    result = session_prediction(view)
    if result is None:
        raise Http404("No dose ordered yet.")
    prediction, charted = result
    band = prediction.band
    svg = concentration_svg(
        prediction.times_min,
        prediction.concentration_ng_per_ml,
        title=f"{prediction.model_title}: {'as charted' if charted else 'as ordered'}",
        analyte=prediction.analyte,
        band_low=band.at(5.0) if band else None,
        band_high=band.at(95.0) if band else None,
    )
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    return response
