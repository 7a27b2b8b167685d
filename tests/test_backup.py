"""Backups restore: the demo goes out through dumpdata and back through loaddata with every count intact."""


import pytest

from django.apps import apps
from django.core.management import call_command
from .helpers import seed_demo

APPS = ["auth", "goals", "training", "partners", "improvement"]


def counts():
    return {m._meta.label: m.objects.count() for name in APPS for m in apps.get_app_config(name).get_models()}


# Transactional: flush truncates the tables, which PostgreSQL refuses inside the test's own transaction.
@pytest.mark.django_db(transaction=True)
def test_the_demo_round_trips_through_dumpdata_and_loaddata(make_user, tmp_path):
    seed_demo()
    before = counts()
    backup = tmp_path / "backup.json"
    call_command("dumpdata", *APPS, "--natural-foreign", "--natural-primary", "--exclude=auth.permission",
                 "-o", str(backup), verbosity=0)
    call_command("flush", "--no-input", verbosity=0)  # an empty database, as on a new server after migrate
    assert counts()["goals.EvidenceItem"] == 0
    call_command("loaddata", str(backup), verbosity=0)
    assert counts() == before
    assert before["goals.EvidenceItem"] > 0 and before["training.Completion"] > 1000
