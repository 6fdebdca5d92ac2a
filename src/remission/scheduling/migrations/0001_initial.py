"""Booking's models, taken over from ``treatment`` and ``chairside`` with their tables (renamed
by ``treatment.0005`` and ``chairside.0003``): state only, no data moves."""

import datetime
import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

SESSION_KINDS = [
    ("dosing", "Dosing session"),
    ("preparation", "Preparation (therapy)"),
    ("integration", "Integration (therapy)"),
]
SESSION_STATUSES = [
    ("scheduled", "Scheduled"),
    ("checked_in", "Checked in"),
    ("pre_dose", "Pre-dose"),
    ("dosing", "Dosing"),
    ("observing", "Observing"),
    ("ready", "Ready for discharge"),
    ("discharged", "Discharged"),
    ("cancelled", "Cancelled"),
    ("no_show", "No-show"),
]


def _id() -> models.BigAutoField:
    return models.BigAutoField(
        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0001_initial"),
        ("clinics", "0001_initial"),
        ("patients", "0001_initial"),
        ("treatment", "0005_booking_tables_to_scheduling"),
        ("chairside", "0003_session_table_to_scheduling"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    state_operations = [
        migrations.CreateModel(
            name="Chair",
            fields=[
                ("id", _id()),
                ("name", models.CharField(max_length=40)),
                ("position", models.PositiveSmallIntegerField(default=1)),
                ("is_active", models.BooleanField(default=True)),
                (
                    "clinic",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="chairs",
                        to="clinics.clinic",
                    ),
                ),
            ],
            options={
                "ordering": ["position"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("clinic", "position"), name="chair_position_per_clinic"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="ClinicCalendarSettings",
            fields=[
                ("id", _id()),
                ("open_weekdays", models.CharField(default="mon,tue,wed,thu,fri", max_length=30)),
                ("opens", models.TimeField(default=datetime.time(8, 0))),
                ("closes", models.TimeField(default=datetime.time(18, 0))),
                ("holidays", models.JSONField(blank=True, default=list, help_text="ISO dates.")),
                (
                    "clinic",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="calendar",
                        to="clinics.clinic",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="StaffShift",
            fields=[
                ("id", _id()),
                ("on", models.DateField()),
                ("starts", models.TimeField()),
                ("ends", models.TimeField()),
                (
                    "clinic",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="staff_shifts",
                        to="clinics.clinic",
                    ),
                ),
                (
                    "member",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="shifts",
                        to="accounts.membership",
                    ),
                ),
            ],
            options={
                "ordering": ["on", "starts", "member_id"],
                "indexes": [models.Index(fields=["clinic", "on"], name="shift_clinic_day")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("ends__gt", models.F("starts"))),
                        name="shift_ends_after_start",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="TreatmentSession",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("kind", models.CharField(choices=SESSION_KINDS, max_length=12)),
                ("sequence", models.PositiveSmallIntegerField(default=1)),
                ("dose_number", models.PositiveSmallIntegerField(blank=True, null=True)),
                ("scheduled_start", models.DateTimeField(db_index=True)),
                ("duration_min", models.PositiveSmallIntegerField()),
                (
                    "status",
                    models.CharField(choices=SESSION_STATUSES, default="scheduled", max_length=12),
                ),
                ("status_reason", models.CharField(blank=True, max_length=200)),
                ("checked_in_at", models.DateTimeField(blank=True, null=True)),
                ("discharged_at", models.DateTimeField(blank=True, null=True)),
                ("signed_off_at", models.DateTimeField(blank=True, null=True)),
                ("discharge_summary", models.JSONField(blank=True, null=True)),
                ("version", models.PositiveIntegerField(default=1)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "chair",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="scheduling.chair",
                    ),
                ),
                (
                    "clinic",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="clinics.clinic",
                    ),
                ),
                (
                    "course",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sessions",
                        to="treatment.treatmentcourse",
                    ),
                ),
                (
                    "patient",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sessions",
                        to="patients.patient",
                    ),
                ),
                (
                    "signed_off_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["scheduled_start"],
                "indexes": [
                    models.Index(
                        fields=["clinic", "scheduled_start"],
                        name="chairside_t_clinic__f67146_idx",
                    )
                ],
            },
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
