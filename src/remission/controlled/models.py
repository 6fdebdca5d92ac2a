"""The controlled-substance log: products, stock lots and an append-only ledger per lot.

Persistence only; the rules (who, how much, which witness) live in ``services``. The ledger is
append-only: rows are written once by a service and never changed or deleted; a mistake is
corrected by a new ``adjustment`` entry with a witness and a reason. Each entry keeps the lot's
balance after it (``balance_after``), computed while the lot row is locked, so the running
balance can be re-derived from the quantities and checked against the stored snapshot.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q


class Drug(models.TextChoices):
    KETAMINE = "ketamine", "Ketamine (racemic), C-III"
    ESKETAMINE = "esketamine", "Esketamine (SPRAVATO), C-III"


class DosageForm(models.TextChoices):
    VIAL = "vial", "Vial (injectable solution)"
    NASAL_DEVICE = "nasal_device", "Nasal spray device"


class StockUnit(models.TextChoices):
    ML = "mL", "mL"
    DEVICE = "device", "device"


UNIT_OF_FORM: dict[str, StockUnit] = {
    DosageForm.VIAL: StockUnit.ML,
    DosageForm.NASAL_DEVICE: StockUnit.DEVICE,
}


class Product(models.Model):
    """A stocked presentation, e.g. "Ketamine HCl 50 mg/mL, 10 mL vial"."""

    clinic = models.ForeignKey(
        "clinics.Clinic", on_delete=models.PROTECT, related_name="controlled_products"
    )
    name = models.CharField(max_length=120)
    drug = models.CharField(max_length=12, choices=Drug.choices)
    form = models.CharField(max_length=14, choices=DosageForm.choices)
    strength = models.CharField(
        "strength as labelled", max_length=60, help_text="e.g. 500 mg/10 mL, or 28 mg/device."
    )
    mg_per_unit = models.DecimalField(
        "mg per unit",
        max_digits=9,
        decimal_places=3,
        help_text="Concentration in mg/mL for a vial; mg per device for a nasal device.",
    )
    unit = models.CharField(max_length=8, choices=StockUnit.choices, editable=False)
    ndc = models.CharField("NDC", max_length=20, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["drug", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "name"], name="controlled_product_name_unique_per_clinic"
            ),
            models.CheckConstraint(
                condition=Q(mg_per_unit__gt=0), name="controlled_product_mg_per_unit_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.strength})"

    @property
    def concentration_mg_per_ml(self) -> Decimal | None:
        return self.mg_per_unit if self.unit == StockUnit.ML else None


class StockLot(models.Model):
    """One manufacturer lot of a product, as first received."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="lots")
    lot_number = models.CharField(max_length=40)
    expiry_date = models.DateField()
    received_quantity = models.DecimalField(
        "quantity first received (units)", max_digits=12, decimal_places=3
    )
    supplier = models.CharField(max_length=200)
    reference = models.CharField(
        "invoice / DEA Form 222 / CSOS reference",
        max_length=80,
        help_text="The document the receipt is filed with.",
    )
    received_at = models.DateTimeField()
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["expiry_date", "lot_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "product", "lot_number"],
                name="controlled_lot_unique_per_clinic_and_product",
            )
        ]

    def __str__(self) -> str:
        return f"{self.product.name} lot {self.lot_number} (exp. {self.expiry_date:%Y-%m-%d})"

    @property
    def product_name(self) -> str:
        return self.product.name


class EntryKind(models.TextChoices):
    RECEIPT = "receipt", "Receipt"
    DISPENSE = "dispense", "Dispensed"
    WASTE = "waste", "Waste"
    RETURN = "return", "Returned to supplier / reverse distributor"
    ADJUSTMENT = "adjustment", "Adjustment"
    COUNT = "count", "Physical count"


class WitnessVerification(models.TextChoices):
    NONE = "", "No witness"
    PASSWORD = "password", "Witness entered their password"
    ATTESTED = "attested", "Recorder attests the witness was present"


class AppendOnlyError(Exception):
    """A ledger entry was about to be changed or deleted."""


