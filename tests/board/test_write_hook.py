"""The one write hook (improvement.core.stamp): any committed write, ORM, bulk, admin or erasure, refreshes the
derived measures fed by what it wrote and leaves its audit lines; a daily command brings them up to the last
month-end when only time has passed. Real commits: a transactional test."""

import datetime
import io
import json
import logging

import pytest
from django.core.management import call_command
from django.urls import reverse

from goals.models import DerivedFigure, Measure, MeasurePoint
from partners import privacy
from partners.models import Partner

from ..helpers import seed_demo, text_of

pytestmark = pytest.mark.django_db(transaction=True)
ACTIVE_PARTNERS = DerivedFigure.ACTIVE_PARTNERS


def last_month_end(today=None):
    today = today or datetime.date.today()
    return today.replace(day=1) - datetime.timedelta(days=1)


@pytest.fixture
def demo(make_user):
    seed_demo()
    return Measure.objects.get(derived_from=ACTIVE_PARTNERS)


def test_an_admin_edit_refreshes_the_derived_measures(client, make_user, demo):
    partner = Partner.objects.filter(left_on__isnull=True, joined_on__lt=last_month_end() - datetime.timedelta(days=60)).first()
    month = last_month_end()
    before = demo.points.get(date=month).value
    client.force_login(make_user("admin"))
    change = reverse("admin:partners_partner_change", args=[partner.pk])
    form = text_of(client.get(change))
    assert 'name="left_on"' in form
    data = {"full_name": partner.full_name, "display_name": partner.display_name, "email": partner.email, "phone": partner.phone,
            "cohort": partner.cohort_id, "joined_on": partner.joined_on.isoformat(), "left_on": (month - datetime.timedelta(days=10)).isoformat(),
            "consent_recorded_on": partner.consent_recorded_on.isoformat() if partner.consent_recorded_on else "",
            "learner": partner.learner_id or "", "roles-TOTAL_FORMS": "0", "roles-INITIAL_FORMS": "0", "_save": "Save"}
    if partner.credit_consent:
        data["credit_consent"] = "on"
    response = client.post(change, data)
    assert response.status_code == 302, text_of(response)[:2000]
    assert demo.points.get(date=month).value == before - 1


def test_erasing_a_partner_refreshes_the_derived_measures(make_user, demo):
    month = last_month_end()
    MeasurePoint.objects.filter(measure=demo, date=month).update(value=0)  # a series gone stale (bulk: no refresh)
    privacy.erase(Partner.objects.filter(left_on__isnull=True).first(), make_user("partneradmin"))
    assert demo.points.get(date=month).value == Partner.objects.active(month).count() > 0


def test_a_day_passing_brings_the_series_to_the_last_month_end(demo):
    month = last_month_end()
    MeasurePoint.objects.filter(measure__derived_from__isnull=False, measure__source="derived", date=month).delete()  # a quiet month
    assert not demo.points.filter(date=month).exists()
    out = io.StringIO()
    call_command("refresh_derived", stdout=out)
    assert demo.points.get(date=month).value == Partner.objects.active(month).count()
    assert "Derived measures refreshed: 9." in out.getvalue()


def test_a_refresh_changes_only_what_changed(demo, caplog):
    """In place: a refresh with nothing new writes nothing (no deleted-and-recreated points in the history)."""
    history = MeasurePoint.history.count()
    with caplog.at_level(logging.INFO, logger="improvement.audit"):
        call_command("refresh_derived", stdout=io.StringIO())
    assert MeasurePoint.history.count() == history
    assert not [r for r in caplog.records if r.name == "improvement.audit"]


def test_bulk_imports_leave_audit_lines_with_who_and_how_many(client, make_user, caplog):
    from ..factories import GoalFactory, MeasureFactory

    measure = MeasureFactory(goal=GoalFactory(number=5))
    qisg = make_user("qisg")
    client.force_login(qisg)
    with caplog.at_level(logging.INFO, logger="improvement.audit"):
        client.post(reverse("goals:measure_import", args=[measure.pk]), {"pasted": "2023-01-31,5\n2023-02-28,6\n2023-03-31,7\n"})
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "improvement.audit"]
    created = [line for line in lines if line["model"] == "goals.measurepoint" and line["action"] == "created"]
    assert created == [{**created[0], "count": 3, "user_id": qisg.pk}]
