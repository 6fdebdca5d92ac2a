"""The predicted concentration curve for a session, from its order (planned) or its
medication administration record (charted).

Doses are read as free base: racemic ketamine vials state their strength as ketamine base
equivalent, and a SPRAVATO device delivers 28 mg esketamine base (shared/reference/pk.md,
"Salt") [2nd]. The curve is informational and does not predict antidepressant response.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from remission.chairside.models import AdministrationAction
from remission.chairside.selectors import SessionView
from remission.clinical.pk import Administration, Prediction, predict_session
from remission.clinical.pk.route_models import ROUTE_MODELS
from remission.clinical.routes import PkRoute, Route

# The PK model of each course route code (``TreatmentCourse.route``); the choice and its
# sources are in ``remission.clinical.pk.route_models``.
MODEL_FOR_ROUTE = {route.family.value: choice.model_id for route, choice in ROUTE_MODELS.items()}


def _charted(view: SessionView) -> list[Administration]:
    order = view.order
    assert order is not None
    concentration = order.concentration_mg_per_ml or Decimal(0)
    doses: list[Administration] = []
    running_since: dt.datetime | None = None
    rate = Decimal(0)
    for event in view.administration:
        if running_since is not None and rate > 0:
            doses.append(
                Administration(
                    PkRoute.IV_INFUSION,
                    running_since,
                    stop=event.at,
                    rate_mg_per_h=rate * concentration,
                )
            )
            running_since = None
        if event.action in (AdministrationAction.START, AdministrationAction.RATE_CHANGE):
            rate, running_since = event.rate_ml_per_h or Decimal(0), event.at
        elif event.action == AdministrationAction.RESUME:
            running_since = event.at
        elif event.action == AdministrationAction.INJECTION:
            doses.append(Administration(PkRoute.INTRAMUSCULAR, event.at, dose_mg=event.dose_mg))
        elif event.action == AdministrationAction.DEVICE:
            doses.append(Administration(PkRoute.NASAL, event.at, dose_mg=event.dose_mg))
    if running_since is not None and rate > 0:
        doses.append(
            Administration(
                PkRoute.IV_INFUSION,
                running_since,
                stop=max(view.now, running_since + dt.timedelta(minutes=1)),
                rate_mg_per_h=rate * concentration,
            )
        )
    return doses


def _planned(view: SessionView) -> list[Administration]:
    order = view.order
    assert order is not None
    start = view.session.scheduled_start
    route = Route.of_family_code(view.route)
    pk_route = PkRoute.NASAL if route is None else route.pk_route
    if pk_route is PkRoute.IV_INFUSION:
        minutes = order.infusion_minutes or 40
        return [
            Administration(
                PkRoute.IV_INFUSION,
                start,
                stop=start + dt.timedelta(minutes=minutes),
                dose_mg=order.dose_mg,
            )
        ]
    if pk_route is PkRoute.INTRAMUSCULAR:
        return [Administration(PkRoute.INTRAMUSCULAR, start, dose_mg=order.dose_mg)]
    return [Administration(PkRoute.NASAL, start, dose_mg=order.dose_mg)]


def session_prediction(view: SessionView) -> tuple[Prediction, bool] | None:
    """The prediction and whether it follows the charted record (else the planned order)."""
    if view.order is None or view.route not in MODEL_FOR_ROUTE:
        return None
    charted = _charted(view) if view.administration else []
    administrations = charted or _planned(view)
    if not administrations:
        return None
    weight = float(view.order.weight_kg) if view.order.weight_kg else None
    prediction = predict_session(
        weight_kg=weight,
        administrations=administrations,
        model_id=MODEL_FOR_ROUTE[view.route],
        band_patients=500,
    )
    return prediction, bool(charted)
