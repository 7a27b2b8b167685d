"""GIN indexes for the search (goals/search.py) on PostgreSQL: one per kind, on the very expression it searches.
Nothing on other databases (SQLite searches by a plain word match)."""

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

from goals.search import search_vector

# (model, title field, other text fields): as goals.search.KINDS
SEARCHED = [
    ("EvidenceItem", "title", ("summary",)),
    ("ProgressUpdate", "narrative", ("next_steps",)),
    ("Goal", "title", ("intent",)),
    ("Ambition", "text", ()),
    ("Measure", "name", ("description", "unit")),
    ("Collaborative", "name", ("aim", "rationale")),
    ("Event", "title", ()),
]


def _indexes(apps):
    for model, title, text in SEARCHED:
        yield apps.get_model("goals", model), GinIndex(search_vector(title, text), name=f"goals_{model.lower()}_search"[:30])


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for model, index in _indexes(apps):
            schema_editor.add_index(model, index)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for model, index in _indexes(apps):
            schema_editor.remove_index(model, index)


class Migration(migrations.Migration):
    dependencies = [("goals", "0010_measure_frequency_decimals")]
    operations = [migrations.RunPython(create, drop)]
