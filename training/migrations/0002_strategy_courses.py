from django.db import migrations


class Migration(migrations.Migration):
    """Once created the Leeds Improvement Method's six courses; now nothing. A trust's courses come from its strategy
    file (load_strategy's `courses:`) and the demo's from seed_demo, never from code. An installation that ran the old
    version keeps its courses (they may have completions): nothing is deleted here."""

    dependencies = [("training", "0001_initial")]
    operations = []
