"""The demo clinic's controlled-substance log, consistent with its charted sessions.

Two products (racemic ketamine 50 mg/mL vials, counted in mL, and SPRAVATO 28 mg devices), and
for every lot the demo's medication administration record names (``treatment._lot``):

- **receipts**: the first a couple of days before the lot's first use, then one every 14 days
  while the lot is in use, each sized for the next fortnight's use plus a small reserve and
  rounded up to whole vials or kits; the lot in use today also holds what today's board and the
  rest of its fortnight will need;
- **dispensing** for every charted dose line (infusion start, injection, nasal device): whole mL
  drawn from a vial, enough for the dose, or one device per device line, linked to the session,
  the patient and the administration line, as ``dispense_for_administration`` links them;
- **witnessed waste of the dispensed dose** of racemic ketamine: the rest of the drawn-up mL at
  once, and what was left in the bag when an infusion stopped early, so dispensed − wasted −
  administered (the MAR total, ``chairside.selectors.administered_mg``) is 0 for every session
  whose dose is over. That drug left stock with its dispense, so these entries move no stock
  (quantity 0, the amount in ``dispensed_wasted``) and the counts find what the ledger says;
- **weekly physical counts** (Monday, before opening) of every lot on the shelf, all agreeing
  with the ledger except one, two to three weeks ago, that found a ketamine lot 0.5 mL short;
  the next day the medical director records a witnessed adjustment with the reason (pointing at
  that count), and the lot is counted again;
- **returns** to a reverse distributor of what is left of a lot no longer in use, two months
  before it expires (only in a history longer than the demo's default 120 days).

The rows come from ``remission.controlled.rows``, the builders the services use — the same
fields, quantities in mg and audit summaries — and are written in bulk in time order with the
balance after each entry (so the ledger's ids follow time and ``selectors.lot_ledger`` finds every
running balance intact), with one audit event each. The services stamp ``recorded_at`` with the
current time and refuse back-dated counts and adjustments; the demo writes history, so every
entry keeps the time it was made then. Deterministic for a seed and a build time.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal
from typing import Any

from remission.accounts.models import User
from remission.accounts.roles import Role
from remission.chairside.models import AdministrationAction, AdministrationEvent
from remission.chairside.selectors import administered_mg
from remission.clinical.routes import Route
from remission.clinics.models import Clinic
from remission.controlled import rows
from remission.controlled.models import (
    UNIT_OF_FORM,
    DosageForm,
    Drug,
    LedgerEntry,
    Product,
    StockLot,
    WitnessVerification,
)
from remission.controlled.rows import QUANTUM, ZERO, quantity_mg
from remission.demo.writer import BulkWriter
from remission.scheduling.models import SessionStatus, TreatmentSession

# --- The demo clinic's stock-keeping (conventions for demo data, not estimates) ---------------


@dataclass(frozen=True)
class _ProductSpec:
    name: str
    drug: str
    form: str
    strength: str
    mg_per_unit: Decimal
    ndc: str
    route: Route  # a route of this drug, for ``lot_of``


# As ``tests/app/controlled_world.py`` adds them (``ketamine_vials``, ``spravato``).
PRODUCTS = (
    _ProductSpec(
        name="Ketamine HCl 50 mg/mL, 10 mL vial",
        drug=Drug.KETAMINE,
        form=DosageForm.VIAL,
        strength="500 mg/10 mL",
        mg_per_unit=Decimal("50.000"),
        ndc="0143-9508-10",
        route=Route.IV_RACEMIC,
    ),
    _ProductSpec(
        name="SPRAVATO 28 mg device",
        drug=Drug.ESKETAMINE,
        form=DosageForm.NASAL_DEVICE,
        strength="28 mg/device",
        mg_per_unit=Decimal("28.000"),
        ndc="",
        route=Route.ESKETAMINE_NASAL,
    ),
)
SUPPLIERS: dict[str, tuple[str, str]] = {
    Drug.KETAMINE: ("Harbor Pharmaceutical Wholesale", "HPW"),
    Drug.ESKETAMINE: ("Specialty Pharmacy Distribution (SPRAVATO REMS)", "SPD"),
}
# Deliveries come in whole vials (10 mL) or 84 mg kits (3 devices), every 14 days while a lot is
# in use, the first two days before its first use, at about half past nine; each covers the
# fortnight ahead and leaves a reserve of one vial or kit.
PACK: dict[str, Decimal] = {Drug.KETAMINE: Decimal("10.000"), Drug.ESKETAMINE: Decimal("3.000")}
RESERVE: dict[str, Decimal] = {Drug.KETAMINE: Decimal("10.000"), Drug.ESKETAMINE: Decimal("3.000")}
DELIVERY_EVERY = dt.timedelta(days=14)
FIRST_DELIVERY_BEFORE_USE = dt.timedelta(days=2)
DELIVERY_AT = dt.time(9, 30)
# Today's sessions not dosed yet need what their order asks, or before the order at most this.
UNORDERED_KETAMINE_MG = Decimal("100")
UNORDERED_DEVICES = 3
# Counts: every Monday before opening. The one discrepancy is at the count 14–20 days before
# today; the adjustment follows the next day and the lot is counted again ten minutes later.
COUNT_WEEKDAY = 0
COUNT_AT = dt.time(7, 40)
DISCREPANCY_DAYS_AGO = (14, 20)
DISCREPANCY_ML = Decimal("0.500")
ADJUSTMENT_AT = dt.time(11, 0)
RECOUNT_AFTER = dt.timedelta(minutes=10)
# What is left of a lot no longer in use goes back to the reverse distributor two months before
# it expires (only a history longer than about 16 months gets that far).
RETURN_BEFORE_EXPIRY = dt.timedelta(days=60)
RETURN_AT = dt.time(10, 0)
REVERSE_DISTRIBUTOR = "RetroMed Reverse Distribution"
# Witnesses: the prescriber, or a quarter of the time the medical director; most type their
# password, the rest are attested by the recorder.
DIRECTOR_WITNESS_SHARE = 0.25
WITNESS_PASSWORD_SHARE = 0.85

_DISPENSING = (
    AdministrationAction.START,
    AdministrationAction.INJECTION,
    AdministrationAction.DEVICE,
)
_NOT_DOSED = (SessionStatus.CANCELLED, SessionStatus.NO_SHOW)
ONE = Decimal("1.000")
_SEQ = itertools.count()  # ties in time keep the order the entries were planned in


def _drug_of_route(route: str) -> str:
    """As ``controlled.services`` tells a dose order's drug from its route."""
    return Drug.ESKETAMINE if route.startswith("esketamine") else Drug.KETAMINE


