from django.db import migrations


class Migration(migrations.Migration):
    """The tables taken over from improvement get this app's names."""

    dependencies = [
        ('core', "0001_initial"),
    ]

    operations = [
        migrations.AlterModelTable(name='datastamp', table=None),
    ]
