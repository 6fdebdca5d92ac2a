"""The safety escalation as the rest of the app meets it: raised from every scored scale
(``assessments.ports``), a hold on the session's dose (``chairside.ports``) and the count of
open escalations on the day board (``scheduling.ports``)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from remission.accounts.models import Membership
from remission.accounts.roles import Capability
from remission.assessments import ports as assessments_ports
from remission.chairside import ports as chairside_ports
from remission.safety import selectors, services
from remission.scheduling import ports as scheduling_ports
from remission.scheduling.models import TreatmentSession


def safety_hold(session: TreatmentSession, route: str) -> list[chairside_ports.Stop]:
    stops = []
    for escalation in selectors.holding(session):
        url = reverse("safety:escalation", args=[escalation.clinic.slug, escalation.pk])
        when = escalation.source.administered_at.astimezone(session.clinic.tzinfo)
        if escalation.is_open:
            message = (
                f"Safety hold: {escalation.message} ({when:%Y-%m-%d %H:%M}). A clinician records "
                "a suicide-risk screen and a disposition before any dose."
            )
        else:
            message = f"No dose today: the safety disposition was {escalation.disposition_label}."
        stops.append(chairside_ports.Stop(message, url, "Open the escalation"))
    return stops


def open_escalations_notice(
    membership: Membership, day: dt.date
) -> scheduling_ports.BoardNotice | None:
    if not membership.can(Capability.VIEW_CLINICAL):
        return None
    return scheduling_ports.BoardNotice(
        label="Safety escalations open",
        count=selectors.open_count(membership=membership),
        url=reverse("safety:open", args=[membership.clinic.slug]),
    )


def register() -> None:
    assessments_ports.register_scored_hook(services.on_scored)
    chairside_ports.register_readiness_check(safety_hold)
    scheduling_ports.register_board_notice(open_escalations_notice)
