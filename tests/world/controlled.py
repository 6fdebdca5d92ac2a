"""Products and received lots through ``remission.controlled.services``; a dosing session with
an order and an administration line to dispense against."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from remission.accounts.models import Membership
from remission.chairside.models import AdministrationEvent, DoseOrder
from remission.controlled import services
from remission.controlled.models import Product, StockLot
from remission.patients.models import Patient
from remission.scheduling.models import SessionStatus, TreatmentSession

DAY = dt.timedelta(days=1)


def clinic_today(membership: Membership) -> dt.date:
    return timezone.localdate(timezone=membership.clinic.tzinfo)


def ketamine_vials(membership: Membership, name: str = "Ketamine HCl 50 mg/mL") -> Product:
    return services.add_product(
        membership=membership,
        name=name,
        drug="ketamine",
        form="vial",
        strength="500 mg/10 mL",
        mg_per_unit=Decimal("50"),
        ndc="0143-9508-10",
    )


def spravato(membership: Membership) -> Product:
    return services.add_product(
        membership=membership,
        name="SPRAVATO 28 mg device",
        drug="esketamine",
        form="nasal_device",
        strength="28 mg/device",
        mg_per_unit=Decimal("28"),
    )


def receive(
    membership: Membership,
    product: Product,
    *,
    lot: str = "K-001",
    quantity: str = "100",
    expiry: dt.date | None = None,
    received_at: dt.datetime | None = None,
) -> StockLot:
    entry = services.receive_stock(
        membership=membership,
        product=product,
        lot_number=lot,
        expiry_date=expiry or clinic_today(membership) + 365 * DAY,
        quantity=Decimal(quantity),
        supplier="Example Wholesale",
        reference="INV-1001",
        received_at=received_at,
    )
    return entry.lot


def dosing_session(
    patient: Patient,
    *,
    start: dt.datetime | None = None,
    status: str = SessionStatus.DOSING,
) -> TreatmentSession:
    # Written directly: booking (scheduling.services.schedule_course) needs an eligible patient
    # and a course, and check-in would not reach ``status``; these tests need only the row.
    return TreatmentSession.objects.create(
        clinic=patient.clinic,
        patient=patient,
        kind="dosing",
        scheduled_start=start or timezone.now(),
        duration_min=120,
        status=status,
    )


def ordered_and_started(
    session: TreatmentSession,
    membership: Membership,
    *,
    route: str = "iv_racemic",
    lot_number: str = "",
    dose_mg: str = "41.0",
) -> AdministrationEvent:
    # Written directly: chairside.services.order_dose and record_administration need a full
    # pre-dose checklist and a verified order; here only the order and its line matter.
    drug = "ketamine hydrochloride (racemic)"
    if route.startswith("esketamine"):
        drug = "esketamine nasal spray (28 mg per device)"
    order = DoseOrder.objects.create(
        session=session,
        recorded_by=membership.user,
        drug=drug,
        route=route,
        dose_mg=Decimal(dose_mg),
    )
    return AdministrationEvent.objects.create(
        session=session,
        recorded_by=membership.user,
        order=order,
        action="start",
        at=timezone.now(),
        lot_number=lot_number,
    )
