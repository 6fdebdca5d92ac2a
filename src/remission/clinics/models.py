"""Clinics: the tenant every patient record belongs to."""

from __future__ import annotations

import uuid
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a known IANA time zone (e.g. America/New_York).")


class Clinic(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    slug = models.SlugField(max_length=40, unique=True, help_text="Short name used in addresses.")
    name = models.CharField(max_length=200)
    address_line1 = models.CharField("address", max_length=200, blank=True)
    address_line2 = models.CharField("address (line 2)", max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    region = models.CharField("state / region", max_length=100, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, default="US", help_text="ISO 3166 country code.")
    phone = models.CharField(max_length=40, blank=True)
    time_zone = models.CharField(
        max_length=64, default="America/New_York", validators=[validate_time_zone]
    )
    rems_certification_number = models.CharField(
        "SPRAVATO REMS setting certification number", max_length=40, blank=True
    )
    require_two_factor = models.BooleanField(
        default=True, help_text="Staff must sign in with a one-time code from an authenticator app."
    )
    idle_timeout_minutes = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Sign staff out after this many idle minutes (blank: the server default).",
    )
    clinical_overrides = models.JSONField(
        default=dict,
        blank=True,
        help_text="This clinic's values for configurable clinical defaults (registry keys).",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def address(self) -> str:
        parts = [self.address_line1, self.address_line2, self.city, self.region, self.postal_code]
        return ", ".join(p for p in parts if p)
