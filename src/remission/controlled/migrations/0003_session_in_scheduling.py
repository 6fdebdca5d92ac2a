"""Point at the session's new home, ``scheduling.TreatmentSession`` (state only: the table was renamed)."""

from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):
    dependencies = [
        ("controlled", "0002_waste_of_a_dispensed_dose"),
        ("scheduling", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
        migrations.AlterField(
            model_name="ledgerentry",
            name="session",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="controlled_entries", to="scheduling.treatmentsession"),
        ),
            ]
        ),
    ]
