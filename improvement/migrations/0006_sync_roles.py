from django.db import migrations

from improvement.roles import sync_roles


class Migration(migrations.Migration):
    """Grant the roles the permissions of the programme, dashboard and board report models."""

    dependencies = [
        ("improvement", "0005_board_report"),
        ("goals", "0004_dashboard_fields"),
    ]
    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