class LedgerQuerySet(models.QuerySet["LedgerEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Ledger entries are never changed; record an adjustment instead.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Ledger entries are never deleted; record an adjustment instead.")


class LedgerEntry(models.Model):
    """One line of a lot's controlled-substance record. Written once, never changed.

    ``quantity`` is in the product's unit and signed: receipts add, dispensing, waste from
    stock and returns subtract, an adjustment may do either, a physical count changes nothing
    (it keeps what was counted and what the ledger expected, so a discrepancy stays on record).

    A waste entry has one of two shapes (the database refuses any other):

    - **waste from stock** — drug wasted straight off the shelf (a vial broken, contaminated or
      out of date): ``quantity`` < 0 lowers the balance, ``dispensed_wasted`` is empty; it may
      name a session.
    - **waste of a dispensed dose** — the part of what a dispense already took out of stock for
      a session that was not given (the rest of the syringe, the rest of a stopped infusion's
      bag, a dose drawn for a patient then stood down): it names the session, ``quantity`` and
      ``quantity_mg`` are 0 (the drug left stock with the dispense, so the balance stays), and
      the amount is in ``dispensed_wasted`` / ``dispensed_wasted_mg`` (> 0).
    """

    id = models.BigAutoField(primary_key=True)
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    lot = models.ForeignKey(StockLot, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=12, choices=EntryKind.choices)
    quantity = models.DecimalField("quantity (units)", max_digits=12, decimal_places=3)
    quantity_mg = models.DecimalField("quantity (mg)", max_digits=14, decimal_places=3)
    balance_after = models.DecimalField(
        "lot balance after this entry (units)", max_digits=12, decimal_places=3
    )
    occurred_at = models.DateTimeField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    witness = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    witness_verification = models.CharField(
        max_length=10, choices=WitnessVerification.choices, blank=True, default=""
    )
    reason = models.TextField("reason / note", blank=True)
    reference = models.CharField(
        "document reference", max_length=80, blank=True, help_text="Invoice, DEA 222, DEA 41…"
    )
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    session = models.ForeignKey(
        "scheduling.TreatmentSession",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="controlled_entries",
    )
    administration = models.ForeignKey(
        "chairside.AdministrationEvent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="controlled_entries",
    )
    dispensed_wasted = models.DecimalField(
        "wasted of the dose dispensed (units)",
        max_digits=12,
        decimal_places=3,
        null=True,
        blank=True,
        help_text="Waste of a dispensed dose only: the units wasted of what a dispense for the "
        "session already took out of stock (the balance does not change).",
    )
    dispensed_wasted_mg = models.DecimalField(
        "wasted of the dose dispensed (mg)", max_digits=14, decimal_places=3, null=True, blank=True
    )
    counted_quantity = models.DecimalField(
        "counted (units)", max_digits=12, decimal_places=3, null=True, blank=True
    )
    expected_quantity = models.DecimalField(
        "expected by the ledger (units)", max_digits=12, decimal_places=3, null=True, blank=True
    )
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        help_text="The entry an adjustment corrects, if any.",
    )

    objects = LedgerQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "ledger entries"
        indexes = [
            models.Index(fields=["clinic", "occurred_at"]),
            models.Index(fields=["lot", "id"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="controlled_entry_sign_follows_kind",
                condition=(
                    Q(kind="receipt", quantity__gt=0)
                    | Q(kind__in=["dispense", "return"], quantity__lt=0)
                    | Q(kind="waste", quantity__lte=0)
                    | Q(kind="adjustment", quantity__lt=0)
                    | Q(kind="adjustment", quantity__gt=0)
                    | Q(kind="count", quantity=0, counted_quantity__isnull=False)
                ),
            ),
            models.CheckConstraint(
                # Waste from stock lowers the balance; waste of a dispensed dose names its
                # session, moves no stock and carries its amount; nothing else has that amount.
                name="controlled_waste_from_stock_or_of_a_dispensed_dose",
                condition=(
                    Q(
                        ~Q(kind="waste") | Q(quantity__lt=0),
                        dispensed_wasted__isnull=True,
                        dispensed_wasted_mg__isnull=True,
                    )
                    | Q(
                        kind="waste",
                        quantity=0,
                        quantity_mg=0,
                        session__isnull=False,
                        # NOT NULL spelt out: in SQL a comparison with NULL is unknown, and a
                        # CHECK that is unknown passes.
                        dispensed_wasted__isnull=False,
                        dispensed_wasted__gt=0,
                        dispensed_wasted_mg__isnull=False,
                        dispensed_wasted_mg__gt=0,
                    )
                ),
            ),
            models.CheckConstraint(
                name="controlled_entry_balance_never_negative", condition=Q(balance_after__gte=0)
            ),
            models.CheckConstraint(
                name="controlled_waste_and_adjustment_need_a_witness",
                condition=~Q(kind__in=["waste", "adjustment"]) | Q(witness__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.quantity} {self.lot.product.unit} ({self.lot})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Ledger entries are never changed; record an adjustment instead.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Ledger entries are never deleted; record an adjustment instead.")

    @property
    def of_dispensed_dose(self) -> bool:
        """A waste of drug a dispense already took out of stock (it moves no stock itself)."""
        return self.kind == EntryKind.WASTE and self.dispensed_wasted is not None

    @property
    def kind_label(self) -> str:
        """The kind as a ledger shows it, telling the two kinds of waste apart."""
        if self.kind == EntryKind.WASTE:
            return "Waste of a dispensed dose" if self.of_dispensed_dose else "Waste from stock"
        return str(self.get_kind_display())

    @property
    def discrepancy(self) -> Decimal | None:
        """Counted minus expected, for a physical count (0 means the count agreed)."""
        if self.counted_quantity is None or self.expected_quantity is None:
            return None
        return self.counted_quantity - self.expected_quantity
