"""Chairs, calendar settings and shifts now live in ``scheduling`` (state only)."""

from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):
    dependencies = [
        ("treatment", "0006_addendum_session_in_scheduling"),
        ("chairside", "0004_session_in_scheduling"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="chair"),
                migrations.DeleteModel(name="cliniccalendarsettings"),
                migrations.DeleteModel(name="staffshift"),
            ]
        ),
    ]
