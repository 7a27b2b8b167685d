"""Django admin: every model a site admin may need to correct is there; history is read, never changed."""

import datetime

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from goals.models import EvidenceItem, MeasurePoint

from .factories import EvidenceFactory, GoalFactory, MeasureFactory

# Kept out on purpose: the data stamp is the write hook's own bookkeeping; a pending upload lives 24 hours for its
# uploader; a form token and a sent-reminder record are the double-submit and never-twice rules' own; board papers are frozen when presented (corrections are dated amendments in the app); the stored training
# figures are counted from the records (corrected by correcting the records).
NOT_IN_ADMIN = {"core.datastamp", "core.formtoken", "board.sentreminder", "training.pendingupload", "training.pendinguploadpart", "board.boardreport",
                "training.storedfigures", "board.annualcommitment", "board.riskappetite", "board.papergoal", "board.frozenpaper", "board.amendment"}


def test_every_model_of_ours_is_in_the_admin_but_bookkeeping():
    ours = [m for m in apps.get_models() if m._meta.app_label in {"goals", "training", "partners", "core", "board"}
            and not m.__name__.startswith("Historical")]
    missing = {m._meta.label_lower for m in ours if m not in admin.site._registry} - NOT_IN_ADMIN
    assert missing == set()
    goals_models = [m for m in ours if m._meta.app_label == "goals"]
    assert len(goals_models) == 13 and all(m in admin.site._registry for m in goals_models)


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user("admin"))
    return client


def test_each_admin_list_and_add_page_opens_for_the_site_admin(admin_client):
    GoalFactory(number=1)
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        assert admin_client.get(reverse("admin:%s_%s_changelist" % info)).status_code == 200, info
        add = admin_client.get(reverse("admin:%s_%s_add" % info))
        assert add.status_code in (200, 403), info  # 403: a model the admin may not add to (the access log)


def test_a_correction_in_the_admin_is_kept_in_history_which_cannot_be_reverted(admin_client, goal):
    item = EvidenceFactory(goal=goal, title="Typo in the titel")
    change = reverse("admin:goals_evidenceitem_change", args=[item.pk])
    page = admin_client.get(change)
    assert page.status_code == 200
    data = {"goal": goal.pk, "kind": item.kind, "date": item.date.isoformat(), "title": "Typo in the title",
            "summary": item.summary, "link": "", "ambition": "", "collaborative": ""}
    assert admin_client.post(change, data).status_code == 302
    item.refresh_from_db()
    assert item.title == "Typo in the title"
    first = item.history.order_by("history_id").first()
    assert item.history.count() == 2

    history = admin_client.get(reverse("admin:goals_evidenceitem_history", args=[item.pk]))
    assert history.status_code == 200 and "View history" in history.content.decode()
    version = reverse("admin:goals_evidenceitem_simple_history", args=[item.pk, first.history_id])
    shown = admin_client.get(version)
    assert shown.status_code == 200 and "Revert" not in shown.content.decode()
    assert admin_client.post(version, data | {"title": "Typo in the titel"}).status_code == 403
    item.refresh_from_db()
    assert item.title == "Typo in the title" and item.history.count() == 2


def test_a_derived_measures_points_are_not_corrected_in_the_admin(admin_client, goal):
    measure = MeasureFactory(goal=goal, source="derived", derived_from="goals.active_collaboratives")
    point = MeasurePoint.objects.create(measure=measure, date=datetime.date(2023, 1, 31), value=3)
    change = reverse("admin:goals_measurepoint_change", args=[point.pk])
    page = admin_client.get(change)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()  # shown, read-only
    assert admin_client.post(change, {"measure": measure.pk, "date": "2023-01-31", "value": "9"}).status_code == 403
    point.refresh_from_db()
    assert point.value == 3


def test_an_entered_measures_point_is_corrected_in_the_admin(admin_client, goal):
    measure = MeasureFactory(goal=goal)
    point = MeasurePoint.objects.create(measure=measure, date=datetime.date(2023, 1, 31), value=3)
    change = reverse("admin:goals_measurepoint_change", args=[point.pk])
    assert admin_client.post(change, {"measure": measure.pk, "date": "2023-01-31", "value": "4"}).status_code == 302
    point.refresh_from_db()
    assert point.value == 4 and point.history.count() == 2


@pytest.mark.parametrize("role", ["board", "qisg", "partneradmin"])
def test_other_roles_do_not_reach_the_admin(client, make_user, goal, role):
    client.force_login(make_user(role))
    item = EvidenceFactory(goal=goal)
    response = client.get(reverse("admin:goals_evidenceitem_change", args=[item.pk]))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert EvidenceItem.objects.get().title == item.title
