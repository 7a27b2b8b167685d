from django.db import migrations


class Migration(migrations.Migration):
    # The roles are synced after every migrate (improvement.core.roles.sync_roles_after_migrate), with the
    # release's own code; this migration once ran that code here.
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("goals", "0001_initial"),
    ]
    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
