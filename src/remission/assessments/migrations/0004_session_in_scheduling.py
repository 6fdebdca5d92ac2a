"""Point at the session's new home, ``scheduling.TreatmentSession`` (state only: the table was renamed)."""

from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0003_patient_administered_at_index"),
        ("scheduling", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
        migrations.AlterField(
            model_name="scaleadministration",
            name="session",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="scales", to="scheduling.treatmentsession"),
        ),
            ]
        ),
    ]
