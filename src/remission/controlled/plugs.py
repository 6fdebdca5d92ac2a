"""The controlled-substance log as the chair-side MAR sees it (``chairside.ports``): the lots a
dose may be dispensed from, and the dispense entry a charted administration writes."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from remission.accounts.models import Membership
from remission.accounts.roles import Capability
from remission.chairside import ports
from remission.chairside.models import AdministrationEvent
from remission.clinical.routes import Drug as ClinicalDrug
from remission.controlled.models import Drug, StockLot
from remission.controlled.selectors import lots_for
from remission.controlled.services import dispense_for_administration

# The log's drug of each of the clinical core's drugs.
_LOGGED_AS = {
    ClinicalDrug.RACEMIC_KETAMINE: Drug.KETAMINE,
    ClinicalDrug.ESKETAMINE: Drug.ESKETAMINE,
}


def _dispensable(membership: Membership, drug: ClinicalDrug | None) -> QuerySet[StockLot]:
    """Lots of ``drug`` in stock and in date at the member's clinic, with their product (a
    session's dose is never dispensed from another drug's lot)."""
    lots = lots_for(membership=membership, purpose="dispense").select_related("product")
    if drug is None:
        return lots.none()
    return lots.filter(product__drug=_LOGGED_AS[drug])


class ControlledStock:
    def lots(
        self, *, membership: Membership, drug: ClinicalDrug | None
    ) -> list[ports.DispensableLot]:
        if not membership.can(Capability.MANAGE_CONTROLLED_SUBSTANCES):
            return []
        return list(_dispensable(membership, drug))

    def lot(
        self, *, membership: Membership, lot_id: str, drug: ClinicalDrug | None
    ) -> ports.DispensableLot | None:
        found: StockLot | None = (
            _dispensable(membership, drug).filter(pk=int(lot_id) if lot_id.isdigit() else 0).first()
        )
        return found

    def dispense(
        self, *, membership: Membership, administration: AdministrationEvent, lot: Any
    ) -> None:
        dispense_for_administration(membership=membership, administration=administration, lot=lot)


def register() -> None:
    ports.register_stock_source(ControlledStock())
