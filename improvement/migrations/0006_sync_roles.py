from django.db import migrations


class Migration(migrations.Migration):
    # The roles are synced after every migrate (improvement.core.roles.sync_roles_after_migrate), with the
    # release's own code; this migration once ran that code here.
    """Grant the roles the permissions of the programme, dashboard and board report models."""

    dependencies = [
        ("improvement", "0005_board_report"),
        ("goals", "0004_dashboard_fields"),
    ]
    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
