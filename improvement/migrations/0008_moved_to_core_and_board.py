from django.db import migrations


class Migration(migrations.Migration):
    """The board report and the data stamp moved to the apps improvement.board and improvement.core. Their tables
    stay where they are: this app forgets the models (state only), board and core take them over in their
    0001 and rename the tables in their 0002."""

    dependencies = [
        ("improvement", "0007_data_stamp"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.DeleteModel("HistoricalAnnualCommitment"),
            migrations.DeleteModel("HistoricalRiskAppetite"),
            migrations.DeleteModel("HistoricalBoardReport"),
            migrations.DeleteModel("AnnualCommitment"),
            migrations.DeleteModel("RiskAppetite"),
            migrations.DeleteModel("BoardReport"),
            migrations.DeleteModel("DataStamp"),
        ]),
    ]