def _whole(quantity: Decimal, step: Decimal) -> Decimal:
    """``quantity`` rounded up to a whole number of ``step``."""
    return ((quantity / step).to_integral_value(rounding=ROUND_CEILING) * step).quantize(QUANTUM)


def _local(day: dt.date, at: dt.time, tz: dt.tzinfo, minutes: int = 0) -> dt.datetime:
    moment = dt.datetime.combine(day, at, tzinfo=tz) + dt.timedelta(minutes=minutes)
    return moment.astimezone(dt.UTC)


# --- Planning, in plain Python --------------------------------------------------------------


@dataclass
class _Lot:
    product: Product
    lot_number: str
    expiry: dt.date
    outflows: list[_Move] = field(default_factory=list)
    receipts: list[_Move] = field(default_factory=list)
    current: bool = False  # the lot of its drug in use today
    today_need: Decimal = ZERO  # what today's sessions not dosed yet need (current lot only)

    def __post_init__(self) -> None:
        # Completed by the first receipt, as ``services.receive_stock`` books a new lot in.
        self.row = StockLot(
            clinic=self.product.clinic,
            product=self.product,
            lot_number=self.lot_number,
            expiry_date=self.expiry,
        )

    def out_between(self, start: dt.datetime | None, end: dt.datetime | None) -> Decimal:
        """Units taken out of the lot from ``start`` (included) to ``end`` (excluded)."""
        return -sum(
            (
                m.entry.quantity
                for m in self.outflows
                if (start is None or m.at >= start) and (end is None or m.at < end)
            ),
            ZERO,
        )

    @property
    def last_use(self) -> dt.datetime:
        return max(m.at for m in self.outflows)


