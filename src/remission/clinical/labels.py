"""The human label of every clinical code a screen or report may show.

Each code's label is defined beside the code (a route's ``label``, an instrument's
``short_name``, ``vitals.ALERT_TITLES``, ``checks.CHECK_STATE_LABELS``,
``monitoring_plan.check_title`` …); this module only looks them up, so a template filter
(``{% load labels %}{{ code|human }}``, ``remission/web/templatetags/labels.py``) and the REMS
PDF read one answer. A code with no label comes back unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from remission.clinical import instruments
from remission.clinical.eligibility.vocabulary import ROUTE_STATUS_LABELS
from remission.clinical.monitoring.checks import CHECK_STATE_LABELS
from remission.clinical.monitoring.todays_doses import DAY_STATUS_LABELS
from remission.clinical.monitoring.vitals import (
    ALERT_TITLES,
    PREDOSE_STATUS_LABELS,
    SEVERITY_LABELS,
)
from remission.clinical.protocols.definitions import PROTOCOLS
from remission.clinical.protocols.monitoring_plan import check_title
from remission.clinical.routes import Route, RouteFamily


def _route(code: str) -> str | None:
    if code in {r.value for r in Route}:
        return Route(code).label
    family = RouteFamily.of_code(code)
    return family.label if family is not None else None


def _instrument(code: str) -> str | None:
    return instruments.get(code).short_name if code in instruments.ids() else None


def _protocol(code: str) -> str | None:
    protocol = PROTOCOLS.get(code)
    return protocol.title if protocol is not None else None


def _table(table: Mapping[str, str]) -> Callable[[str], str | None]:
    return lambda code: table.get(code)


# Checked in order; the first that knows the code answers.
_LOOKUPS: tuple[Callable[[str], str | None], ...] = (
    _route,
    _instrument,
    _protocol,
    check_title,
    _table(ALERT_TITLES),
    _table({str(k): v for k, v in SEVERITY_LABELS.items()}),
    _table({str(k): v for k, v in CHECK_STATE_LABELS.items()}),
    _table(PREDOSE_STATUS_LABELS),
    _table({str(k): v for k, v in DAY_STATUS_LABELS.items()}),
    _table({str(k): v for k, v in ROUTE_STATUS_LABELS.items()}),
)


def label(code: str) -> str:
    """The human label of ``code``; the code itself when no definition names it."""
    text = str(code)
    for lookup in _LOOKUPS:
        found = lookup(text)
        if found:
            return found
    return text
