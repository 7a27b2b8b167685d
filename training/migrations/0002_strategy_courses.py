from django.db import migrations

from training.courses import seed_courses


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial")]
    operations = [migrations.RunPython(seed_courses, migrations.RunPython.noop)]
