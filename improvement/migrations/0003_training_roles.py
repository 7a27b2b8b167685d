from django.db import migrations

from improvement.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [
        ("improvement", "0002_measure_roles"),
        ("training", "0001_initial"),
    ]
    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
