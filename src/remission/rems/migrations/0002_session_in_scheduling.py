"""Point at the session's new home, ``scheduling.TreatmentSession`` (state only: the table was renamed)."""

from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):
    dependencies = [
        ("rems", "0001_initial"),
        ("scheduling", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
        migrations.AlterField(
            model_name="monitoringformsubmission",
            name="session",
            field=models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name="rems_submission", to="scheduling.treatmentsession"),
        ),
            ]
        ),
    ]