@dataclass
class _Move:
    """One ledger entry to write, still without its lot's balance after it."""

    at: dt.datetime
    lot: _Lot
    row: rows.Row  # the entry and its audit summary, as the service builds them
    seq: int = field(default_factory=lambda: next(_SEQ))

    @property
    def entry(self) -> LedgerEntry:
        return self.row.entry


@dataclass
class _Discrepancy:
    lot: _Lot
    count_at: dt.datetime
    adjustment: _Move
    count: _Move | None = None


@dataclass
class _Staff:
    nurse: User
    prescriber: User
    director: User

    def witness(self, rng: random.Random) -> rows.Witnessed:
        """A witness other than the nurse who records, and how they confirmed."""
        who = self.director if rng.random() < DIRECTOR_WITNESS_SHARE else self.prescriber
        how = (
            WitnessVerification.PASSWORD
            if rng.random() < WITNESS_PASSWORD_SHARE
            else WitnessVerification.ATTESTED
        )
        return rows.Witnessed(who, how)


class _Lots:
    """The lots the MAR names, by drug and lot number."""

    def __init__(self, products: Mapping[str, Product]) -> None:
        self.products = products
        self.by_key: dict[tuple[str, str], _Lot] = {}

    def get(self, drug: str, number: str, expiry: dt.date | None) -> _Lot:
        lot = self.by_key.get((drug, number))
        if lot is None:
            assert expiry is not None, f"lot {number} is charted without its expiry"
            lot = self.by_key[(drug, number)] = _Lot(self.products[drug], number, expiry)
        assert expiry is None or lot.expiry == expiry, f"lot {number} has two expiry dates"
        return lot

    def of_drug(self, drug: str) -> list[_Lot]:
        return [lot for (d, _), lot in self.by_key.items() if d == drug]

    def ordered(self) -> list[_Lot]:
        return sorted(self.by_key.values(), key=lambda x: (x.product.name, x.lot_number))


def write_controlled_log(
    writer: BulkWriter,
    clinic: Clinic,
    staff: Mapping[str, User],
    *,
    now: dt.datetime,
    seed: int,
    since: dt.datetime,
    lot_of: Callable[[Route, dt.datetime], tuple[str, dt.date]],
) -> None:
    """Seed ``clinic``'s controlled-substance log from its charted sessions up to ``now``.

    ``since`` is when the clinic was set up (its products are added then); ``lot_of`` is the
    demo MAR's rule for the lot in use at a moment (for a drug not dosed yet)."""
    people = _Staff(
        nurse=staff[Role.NURSE],
        prescriber=staff[Role.PRESCRIBER],
        director=staff[Role.MEDICAL_DIRECTOR],
    )
    products = {
        spec.drug: Product(
            clinic=clinic,
            name=spec.name,
            drug=spec.drug,
            form=spec.form,
            strength=spec.strength,
            mg_per_unit=spec.mg_per_unit,
            unit=UNIT_OF_FORM[spec.form],
            ndc=spec.ndc,
            created_at=since,
        )
        for spec in PRODUCTS
    }
    lots = _Lots(products)
    _dispense_charted_doses(clinic, people, now, seed, lots)
    _provide_for_today(clinic, now, lots, lot_of)
    discrepancy = _plan_discrepancy(clinic, people, now, lots)
    for lot in lots.ordered():
        _plan_receipts(clinic, people, lot, now, seed)
        _plan_return(clinic, people, lot, now)
    moves = _with_counts_and_balances(clinic, people, now, seed, lots.ordered(), discrepancy)
    _write(writer, people, list(products.values()), lots.ordered(), moves, now, discrepancy)


