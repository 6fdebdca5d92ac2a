"""Forms of the controlled-substance log: they validate input and show errors inline; the
rules (balance, expiry, witness) are the services'. Choices come from the selectors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from remission.accounts.models import User
from remission.chairside.models import AdministrationEvent
from remission.controlled import display
from remission.controlled.models import DosageForm, Drug, Product, StockLot
from remission.forms import DateInput, DateTimeInput
from remission.scheduling.models import TreatmentSession

_QUANTITY = {"max_digits": 12, "decimal_places": 3}


def _number(min_value: str | None = "0.001") -> dict[str, Any]:
    attrs = {"inputmode": "decimal", "step": "0.001"}
    if min_value is not None:
        attrs["min"] = min_value
    return {"widget": forms.NumberInput(attrs=attrs), **_QUANTITY}


class LotChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        lot: StockLot = obj
        on_hand = getattr(lot, "on_hand", None)
        stock = ""
        if on_hand is not None:
            stock = f" · {display.quantity_text(on_hand, lot.product.unit)} on hand"
        return f"{lot.product.name} · lot {lot.lot_number} · exp. {lot.expiry_date:%Y-%m-%d}{stock}"


class WitnessChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        user: User = obj
        return f"{user} ({user.username})"


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        session: TreatmentSession = obj
        start = timezone.localtime(session.scheduled_start)
        return (
            f"{start:%H:%M} · {session.patient} · {session.get_kind_display()}"
            f" · {session.get_status_display()}"
        )


class AdministrationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        event: AdministrationEvent = obj
        dose = f" · {display.plain_number(event.dose_mg)} mg" if event.dose_mg is not None else ""
        order = f" · ordered {display.plain_number(event.order.dose_mg)} mg"
        lot = f" · lot {event.lot_number}" if event.lot_number else ""
        return (
            f"{timezone.localtime(event.at):%H:%M} · {event.session.patient} · "
            f"{event.get_action_display()}{dose}{order}{lot}"
        )


class ProductForm(forms.Form):
    name = forms.CharField(max_length=120, help_text="e.g. Ketamine HCl 50 mg/mL, 10 mL vial.")
    drug = forms.ChoiceField(choices=Drug.choices)
    form = forms.ChoiceField(label="Dosage form", choices=DosageForm.choices)
    strength = forms.CharField(
        label="Strength as labelled", max_length=60, help_text="e.g. 500 mg/10 mL or 28 mg/device."
    )
    mg_per_unit = forms.DecimalField(
        label="mg per unit",
        help_text="mg per mL for a vial (e.g. 50); mg per device for a nasal device (28).",
        max_digits=9,
        decimal_places=3,
        min_value=Decimal("0.001"),
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.001"}),
    )
    ndc = forms.CharField(label="NDC", max_length=20, required=False)


class ReceiveForm(forms.Form):
    product = forms.ModelChoiceField(queryset=Product.objects.none())
    lot_number = forms.CharField(max_length=40, label="Lot number")
    expiry_date = forms.DateField(label="Expiry date", widget=DateInput())
    quantity = forms.DecimalField(
        label="Quantity received (units)",
        help_text="In the product's unit: mL for vials, devices for nasal devices.",
        **_number(),
    )
    supplier = forms.CharField(max_length=200)
    reference = forms.CharField(
        label="Invoice / DEA 222 / CSOS reference",
        max_length=80,
        help_text="The document this receipt is filed with.",
    )
    received_at = forms.DateTimeField(
        label="Received at", required=False, widget=DateTimeInput(), help_text="Blank: now."
    )
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, products: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products  # type: ignore[attr-defined]


class WitnessFields(forms.Form):
    """A witness from the clinic's staff who either types their password or is attested."""

    witness_required = True

    witness = WitnessChoiceField(queryset=User.objects.none(), required=False)
    witness_password = forms.CharField(
        label="Witness password",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text="The witness types their own password on this device.",
    )
    witness_confirmed = forms.BooleanField(
        label="The witness watched and confirms this entry (without a password)", required=False
    )

    def __init__(self, *args: Any, witnesses: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["witness"].queryset = witnesses  # type: ignore[attr-defined]
        self.fields["witness"].required = self.witness_required

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        confirmed = data.get("witness_password") or data.get("witness_confirmed")
        if data.get("witness") and not confirmed:
            self.add_error(
                "witness_password",
                "The witness enters their password, or tick that they confirm.",
            )
        return data

    def witnessed_by(self) -> dict[str, Any]:
        """The witness and their password (None: attested), as the services take them."""
        return {
            "witness": self.cleaned_data.get("witness"),
            "witness_password": self.cleaned_data.get("witness_password") or None,
        }


class DispenseForm(forms.Form):
    session = SessionChoiceField(queryset=TreatmentSession.objects.none(), label="Session today")
    administration = AdministrationChoiceField(
        queryset=AdministrationEvent.objects.none(),
        required=False,
        label="Administration record",
        help_text="The charted dose this stock was used for, if already charted.",
    )
    lot = LotChoiceField(queryset=StockLot.objects.none())
    quantity = forms.DecimalField(
        label="Quantity dispensed (units)", help_text="mL drawn up, or devices.", **_number()
    )
    note = forms.CharField(required=False, max_length=500)

    def __init__(
        self,
        *args: Any,
        sessions: list[TreatmentSession],
        administrations: list[AdministrationEvent],
        lots: QuerySet[StockLot],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        session_field: Any = self.fields["session"]
        session_field.queryset = TreatmentSession.objects.filter(
            pk__in=[s.pk for s in sessions]
        ).select_related("patient")
        admin_field: Any = self.fields["administration"]
        admin_field.queryset = AdministrationEvent.objects.filter(
            pk__in=[a.pk for a in administrations]
        ).select_related("session__patient", "order")
        lot_field: Any = self.fields["lot"]
        lot_field.queryset = lots


WASTE_OF_DISPENSED = "dispensed"
WASTE_FROM_STOCK = "stock"


class WasteForm(WitnessFields):
    """Witnessed waste. With a session chosen, the nurse says which kind it is: the rest of a
    dose dispensed for the session (stock unchanged) or stock wasted from the shelf; without a
    session it can only be waste from stock."""

    lot = LotChoiceField(queryset=StockLot.objects.none())
    session = SessionChoiceField(
        queryset=TreatmentSession.objects.none(),
        required=False,
        label="Session (if any)",
        help_text="The session the dose was dispensed for, when wasting the rest of a dose.",
    )
    waste_of = forms.ChoiceField(
        label="What was wasted",
        required=False,
        widget=forms.RadioSelect,
        choices=[
            (
                WASTE_OF_DISPENSED,
                "The rest of a dose dispensed for this session (what was drawn up or left in "
                "the bag and not given): it already left stock with the dispense, so the "
                "balance stays",
            ),
            (
                WASTE_FROM_STOCK,
                "Stock wasted from the shelf (a vial broken, contaminated or out of date): "
                "it lowers the balance",
            ),
        ],
        help_text="Asked when a session is chosen; without a session the waste is from stock.",
    )
    quantity = forms.DecimalField(label="Quantity wasted (units)", **_number())
    reason = forms.CharField(
        label="What was wasted and how",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="e.g. remainder of vial after 41 mg dose, into drug-disposal container.",
    )

    field_order = [
        "lot",
        "session",
        "waste_of",
        "quantity",
        "reason",
        "witness",
        "witness_password",
    ]

    def __init__(
        self,
        *args: Any,
        lots: QuerySet[StockLot],
        sessions: list[TreatmentSession],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        lot_field: Any = self.fields["lot"]
        lot_field.queryset = lots
        session_field: Any = self.fields["session"]
        session_field.queryset = TreatmentSession.objects.filter(
            pk__in=[s.pk for s in sessions]
        ).select_related("patient")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        waste_of = data.get("waste_of")
        if data.get("session") and not waste_of:
            self.add_error(
                "waste_of",
                "Say whether this is the rest of a dose dispensed for the session or stock "
                "wasted from the shelf.",
            )
        session_left_out = not data.get("session") and "session" not in self.errors
        if waste_of == WASTE_OF_DISPENSED and session_left_out:
            self.add_error("session", "Choose the session the dose was dispensed for.")
        return data

    def of_dispensed(self) -> bool:
        """Waste of a dispensed dose (else waste from stock)."""
        return self.cleaned_data.get("waste_of") == WASTE_OF_DISPENSED


class ReturnForm(WitnessFields):
    witness_required = False

    lot = LotChoiceField(queryset=StockLot.objects.none())
    quantity = forms.DecimalField(label="Quantity returned (units)", **_number())
    reference = forms.CharField(
        label="Return / reverse-distributor reference",
        max_length=80,
        help_text="Return authorisation, DEA Form 222 issued by the receiver, or similar.",
    )
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    field_order = ["lot", "quantity", "reference", "reason", "witness", "witness_password"]

    def __init__(self, *args: Any, lots: QuerySet[StockLot], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lot_field: Any = self.fields["lot"]
        lot_field.queryset = lots


class BlindLotChoiceField(LotChoiceField):
    """A lot picker that does not show the balance (for blind counts)."""

    def label_from_instance(self, obj: Any) -> str:
        lot: StockLot = obj
        return f"{lot.product.name} · lot {lot.lot_number} · exp. {lot.expiry_date:%Y-%m-%d}"


class CountForm(WitnessFields):
    witness_required = False

    lot = BlindLotChoiceField(queryset=StockLot.objects.none())
    counted_quantity = forms.DecimalField(
        label="Counted (units)",
        help_text="What is physically there. The expected balance is not shown on purpose.",
        **_number(min_value="0"),
    )
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    field_order = ["lot", "counted_quantity", "note", "witness", "witness_password"]

    def __init__(self, *args: Any, lots: QuerySet[StockLot], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lot_field: Any = self.fields["lot"]
        lot_field.queryset = lots


class AdjustForm(WitnessFields):
    lot = LotChoiceField(queryset=StockLot.objects.none())
    quantity = forms.DecimalField(
        label="Change (units, + or −)",
        help_text="Negative to take stock off, positive to put it back on.",
        **_number(min_value=None),
    )
    corrects = forms.IntegerField(label="Corrects entry # (optional)", required=False, min_value=1)
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What went wrong, and what the investigation found.",
    )

    field_order = ["lot", "quantity", "corrects", "reason", "witness", "witness_password"]

    def __init__(self, *args: Any, lots: QuerySet[StockLot], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lot_field: Any = self.fields["lot"]
        lot_field.queryset = lots


class PeriodForm(forms.Form):
    first_day = forms.DateField(label="From", widget=DateInput())
    last_day = forms.DateField(label="To", widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first_day"), data.get("last_day")
        if first and last and last < first:
            self.add_error("last_day", "The period ends before it starts.")
        if first and last and (last - first) > dt.timedelta(days=3 * 366):
            self.add_error("last_day", "Choose a period of at most three years.")
        return data
