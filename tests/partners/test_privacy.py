import csv
import datetime
import io
import json

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.urls import reverse

from partners.figures import goal2_figures
from partners.models import AccessAction, Partner, PartnerAccessLog, RoleKind
from training.models import Completion, Course, Learner

from ..helpers import text_of
from .factories import ContributionFactory, PartnerFactory, RoleFactory

NAME, DISPLAY, EMAIL, PHONE = "Siobhán O'Neill", "Siobhán", "siobhan.oneill@example.org", "01632 960 777"
PERSONAL = [NAME, DISPLAY, EMAIL, PHONE, "O''Neill", "Neill"]


@pytest.fixture
def siobhan(db):
    learner = Learner.objects.create(staff_number="QP-0007", name=NAME, staff_group="quality_partner")
    Completion.objects.create(learner=learner, course=Course.objects.get_or_create(name="LIM Foundation", kind="foundation")[0],
                              completed_on=datetime.date(2023, 2, 1))
    partner = PartnerFactory(full_name="Siobhan O'Neil", display_name=DISPLAY, email="old@example.org", phone=PHONE, learner=learner,
                             credit_consent=True, consent_recorded_on=datetime.date(2022, 4, 1))
    partner.full_name, partner.email = NAME, EMAIL  # a second history row, with the old values in the first
    partner.save()
    RoleFactory(partner=partner, kind=RoleKind.TRAINING_CODESIGN)
    ContributionFactory(partner=partner, title="=HYPERLINK(\"http://evil.example\")")
    return partner


def every_value_in_the_database():
    """Every value of every row of every table, as text."""
    values = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            values += [str(value) for row in cursor.fetchall() for value in row if value is not None]
    return "\n".join(values)


def test_the_json_export_holds_everything_about_the_partner(partner_admin_client, siobhan):
    response = partner_admin_client.get(reverse("partners:partner_export", args=[siobhan.pk, "json"]))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="quality-partner-{siobhan.pk}-subject-access.json"'
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["partner"]["full_name"] == NAME and data["partner"]["email"] == EMAIL and data["partner"]["phone"] == PHONE
    assert data["partner"]["consents_to_be_credited_by_name"] is True
    assert data["roles"][0]["role"] == "Training co-designer"
    assert data["contributions"][0]["title"].startswith("=HYPERLINK")
    assert data["training_record"]["completions"] == [{"course": "LIM Foundation", "completed_on": "2023-02-01"}]
    assert [entry["action"] for entry in data["changes"]] == ["Changed", "Created"]
    assert {"field": "email", "from": "old@example.org", "to": EMAIL} in data["changes"][0]["changes"]
    assert data["access_log"][-1]["action"] == "Exported"


def test_the_csv_export_neutralises_formulas(partner_admin_client, siobhan):
    response = partner_admin_client.get(reverse("partners:partner_export", args=[siobhan.pk, "csv"]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["section", "item", "field", "value"]
    values = {(section, field): value for section, _, field, value in rows[1:]}
    assert values[("partner", "email")] == EMAIL
    assert values[("partner", "full_name")] == NAME
    assert values[("contributions", "title")] == "'=HYPERLINK(\"http://evil.example\")"
    assert not [row for row in rows[1:] if row[3][:1] in ("=", "+", "-", "@")]


def test_erasing_asks_for_confirmation_first(partner_admin_client, siobhan):
    url = reverse("partners:partner_erase", args=[siobhan.pk])
    assert "This cannot be undone" in text_of(partner_admin_client.get(url))
    response = partner_admin_client.post(url, {})
    assert "Confirm that you understand the erasure cannot be undone" in text_of(response)
    siobhan.refresh_from_db()
    assert siobhan.erased_on is None and siobhan.full_name == NAME


def test_erasing_leaves_nothing_personal_in_the_database_history_included(partner_admin_client, admin_user, siobhan):
    LogEntry.objects.log_actions(admin_user.pk, [siobhan], CHANGE, change_message=f"Changed email to {EMAIL}")
    before = goal2_figures()
    assert EMAIL in every_value_in_the_database() and NAME in every_value_in_the_database()

    response = partner_admin_client.post(reverse("partners:partner_erase", args=[siobhan.pk]), {"confirm": "on"})

    assert response.status_code == 302 and response["Location"] == reverse("partners:partner_list")
    everything = every_value_in_the_database()
    for personal in [NAME, DISPLAY, EMAIL, PHONE, "old@example.org", "Siobhan O'Neil"]:
        assert personal not in everything, personal
    siobhan.refresh_from_db()
    assert siobhan.erased_on == datetime.date.today() and siobhan.left_on == datetime.date.today()
    assert siobhan.credit_name == "a quality partner" and str(siobhan) == "Erased partner"
    assert siobhan.roles.get().ended_on == datetime.date.today()
    assert PartnerAccessLog.objects.filter(partner=siobhan, action=AccessAction.ERASED, user=admin_user).exists()
    after = goal2_figures()
    counted = lambda f: (f.ever, f.trained, f.contributions_total, [c.partners for c in f.cohorts], [r.ever for r in f.roles])
    assert counted(after) == counted(before)
    assert siobhan.changes.count() == 3  # created, changed, erased: the history stays, without the personal data
    assert LogEntry.objects.get(content_type=ContentType.objects.get_for_model(Partner)).object_repr == "Erased partner"


def test_an_erased_partner_cannot_be_edited_and_shows_as_erased(partner_admin_client, admin_user, siobhan):
    from partners.privacy import erase

    erase(siobhan, admin_user)
    assert partner_admin_client.get(reverse("partners:partner_edit", args=[siobhan.pk])).status_code == 404
    html = text_of(partner_admin_client.get(reverse("partners:partner_list")))
    assert f"Erased partner {siobhan.pk}" in html
    html = text_of(partner_admin_client.get(reverse("partners:partner_detail", args=[siobhan.pk])))
    assert "Their personal data were erased" in html and "Erase their personal data</a>" not in html