def _dispense_charted_doses(
    clinic: Clinic, people: _Staff, now: dt.datetime, seed: int, lots: _Lots
) -> None:
    """A dispense per charted dose line (infusion start, injection, nasal device) and, for
    racemic ketamine, the witnessed waste of what was drawn up but not given."""
    users = {u.pk: u for u in (people.nurse, people.prescriber, people.director)}
    events = list(
        AdministrationEvent.objects.filter(session__clinic=clinic, at__lte=now)
        .select_related("session", "order")
        .only(
            *("id", "action", "at", "recorded_at", "recorded_by_id", "dose_mg"),
            *("lot_number", "expiry", "session_id", "order_id"),
            *("session__id", "session__clinic_id", "session__patient_id", "session__status"),
            *("session__kind", "session__scheduled_start"),
            *("order__route", "order__dose_mg", "order__concentration_mg_per_ml"),
        )
        .order_by("at", "id")
    )
    for event in events:
        if event.recorded_by_id in users:
            event.recorded_by = users[event.recorded_by_id]
    by_session: dict[Any, list[AdministrationEvent]] = {}
    for event in events:
        by_session.setdefault(event.session_id, []).append(event)
    sessions = [session_events[0].session for session_events in by_session.values()]
    given = administered_mg(sessions)
    for session in sessions:
        session_events = by_session[session.pk]
        rng = random.Random(f"demo-controlled:{seed}:{session.pk}")
        assert session.status not in _NOT_DOSED, f"{session} has a dose charted"
        for event in session_events:
            if event.action not in _DISPENSING:
                continue
            drug = _drug_of_route(event.order.route)
            lot = lots.get(drug, event.lot_number, event.expiry)
            if drug == Drug.ESKETAMINE:
                _dispense(lot, event, ONE)  # one device per device line
            else:
                _ketamine_dose(people, lot, event, session_events, given[session.pk], rng)


def _dispense(lot: _Lot, event: AdministrationEvent, units: Decimal) -> None:
    """The entry ``services.dispense_for_administration`` writes for ``event``."""
    row = rows.dispense(
        lot.row,
        quantity=units,
        session=event.session,
        administration=event,
        note="",
        entered=rows.Entered(event.recorded_by, event.at, event.recorded_at),
    )
    lot.outflows.append(_Move(event.at, lot, row))


def _waste(
    people: _Staff,
    lot: _Lot,
    event: AdministrationEvent,
    mg: Decimal,
    reason: str,
    rng: random.Random,
) -> None:
    """The entry ``services.record_waste(of_dispensed=True)`` writes: part of the dose just
    dispensed for the session, wasted by the nurse with a witness; no stock moves."""
    quantity = (mg / lot.product.mg_per_unit).quantize(QUANTUM)
    assert quantity_mg(lot.product, quantity) == mg, f"{mg} mg is not a whole number of 0.001 mL"
    row = rows.waste(
        lot.row,
        quantity=quantity,
        of_dispensed=True,
        witnessed=people.witness(rng),
        reason=reason,
        session=event.session,
        administration=event,
        entered=rows.Entered(people.nurse, event.at, event.at + dt.timedelta(minutes=2)),
    )
    lot.outflows.append(_Move(event.at, lot, row))


def _ketamine_dose(
    people: _Staff,
    lot: _Lot,
    event: AdministrationEvent,
    session_events: list[AdministrationEvent],
    given_mg: Decimal | None,
    rng: random.Random,
) -> None:
    """Whole mL drawn for the dose, what was not used wasted at once, and for an infusion
    stopped short of its dose what was left in the bag when it stopped.

    Once the dose is over, the MAR's total (``given_mg``) is what went in; the pump rate is
    rounded to 0.01 mL/h, so a full infusion can total a hair over the order, and the syringe
    then held that much more."""
    order = event.order
    dose_mg = event.dose_mg or order.dose_mg
    prepared_mg = max(dose_mg, given_mg or ZERO)
    product = lot.product
    drawn = _whole(prepared_mg / product.mg_per_unit, ONE)
    _dispense(lot, event, drawn)
    rest_mg = quantity_mg(product, drawn) - prepared_mg
    if rest_mg > 0:
        _waste(
            people,
            lot,
            event,
            rest_mg,
            f"rest of the {int(drawn)} mL drawn up ({_plain(rest_mg)} mg), "
            "wasted into a drug-disposal container",
            rng,
        )
    stop = next((e for e in session_events if e.action == AdministrationAction.STOP), None)
    if given_mg is None or stop is None or given_mg >= dose_mg:
        return
    left_mg = dose_mg - given_mg
    reason = f"infusion stopped with {_plain(left_mg)} mg left in the bag"
    if order.concentration_mg_per_ml:
        volume = (left_mg / order.concentration_mg_per_ml).quantize(Decimal("0.01"))
        reason += f" ({volume} mL at {_plain(order.concentration_mg_per_ml)} mg/mL)"
    reason += ", wasted into a drug-disposal container"
    _waste(people, lot, stop, left_mg, reason, rng)


