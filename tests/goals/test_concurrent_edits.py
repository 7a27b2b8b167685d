"""Two people edit the same item: the second save does not silently overwrite the first."""

import pytest
from django.test import Client
from django.urls import reverse

from ..factories import EvidenceFactory, ProgressUpdateFactory, UserFactory
from ..helpers import HTMX, text_of


def evidence_post(item, **changes):
    return {"kind": item.kind, "date": item.date.isoformat(), "title": item.title, "summary": item.summary,
            "link": "", "ambition": "", "version": item.version, **changes}


@pytest.fixture
def second_editor(make_user):
    from django.contrib.auth.models import Group

    other = UserFactory(username="other", first_name="Olu", last_name="Other")
    other.groups.add(Group.objects.get(name="QiSG member"))
    client = Client()
    client.force_login(other)
    return client


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_the_second_save_is_refused_and_shows_what_changed(qisg_client, second_editor, goal, headers):
    item = EvidenceFactory(goal=goal, title="Open day", summary="Doors open.")
    opened_by_first = evidence_post(item)          # both open the form at version 1
    opened_by_second = evidence_post(item)

    assert second_editor.post(reverse("goals:evidence_edit", args=[item.pk]), {**opened_by_second, "title": "Open day (March)"}).status_code == 302
    response = qisg_client.post(reverse("goals:evidence_edit", args=[item.pk]), {**opened_by_first, "summary": "Doors open at 9."}, **headers)
    html = text_of(response)

    item.refresh_from_db()
    assert (item.title, item.summary, item.version) == ("Open day (March)", "Doors open.", 2)  # the first save stands
    assert "Olu Other changed this while you were editing it" in html
    assert "<th scope=\"row\" class=\"nhsuk-table__header\">Title</th><td class=\"nhsuk-table__cell\">Open day (March)</td><td class=\"nhsuk-table__cell\">Open day</td>" in html
    assert 'name="version" value="2"' in html  # saving again is a deliberate overwrite
    if headers:
        assert "<html" not in html and html.lstrip().startswith(f'<div class="app-inline-form" id="evidence-{item.pk}">')


def test_saving_again_after_the_conflict_overwrites_on_purpose(qisg_client, second_editor, goal):
    item = EvidenceFactory(goal=goal, title="Open day")
    stale = evidence_post(item)
    second_editor.post(reverse("goals:evidence_edit", args=[item.pk]), {**stale, "title": "Theirs"})
    qisg_client.post(reverse("goals:evidence_edit", args=[item.pk]), {**stale, "title": "Mine"})
    response = qisg_client.post(reverse("goals:evidence_edit", args=[item.pk]), {**stale, "title": "Mine", "version": 2})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.version) == ("Mine", 3)
    assert [h.title for h in item.history.all()] == ["Mine", "Theirs", "Open day"]  # nothing lost from the record


def test_progress_updates_are_protected_the_same_way(qisg_client, second_editor, goal):
    update = ProgressUpdateFactory(goal=goal, narrative="First")
    data = {"status": "on_track", "period_start": "2022-11-01", "period_end": "2023-10-31", "narrative": "",
            "next_steps": "", "ambition": "", "published_on": "2023-11-19", "version": 1}
    second_editor.post(reverse("goals:update_edit", args=[update.pk]), {**data, "narrative": "Theirs"}, **HTMX)
    html = text_of(qisg_client.post(reverse("goals:update_edit", args=[update.pk]), {**data, "narrative": "Mine"}, **HTMX))
    update.refresh_from_db()
    assert update.narrative == "Theirs"
    assert "changed this while you were editing it" in html
