"""Where the programmes above charting plug into a session without charting importing them.

Charting sits below the REMS programme and the controlled-substance log in the layers
(docs/architecture.md). They register here once, in their ``AppConfig.ready()``:

* a *readiness check*: what stops a dose of this session (the REMS hard stops, a safety
  hold), shown on the screen and enforced by ``services.record_administration`` alike;
* a *stock source*: the lots a dose may be dispensed from, and the ledger entry written when a
  charted administration dispenses one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from remission.accounts.models import Membership
from remission.chairside.models import AdministrationEvent
from remission.clinical.routes import Drug
from remission.scheduling.models import TreatmentSession


class DispensableLot(Protocol):
    """A lot of the controlled-substance log as the MAR records it."""

    @property
    def pk(self) -> Any: ...

    @property
    def lot_number(self) -> str: ...

    @property
    def expiry_date(self) -> dt.date: ...

    @property
    def product_name(self) -> str: ...


class StockSource(Protocol):
    def lots(self, *, membership: Membership, drug: Drug | None) -> list[DispensableLot]:
        """Lots of ``drug`` in stock and in date at the member's clinic, for the MAR's lot
        picker (``None``: a session without a drug, so none)."""
        ...

    def lot(
        self, *, membership: Membership, lot_id: str, drug: Drug | None
    ) -> DispensableLot | None:
        """One of ``lots``, or None when it is not (any longer) one of them."""
        ...

    def dispense(
        self, *, membership: Membership, administration: AdministrationEvent, lot: Any
    ) -> None:
        """Record the dose charted by ``administration`` as dispensed from ``lot``."""
        ...


@dataclass(frozen=True, slots=True)
class Stop:
    """One reason a programme gives for not dosing yet, worded for the screen, and where it is
    resolved (empty: nowhere to link)."""

    message: str
    url: str = ""
    link_label: str = "Open"


# (session, the route of its order or course) -> what stops the dose
ReadinessCheck = Callable[[TreatmentSession, str], list[Stop]]

_readiness_checks: list[ReadinessCheck] = []
_stock_sources: list[StockSource] = []


def register_readiness_check(check: ReadinessCheck) -> None:
    if check not in _readiness_checks:
        _readiness_checks.append(check)


def register_stock_source(source: StockSource) -> None:
    _stock_sources[:] = [source]  # one log per installation


def readiness_problems(session: TreatmentSession, route: str) -> list[Stop]:
    """Every registered check's reasons this session's dose may not start (empty: none)."""
    return [problem for check in _readiness_checks for problem in check(session, route)]


def stock_source() -> StockSource | None:
    return _stock_sources[0] if _stock_sources else None
