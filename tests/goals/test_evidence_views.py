import pytest
from django.urls import reverse

from goals.models import EvidenceItem

from ..factories import EvidenceFactory
from ..helpers import HTMX, text_of

GOOD = {"kind": "award", "date": "2023-10-05", "title": "National prize for Discharge", "summary": "Won it.", "link": "https://example.org/prize", "ambition": ""}


def test_the_goal_page_offers_a_qisg_member_the_inline_evidence_form(qisg_client, goal):
    page = text_of(qisg_client.get(reverse("goals:goal_detail", args=[3])))
    assert 'hx-get="/goals/3/evidence/new/"' in page
    assert 'href="/goals/3/evidence/new/"' in page  # works without JavaScript too


def test_htmx_asks_for_the_form_and_gets_only_the_fragment(qisg_client, goal):
    response = qisg_client.get(reverse("goals:evidence_new", args=[3]), **HTMX)
    html = text_of(response)
    assert response.status_code == 200
    assert html.lstrip().startswith('<div class="app-inline-form" id="new-evidence">')
    assert "<html" not in html
    assert 'hx-post="/goals/3/evidence/new/"' in html


def test_without_javascript_the_form_is_a_whole_page(qisg_client, goal):
    html = text_of(qisg_client.get(reverse("goals:evidence_new", args=[3])))
    assert "<html" in html and 'id="new-evidence"' in html


def test_htmx_post_saves_the_evidence_and_returns_the_new_item(qisg_client, goal, qisg_user):
    response = qisg_client.post(reverse("goals:evidence_new", args=[3]), GOOD, **HTMX)
    item = EvidenceItem.objects.get()
    html = text_of(response)
    assert response.status_code == 200
    assert f'id="evidence-{item.pk}"' in html and "National prize for Discharge" in html
    assert '<div id="new-evidence"></div>' in html  # the slot is ready for the next one
    assert "<html" not in html
    assert item.goal == goal and item.kind == "award"
    assert item.history.get().history_user == qisg_user
    assert "Last changed by Test" in html


def test_plain_post_saves_and_redirects_to_the_item_on_the_goal_page(qisg_client, goal):
    response = qisg_client.post(reverse("goals:evidence_new", args=[3]), GOOD)
    item = EvidenceItem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/goals/3/#evidence-{item.pk}"
    page = text_of(qisg_client.get(response["Location"]))
    assert "National prize for Discharge" in page


def test_htmx_post_with_errors_shows_them_next_to_the_fields_and_saves_nothing(qisg_client, goal):
    response = qisg_client.post(reverse("goals:evidence_new", args=[3]), {**GOOD, "title": "", "link": "javascript:alert(1)"}, **HTMX)
    html = text_of(response)
    assert response.status_code == 200  # htmx 2 swaps 2xx only
    assert "There is a problem" in html
    assert '<span class="nhsuk-error-message" id="id_title-error"><span class="nhsuk-u-visually-hidden">Error:</span> Enter a title</span>' in html
    assert "Enter a web address starting with http:// or https://" in html
    assert 'href="#id_title"' in html  # the error summary links to the field
    assert EvidenceItem.objects.count() == 0


def test_plain_post_with_errors_re_renders_the_whole_page(qisg_client, goal):
    response = qisg_client.post(reverse("goals:evidence_new", args=[3]), {**GOOD, "summary": ""})
    html = text_of(response)
    assert response.status_code == 200 and "<html" in html
    assert "<title>Error: Add evidence" in html
    assert "Enter a summary of what happened" in html


def test_editing_through_htmx_swaps_the_changed_item_and_keeps_history(qisg_client, goal, qisg_user):
    item = EvidenceFactory(goal=goal, title="Open day")
    form = text_of(qisg_client.get(reverse("goals:evidence_edit", args=[item.pk]), **HTMX))
    assert f'id="evidence-{item.pk}"' in form and 'value="Open day"' in form
    response = qisg_client.post(
        reverse("goals:evidence_edit", args=[item.pk]),
        {"kind": "event", "date": "2023-03-15", "title": "First open day", "summary": "Doors open.", "link": "", "ambition": "", "version": 1},
        **HTMX,
    )
    html = text_of(response)
    assert html.lstrip().startswith(f'<article class="app-item" id="evidence-{item.pk}"')
    assert "First open day" in html
    item.refresh_from_db()
    assert item.title == "First open day"
    assert [h.title for h in item.history.all()] == ["First open day", "Open day"]
    assert item.history.first().history_user == qisg_user


