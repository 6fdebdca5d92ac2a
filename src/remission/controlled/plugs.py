"""The controlled-substance log as the chair-side MAR sees it (``chairside.ports``): the lots a
dose may be dispensed from, and the dispense entry a charted administration writes."""

from __future__ import annotations

from typing import Any

from remission.accounts.models import Membership
from remission.accounts.roles import Capability
from remission.chairside import ports
from remission.chairside.models import AdministrationEvent
from remission.controlled.models import StockLot
from remission.controlled.selectors import lots_for
from remission.controlled.services import dispense_for_administration


class ControlledStock:
    def lots(self, *, membership: Membership) -> list[ports.DispensableLot]:
        if not membership.can(Capability.MANAGE_CONTROLLED_SUBSTANCES):
            return []
        return list(lots_for(membership=membership, purpose="dispense").select_related("product"))

    def lot(self, *, membership: Membership, lot_id: str) -> ports.DispensableLot | None:
        found: StockLot | None = (
            lots_for(membership=membership, purpose="dispense")
            .filter(pk=int(lot_id) if lot_id.isdigit() else 0)
            .select_related("product")
            .first()
        )
        return found

    def dispense(
        self, *, membership: Membership, administration: AdministrationEvent, lot: Any
    ) -> None:
        dispense_for_administration(membership=membership, administration=administration, lot=lot)


def register() -> None:
    ports.register_stock_source(ControlledStock())
