from django.db import migrations

from improvement.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [
        ("improvement", "0003_training_roles"),
        ("partners", "0001_initial"),
    ]
    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
