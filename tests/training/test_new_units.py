"""The training import's preview names each new unit and asks whether it is a clinical service unit."""

import datetime

import pytest
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from improvement.demo import training as demo
from training import rollup
from training.models import Completion, PendingUpload, Unit

from ..helpers import HTMX, text_of
from .factories import CompletionFactory, LearnerFactory, UnitFactory, course
from .helpers import training_csv

IMPORT = reverse("training:import_training")
GOOD = training_csv(
    "10000001,Amira Patel,Nursing,Women's Services,LIM facilitator training,2023-01-17,",
    "10000002,Ben Okafor,Administration,Corporate Services,Excellence In Administration,14/02/2023,",
)
NEW_UNITS = ["Corporate Services", "Women's Services"]


def upload(data=GOOD, name="records.csv"):
    return {"file": SimpleUploadedFile(name, data, content_type="text/csv")}


def answered(**answers):
    """The confirm as the preview posts it: the upload, the units it named, and an answer for each."""
    data = {"upload": PendingUpload.objects.get().pk, "new_unit": NEW_UNITS}
    for i, name in enumerate(NEW_UNITS):
        if name in answers:
            data[f"units-unit_{i}"] = answers[name]
    return data


@pytest.mark.parametrize("inline", [False, True], ids=["plain", "htmx"])
def test_the_preview_names_each_new_unit_and_presets_no_answer(qisg_client, inline):
    html = text_of(qisg_client.post(IMPORT, upload(), **(HTMX if inline else {})))
    assert "2 new units</h3>" in html
    assert "Is “Corporate Services” a clinical service unit?" in html
    assert "Is “Women&#x27;s Services” a clinical service unit?" in html
    assert html.count('type="radio" name="units-unit_') == 4 and " checked" not in html.split("new units</h3>")[1].split("Confirm and import")[0]
    assert "---------" not in html
    assert not Unit.objects.exists()


@pytest.mark.parametrize("inline", [False, True], ids=["plain", "htmx"])
def test_confirming_without_an_answer_for_each_unit_imports_nothing_and_asks_again(qisg_client, inline):
    qisg_client.post(IMPORT, upload())
    response = qisg_client.post(IMPORT, answered(**{"Women's Services": "yes"}), **(HTMX if inline else {}))
    html = text_of(response)
    assert response.status_code == 200
    assert 'id="id_units-unit_0-error"' in html and "Select whether “Corporate Services” is a clinical service unit" in html
    assert "Check what records.csv will do" in html and "Confirm and import" in html  # the preview again
    assert 'value="yes" class="nhsuk-radios__input" id="id_units-unit_1_0" required checked' in html  # the answer given is kept
    assert not Completion.objects.exists() and not Unit.objects.exists()
    assert PendingUpload.objects.exists()


def test_a_confirm_that_leaves_a_new_unit_out_is_refused_by_the_importer(qisg_client):
    qisg_client.post(IMPORT, upload())
    html = text_of(qisg_client.post(IMPORT, {"upload": PendingUpload.objects.get().pk}))
    assert "Say whether “Corporate Services” and “Women&#x27;s Services” are clinical service units" in html
    assert not Completion.objects.exists() and not Unit.objects.exists()


@pytest.mark.parametrize("inline", [False, True], ids=["plain", "htmx"])
def test_a_corporate_department_is_not_counted_in_facilitator_coverage(qisg_client, inline):
    qisg_client.post(IMPORT, upload())
    response = qisg_client.post(IMPORT, answered(**{"Corporate Services": "no", "Women's Services": "yes"}), **(HTMX if inline else {}))
    assert response.status_code == (200 if inline else 302)
    assert dict(Unit.objects.values_list("name", "is_clinical")) == {"Corporate Services": False, "Women's Services": True}
    coverage = rollup.facilitator_coverage_on(datetime.date(2023, 12, 31))
    assert (coverage.units, coverage.covered, coverage.percent) == (1, 1, 100.0)  # Amira's unit; not Ben's department
    assert [row.label for row in rollup.units(None, datetime.date(2023, 12, 31), datetime.date(2023, 12, 31))] == ["Women's Services"]


def test_a_re_import_asks_nothing_about_units_it_already_knows(qisg_client):
    UnitFactory(name="Corporate Services", is_clinical=False)
    UnitFactory(name="Women's Services")
    html = text_of(qisg_client.post(IMPORT, upload()))
    assert "new unit" not in html and "New units</dt>" in html
    qisg_client.post(IMPORT, {"upload": PendingUpload.objects.get().pk})
    assert Completion.objects.count() == 2
    assert Unit.objects.get(name="Corporate Services").is_clinical is False


@pytest.mark.parametrize("role", ["board", "partneradmin"])
def test_only_qisg_confirms_an_import(client, make_user, qisg_client, role):
    qisg_client.post(IMPORT, upload())
    data = answered(**{"Corporate Services": "no", "Women's Services": "yes"})
    client.force_login(make_user(role))
    assert client.post(IMPORT, data).status_code == 403
    assert not Unit.objects.exists() and not Completion.objects.exists()


def test_the_shipped_sample_leaves_facilitator_coverage_as_it_was(qisg_client):
    demo.seed()
    today = datetime.date.today()
    before = rollup.facilitator_coverage_on(today)
    with open(finders.find("training/training_records_sample.csv"), "rb") as sample:
        html = text_of(qisg_client.post(IMPORT, upload(sample.read(), "training_records_sample.csv")))
    new = [name for name in ["Corporate Services", "Estates and Facilities"] if f"Is “{name}” a clinical service unit?" in html]
    assert new == ["Corporate Services", "Estates and Facilities"]
    assert "2 new units</h3>" in html  # the sample's clinical units are the demo's own
    response = qisg_client.post(IMPORT, {"upload": PendingUpload.objects.get().pk, "new_unit": new,
                                         "units-unit_0": "no", "units-unit_1": "no"})
    assert response.status_code == 302
    after = rollup.facilitator_coverage_on(today)
    assert (after.units, after.percent) == (before.units, before.percent)