def _plain(value: Decimal) -> str:
    """``value`` without trailing zeros, never in exponent form (10, 0.5, 10.5)."""
    return f"{value.normalize():f}"


def _provide_for_today(
    clinic: Clinic,
    now: dt.datetime,
    lots: _Lots,
    lot_of: Callable[[Route, dt.datetime], tuple[str, dt.date]],
) -> None:
    """Mark each drug's lot in use now, with what today's sessions not dosed yet need."""
    tz = clinic.tzinfo
    start = _local(now.astimezone(tz).date(), dt.time.min, tz)
    sessions = (
        TreatmentSession.objects.filter(
            clinic=clinic,
            scheduled_start__gte=start,
            scheduled_start__lt=start + dt.timedelta(days=1),
            course__isnull=False,
        )
        .exclude(status__in=_NOT_DOSED)
        .select_related("course")
        .prefetch_related("orders", "administration")
    )
    need: dict[str, Decimal] = {Drug.KETAMINE: ZERO, Drug.ESKETAMINE: ZERO}
    for session in sessions:
        assert session.course is not None
        drug_route = Route.of_family_code(session.course.route)
        if drug_route is None:
            continue
        drug = _drug_of_route(drug_route.value)
        orders = sorted(session.orders.all(), key=lambda o: (o.recorded_at, o.pk))
        order = orders[-1] if orders else None
        dosed = [e for e in session.administration.all() if e.action in _DISPENSING and e.at <= now]
        if drug == Drug.ESKETAMINE:
            devices = order.devices if order and order.devices else UNORDERED_DEVICES
            need[drug] += Decimal(max(devices - len(dosed), 0))
        elif not dosed:
            dose_mg = order.dose_mg if order else UNORDERED_KETAMINE_MG
            need[drug] += _whole(dose_mg / lots.products[drug].mg_per_unit, ONE)
    for spec in PRODUCTS:
        in_use = [lot for lot in lots.of_drug(spec.drug) if lot.outflows]
        if in_use:
            current = max(in_use, key=lambda lot: lot.last_use)
        else:
            current = lots.get(spec.drug, *lot_of(spec.route, now))
        current.current = True
        current.today_need = need[spec.drug]


def _plan_discrepancy(
    clinic: Clinic, people: _Staff, now: dt.datetime, lots: _Lots
) -> _Discrepancy | None:
    """The ketamine lot in use at the Monday count 14–20 days ago is found 0.5 mL short; the
    next day the medical director takes the 0.5 mL off the ledger, witnessed, with the reason.
    (A shorter history takes the latest count it has.)"""
    tz = clinic.tzinfo
    today = now.astimezone(tz).date()
    counts = [_local(day, COUNT_AT, tz) for day in _count_days(today - dt.timedelta(365), today)]
    low, high = DISCREPANCY_DAYS_AGO
    wanted = [c for c in counts if low <= (today - c.astimezone(tz).date()).days <= high]
    candidates = wanted + sorted((c for c in counts if c not in wanted), reverse=True)
    in_use = [lot for lot in lots.of_drug(Drug.KETAMINE) if lot.outflows]
    for count_at in candidates:
        week = count_at - dt.timedelta(days=7)
        used = [lot for lot in in_use if lot.out_between(week, count_at)]
        adjust_at = _local(count_at.astimezone(tz).date() + dt.timedelta(days=1), ADJUSTMENT_AT, tz)
        if not used or adjust_at + RECOUNT_AFTER > now:
            continue
        lot = max(used, key=lambda x: x.out_between(week, count_at))
        reason = (
            f"The count of {count_at.astimezone(tz):%Y-%m-%d} found {_plain(DISCREPANCY_ML)} "
            "mL short. Investigated with the nursing team: a drawn-up syringe was dropped and "
            "its contents lost before the dose was prepared, and the loss was not recorded as "
            "waste (written statement on file). Not a theft or significant loss; ledger "
            "corrected and the lot counted again."
        )
        row = rows.adjustment(
            lot.row,
            change=-DISCREPANCY_ML,
            reason=reason,
            witnessed=rows.Witnessed(people.prescriber, WitnessVerification.PASSWORD),
            corrects=None,  # set when the count it follows is written
            entered=rows.Entered(people.director, adjust_at, adjust_at + dt.timedelta(minutes=3)),
        )
        move = _Move(adjust_at, lot, row)
        lot.outflows.append(move)
        return _Discrepancy(lot, count_at, move)
    return None