def test_the_history_page_shows_who_changed_what(qisg_client, goal):
    item = EvidenceFactory(goal=goal, title="Open day")
    qisg_client.post(
        reverse("goals:evidence_edit", args=[item.pk]),
        {"kind": "event", "date": "2023-03-15", "title": "First open day", "summary": "What happened.", "link": "", "ambition": "", "version": 1},
    )
    html = text_of(qisg_client.get(reverse("goals:evidence_history", args=[item.pk])))
    assert "Changed" in html and "Created" in html
    assert "“Open day” → “First open day”" in html
    assert "Test User" in html


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_board_member_cannot_add_or_edit_evidence(board_client, goal, method):
    item = EvidenceFactory(goal=goal)
    for url in [reverse("goals:evidence_new", args=[3]), reverse("goals:evidence_edit", args=[item.pk])]:
        response = getattr(board_client, method)(url, GOOD)
        assert response.status_code == 403
    assert EvidenceItem.objects.count() == 1
    assert EvidenceItem.objects.get().title == item.title


def test_a_board_member_sees_the_goal_page_without_edit_controls(board_client, goal):
    item = EvidenceFactory(goal=goal)
    html = text_of(board_client.get(reverse("goals:goal_detail", args=[3])))
    assert item.title in html
    assert "Add evidence" not in html and "Add a progress update" not in html
    assert reverse("goals:evidence_edit", args=[item.pk]) not in html
    assert reverse("goals:evidence_history", args=[item.pk]) in html


def test_the_goal_page_query_count_does_not_grow_with_evidence(qisg_client, goal, django_assert_max_num_queries):
    EvidenceFactory(goal=goal)
    url = reverse("goals:goal_detail", args=[3])
    # session, user, permissions (2), strategy, goal, current status, ambitions, updates, their history,
    # evidence, its history, measures (+ their points and rebases when there are any), the programme's collaboratives,
    # event counts (year, to date) and waste totals (year, to date), session save (select + update)
    with django_assert_max_num_queries(22) as small:
        qisg_client.get(url)
    EvidenceFactory.create_batch(40, goal=goal)
    with django_assert_max_num_queries(len(small.captured_queries)):
        qisg_client.get(url)


def test_the_goal_page_shows_the_newest_evidence_and_links_to_the_rest(board_client, goal):
    import datetime

    for day in range(1, 26):
        EvidenceFactory(goal=goal, title=f"Item dated {day:02d}", date=datetime.date(2023, 5, day))
    html = text_of(board_client.get(reverse("goals:goal_detail", args=[3])))
    assert "Item dated 25" in html and "Item dated 06" in html and "Item dated 05" not in html
    assert 'href="/evidence/?goal=3">All 25 evidence items of goal 3</a>' in html


def _card(html, anchor):
    start = html.index(f'<article class="app-item" id="{anchor}"')
    return html[start:html.index("</article>", start)].replace(" autofocus", "")


def test_the_card_saved_inline_is_the_card_the_goal_page_shows(qisg_client, goal):
    """Both are drawn from one card (goals.strategy.cards): what the QiSG member saw after saving is what the
    page, drawn from its cached figures, shows the next reader, line breaks, ambition and last change included."""
    posted = text_of(qisg_client.post(reverse("goals:evidence_new", args=[3]), {**GOOD, "summary": "Won it.\nTwice <b>over</b>."}, **HTMX))
    item = EvidenceItem.objects.get()
    page = text_of(qisg_client.get(reverse("goals:goal_detail", args=[3])))
    assert _card(posted, f"evidence-{item.pk}") == _card(page, f"evidence-{item.pk}")
    assert "Won it.<br>Twice &lt;b&gt;over&lt;/b&gt;." in _card(page, f"evidence-{item.pk}")
    assert "Last changed by Test" in _card(page, f"evidence-{item.pk}")
