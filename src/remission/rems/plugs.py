"""The SPRAVATO REMS as the session and the day board see it: the hard stops before an
esketamine dose (``chairside.ports``) and the count of monitoring forms still to send
(``scheduling.ports``)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from remission.accounts.models import Membership
from remission.accounts.roles import Capability
from remission.chairside import ports as chairside_ports
from remission.clinical.routes import RouteFamily
from remission.rems.selectors import forms_due_count, rems_readiness
from remission.scheduling import ports as scheduling_ports
from remission.scheduling.models import TreatmentSession


def esketamine_hard_stops(session: TreatmentSession, route: str) -> list[chairside_ports.Stop]:
    if RouteFamily.of_code(route) is not RouteFamily.ESKETAMINE_NASAL:
        return []
    url = reverse("rems:dashboard", args=[session.clinic.slug])
    return [
        chairside_ports.Stop(f"REMS: {problem}", url, "Open the REMS page")
        for problem in rems_readiness(patient=session.patient, clinic=session.clinic)
    ]


def forms_due_notice(membership: Membership, day: dt.date) -> scheduling_ports.BoardNotice | None:
    if not membership.can(Capability.MANAGE_REMS):
        return None
    return scheduling_ports.BoardNotice(
        label="REMS forms due",
        count=forms_due_count(membership=membership, today=day),
        url=reverse("rems:dashboard", args=[membership.clinic.slug]),
    )


def register() -> None:
    chairside_ports.register_readiness_check(esketamine_hard_stops)
    scheduling_ports.register_board_notice(forms_due_notice)
