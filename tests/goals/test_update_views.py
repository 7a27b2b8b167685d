from django.urls import reverse

from goals.models import ProgressUpdate

from ..factories import ProgressUpdateFactory
from ..helpers import HTMX, text_of

GOOD = {
    "status": "at_risk", "period_start": "2022-11-01", "period_end": "2023-10-31",
    "narrative": "Facilitator coverage is behind plan.", "next_steps": "Train more facilitators.",
    "ambition": "", "published_on": "2023-11-19",
}


def test_htmx_post_records_an_update_authored_by_the_user(qisg_client, goal, qisg_user):
    response = qisg_client.post(reverse("goals:update_new", args=[3]), GOOD, **HTMX)
    update = ProgressUpdate.objects.get()
    html = text_of(response)
    assert update.author == qisg_user and update.status == "at_risk"
    assert f'id="update-{update.pk}"' in html
    assert '<strong class="nhsuk-tag nhsuk-tag--orange">At risk</strong>' in html
    assert '<div id="new-update"></div>' in html


def test_the_newest_update_becomes_the_goal_status_on_the_home_page(qisg_client, goal):
    ProgressUpdateFactory(goal=goal, status="on_track", published_on="2023-05-01")
    qisg_client.post(reverse("goals:update_new", args=[3]), GOOD)
    html = text_of(qisg_client.get(reverse("goals:overview")))
    assert "At risk" in html and "On track" not in html


def test_plain_post_redirects_to_the_update(qisg_client, goal):
    response = qisg_client.post(reverse("goals:update_new", args=[3]), GOOD)
    update = ProgressUpdate.objects.get()
    assert response["Location"] == f"/goals/3/#update-{update.pk}"


def test_an_update_with_errors_is_not_saved_and_says_why(qisg_client, goal):
    response = qisg_client.post(reverse("goals:update_new", args=[3]), {**GOOD, "status": "", "period_end": "2022-01-01"}, **HTMX)
    html = text_of(response)
    assert "Select a status" in html
    assert "The period must end on or after the day it starts" in html
    assert 'href="#id_status_0"' in html  # the summary links to the first radio
    assert ProgressUpdate.objects.count() == 0


def test_editing_an_update_keeps_its_author_and_records_the_editor(qisg_client, goal, qisg_user, make_user):
    update = ProgressUpdateFactory(goal=goal, narrative="First draft")
    original_author = update.author
    response = qisg_client.post(reverse("goals:update_edit", args=[update.pk]), {**GOOD, "narrative": "Final", "version": 1}, **HTMX)
    assert "Final" in text_of(response)
    update.refresh_from_db()
    assert update.narrative == "Final" and update.author == original_author
    assert update.history.first().history_user == qisg_user
    history = text_of(qisg_client.get(reverse("goals:update_history", args=[update.pk])))
    assert "“First draft” → “Final”" in history


def test_a_board_member_cannot_post_an_update(board_client, goal):
    assert board_client.post(reverse("goals:update_new", args=[3]), GOOD).status_code == 403
    assert ProgressUpdate.objects.count() == 0