def _count_days(first: dt.date, last: dt.date) -> list[dt.date]:
    """The count weekdays from ``first`` to ``last``, both included."""
    first += dt.timedelta(days=(COUNT_WEEKDAY - first.weekday()) % 7)
    return [first + dt.timedelta(days=7 * n) for n in range((last - first).days // 7 + 1)]


def _plan_receipts(clinic: Clinic, people: _Staff, lot: _Lot, now: dt.datetime, seed: int) -> None:
    """Deliveries every 14 days while the lot is in use, each for the fortnight ahead; the lot
    row is the first of them, as ``services.receive_stock`` books a new lot in."""
    tz = clinic.tzinfo
    drug = lot.product.drug
    rng = random.Random(f"demo-controlled-receipts:{seed}:{lot.lot_number}")
    supplier, code = SUPPLIERS[drug]
    needed = [m.at for m in lot.outflows] + ([now] if lot.current else [])
    day = min(needed).astimezone(tz).date() - FIRST_DELIVERY_BEFORE_USE
    times: list[dt.datetime] = []
    while True:
        at = _local(day, DELIVERY_AT, tz, minutes=rng.randint(0, 50))
        if at > now or (times and at > max(needed)):
            break
        times.append(at)
        day += DELIVERY_EVERY
    received = ZERO
    for k, at in enumerate(times):
        following = times[k + 1] if k + 1 < len(times) else None
        demand = lot.out_between(at, following)
        if following is None and lot.current:
            demand += max(lot.today_need, _pace(lot, now) * _days(at + DELIVERY_EVERY - now))
        on_hand = received - lot.out_between(None, at)
        if demand + RESERVE[drug] <= on_hand:
            continue
        quantity = _whole(demand + RESERVE[drug] - on_hand, PACK[drug])
        received += quantity
        reference = f"INV-{code}-{at.astimezone(tz):%y%m%d}-{rng.randint(100, 999)}"
        if not lot.receipts:
            first = lot.row
            first.received_quantity, first.supplier, first.reference = quantity, supplier, reference
            first.received_at, first.received_by = at, people.nurse
        row = rows.receipt(
            lot.row,
            quantity=quantity,
            supplier=supplier,
            reference=reference,
            note="",
            entered=rows.Entered(people.nurse, at, at + dt.timedelta(minutes=5)),
        )
        lot.receipts.append(_Move(at, lot, row))


def _plan_return(clinic: Clinic, people: _Staff, lot: _Lot, now: dt.datetime) -> None:
    """What is left of a lot no longer in use, sent back before it expires, as
    ``services.return_stock`` records it (the inventory then shows no expired stock)."""
    tz = clinic.tzinfo
    at = _local(lot.expiry - RETURN_BEFORE_EXPIRY, RETURN_AT, tz)
    if lot.current or at > now or (lot.outflows and lot.last_use >= at):
        return
    left = sum((m.entry.quantity for m in lot.receipts), ZERO) - lot.out_between(None, None)
    if left <= 0:
        return
    row = rows.stock_return(
        lot.row,
        quantity=left,
        reference=f"RA-{lot.lot_number}",
        reason=f"expires {lot.expiry}; sent to {REVERSE_DISTRIBUTOR}",
        witnessed=None,
        entered=rows.Entered(people.nurse, at, at + dt.timedelta(minutes=5)),
    )
    lot.outflows.append(_Move(at, lot, row))


def _pace(lot: _Lot, now: dt.datetime) -> Decimal:
    """Units a day the lot gave out over the last 14 days."""
    return lot.out_between(now - DELIVERY_EVERY, now) / DELIVERY_EVERY.days


def _days(span: dt.timedelta) -> Decimal:
    return max(Decimal(str(span.total_seconds())) / 86400, Decimal(0))


# --- Counts, balances and writing -----------------------------------------------------------


def _with_counts_and_balances(
    clinic: Clinic,
    people: _Staff,
    now: dt.datetime,
    seed: int,
    lots: list[_Lot],
    discrepancy: _Discrepancy | None,
) -> list[_Move]:
    """Every entry in time order, the weekly counts among them, each with its lot's balance
    after it (a count keeps the balance it expected, and what was counted)."""
    tz = clinic.tzinfo
    rng = random.Random(f"demo-controlled-counts:{seed}")
    moves = sorted(
        (m for lot in lots for m in lot.receipts + lot.outflows), key=lambda m: (m.at, m.seq)
    )
    first = min(lot.receipts[0].at for lot in lots).astimezone(tz).date()
    counts = [_local(day, COUNT_AT, tz) for day in _count_days(first, now.astimezone(tz).date())]
    markers: list[tuple[dt.datetime, int, _Move | None, _Lot | None]] = [
        (m.at, m.seq, m, None) for m in moves
    ]
    markers += [(at, -1, None, None) for at in counts if at <= now]
    if discrepancy is not None:
        recount = discrepancy.adjustment.at + RECOUNT_AFTER
        markers.append((recount, discrepancy.adjustment.seq + 1, None, discrepancy.lot))
    markers.sort(key=lambda m: (m[0], m[1]))
    balance = {id(lot): ZERO for lot in lots}
    moved = {id(lot): False for lot in lots}
    ordered: list[_Move] = []
    for at, _, move, recount_lot in markers:
        if move is not None:
            key = id(move.lot)
            balance[key] += move.entry.quantity
            assert balance[key] >= 0, f"lot {move.lot.lot_number} overdrawn at {at}"
            move.entry.balance_after = balance[key]
            moved[key] = True
            ordered.append(move)
            continue
        counted_lots = [recount_lot] if recount_lot is not None else lots
        for lot in counted_lots:
            key = id(lot)
            if lot.receipts[0].at > at or not (balance[key] or moved[key]):
                continue
            short = (
                discrepancy is not None
                and recount_lot is None
                and lot is discrepancy.lot
                and at == discrepancy.count_at
            )
            count = _count(clinic, people, lot, at, balance[key], short, recount_lot, rng)
            ordered.append(count)
            moved[key] = False
            if short:
                assert discrepancy is not None
                discrepancy.adjustment.entry.corrects = count.entry
                discrepancy.count = count
    return ordered


def _count(
    clinic: Clinic,
    people: _Staff,
    lot: _Lot,
    at: dt.datetime,
    expected: Decimal,
    short: bool,
    recount: _Lot | None,
    rng: random.Random,
) -> _Move:
    """A blind physical count, as ``services.record_count`` records it."""
    counted = expected - DISCREPANCY_ML if short else expected
    row = rows.count(
        lot.row,
        counted=counted,
        expected=expected,
        note="recount after the adjustment" if recount is not None else "",
        witnessed=people.witness(rng),
        entered=rows.Entered(people.nurse, at, at + dt.timedelta(minutes=2)),
    )
    return _Move(at, lot, row)


def _write(
    writer: BulkWriter,
    people: _Staff,
    products: list[Product],
    lots: list[_Lot],
    moves: list[_Move],
    now: dt.datetime,
    discrepancy: _Discrepancy | None,
) -> None:
    writer.create(
        products,
        actor=lambda _: people.director,
        summary=rows.product_added,
        patient=lambda _: None,
    )
    writer.create(
        [lot.row for lot in lots],
        actor=lambda lot: lot.received_by,
        summary=rows.lot_received,
        patient=lambda _: None,
    )
    summaries: dict[int, str] = {}
    for move in moves:
        move.entry.recorded_at = min(move.entry.recorded_at, now)
        summaries[id(move.entry)] = move.row.summary
    entries = [m.entry for m in moves]
    # An adjustment points at the count it follows, so that count is written first.
    split = len(entries)
    if discrepancy is not None and discrepancy.count is not None:
        split = entries.index(discrepancy.count.entry) + 1
    for batch in (entries[:split], entries[split:]):
        writer.create(
            batch,
            actor=lambda e: e.recorded_by,
            summary=lambda e: summaries[id(e)],
            patient=lambda e: e.patient_id,
        )
