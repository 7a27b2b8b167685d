from django.db import migrations


class Migration(migrations.Migration):
    # The roles are synced after every migrate (improvement.core.roles.sync_roles_after_migrate), with the
    # release's own code; this migration once ran that code here.
    dependencies = [
        ("improvement", "0002_measure_roles"),
        ("training", "0001_initial"),
    ]
    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
