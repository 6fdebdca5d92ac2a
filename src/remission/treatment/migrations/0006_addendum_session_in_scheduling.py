"""Point at the session's new home, ``scheduling.TreatmentSession`` (state only: the table was renamed)."""

from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):
    dependencies = [
        ("treatment", "0005_booking_tables_to_scheduling"),
        ("scheduling", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
        migrations.AlterField(
            model_name="addendum",
            name="session",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="addenda", to="scheduling.treatmentsession"),
        ),
            ]
        ),
    ]
