"""Charting's entries point at ``scheduling.TreatmentSession``; chairside's own model state of the session goes (state only)."""

from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):
    dependencies = [
        ("chairside", "0003_session_table_to_scheduling"),
        ("scheduling", "0001_initial"),
        ("assessments", "0004_session_in_scheduling"),
        ("controlled", "0003_session_in_scheduling"),
        ("rems", "0002_session_in_scheduling"),
        ("treatment", "0006_addendum_session_in_scheduling"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
        migrations.AlterField(
            model_name="checklistentry",
            name="session",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="checklist", to="scheduling.treatmentsession"),
        ),
        migrations.AlterField(
            model_name="doseorder",
            name="session",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="orders", to="scheduling.treatmentsession"),
        ),
        migrations.AlterField(
            model_name="doseverification",
            name="session",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="verifications", to="scheduling.treatmentsession"),
        ),
        migrations.AlterField(
            model_name="administrationevent",
            name="session",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="administration", to="scheduling.treatmentsession"),
        ),
        migrations.AlterField(
            model_name="vitalsignentry",
            name="session",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="vitals", to="scheduling.treatmentsession"),
        ),
        migrations.AlterField(
            model_name="sessionalert",
            name="session",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="alerts", to="scheduling.treatmentsession"),
        ),
        migrations.AlterField(
            model_name="adverseevent",
            name="session",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="adverse_events", to="scheduling.treatmentsession"),
        ),
        migrations.AlterField(
            model_name="nursingnote",
            name="session",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="notes", to="scheduling.treatmentsession"),
        ),
        migrations.DeleteModel(name="treatmentsession"),
            ]
        ),
    ]
