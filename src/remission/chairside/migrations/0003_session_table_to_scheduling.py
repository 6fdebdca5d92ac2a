"""The session row moves to the scheduling app: its table is renamed here, and
``scheduling.0001_initial`` takes over its model state."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("chairside", "0002_initial")]

    operations = [
        migrations.AlterModelTable(name="treatmentsession", table="scheduling_treatmentsession"),
    ]
