"""Chairs, calendar settings and staff shifts move to the scheduling app: their tables are
renamed here, and ``scheduling.0001_initial`` takes over their model state."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("treatment", "0004_course_reevaluation")]

    operations = [
        migrations.AlterModelTable(name="chair", table="scheduling_chair"),
        migrations.AlterModelTable(
            name="cliniccalendarsettings", table="scheduling_cliniccalendarsettings"
        ),
        migrations.AlterModelTable(name="staffshift", table="scheduling_staffshift"),
    ]
