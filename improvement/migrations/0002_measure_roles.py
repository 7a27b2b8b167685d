from django.db import migrations

from improvement.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [
        ("improvement", "0001_roles"),
        ("goals", "0002_measures"),
    ]
    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
