from django.db import migrations


class Migration(migrations.Migration):
    """The tables taken over from improvement get this app's names."""

    dependencies = [
        ('board', "0001_initial"),
    ]

    operations = [
        migrations.AlterModelTable(name='boardreport', table=None),
        migrations.AlterModelTable(name='annualcommitment', table=None),
        migrations.AlterModelTable(name='historicalannualcommitment', table=None),
        migrations.AlterModelTable(name='historicalboardreport', table=None),
        migrations.AlterModelTable(name='riskappetite', table=None),
        migrations.AlterModelTable(name='historicalriskappetite', table=None),
    ]
