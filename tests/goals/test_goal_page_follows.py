"""The goal page after an inline save; radios without a blank choice; counts said in English; history in words."""

import pytest
from django import forms
from django.urls import reverse

from goals.models import Collaborative, EvidenceItem, ProgressUpdate
from goals.programme.forms import CollaborativeForm
from goals.strategy.forms import ProgressUpdateForm
from improvement.core.forms import NHSFormMixin
from improvement.core.words import counted, plural

from ..factories import EvidenceFactory, ProgressUpdateFactory
from ..helpers import HTMX, text_of

UPDATE = {"status": "at_risk", "period_start": "01/11/2022", "period_end": "31/10/2023", "narrative": "Coverage is behind plan.",
          "next_steps": "", "ambition": "", "published_on": "19/11/2023"}
EVIDENCE = {"kind": "award", "date": "05/10/2023", "title": "National prize", "summary": "Won it.", "link": "", "ambition": "",
            "collaborative": ""}


def oob_summary(html):
    start = html.index('<dl class="nhsuk-summary-list" id="goal-summary" hx-swap-oob="true">')
    return html[start:html.index("</dl>", start)]


def test_an_inline_progress_update_brings_the_current_status_and_counts_along(qisg_client, goal, qisg_user):
    ProgressUpdateFactory(goal=goal, author=qisg_user, status="on_track")
    page = text_of(qisg_client.get(reverse("goals:goal_detail", args=[3])))
    assert 'id="goal-summary"' in page and ">On track</strong>" in page.split('id="goal-summary"')[1].split("</dl>")[0]
    assert "1 progress update</a> and" in page

    html = text_of(qisg_client.post(reverse("goals:update_new", args=[3]), UPDATE, **HTMX))
    summary = oob_summary(html)
    assert ">At risk</strong>" in summary and "Coverage is behind plan." in summary
    assert "2 progress updates</a> and <a href=\"#evidence-heading\">0 evidence items</a>" in summary


def test_editing_the_current_update_inline_changes_the_status_at_the_top(qisg_client, goal, qisg_user):
    update = ProgressUpdateFactory(goal=goal, author=qisg_user, status="on_track")
    html = text_of(qisg_client.post(reverse("goals:update_edit", args=[update.pk]), {**UPDATE, "status": "off_track", "version": 1}, **HTMX))
    assert ">Off track</strong>" in oob_summary(html)


def test_inline_evidence_brings_the_evidence_count_along(qisg_client, goal):
    EvidenceFactory(goal=goal)
    html = text_of(qisg_client.post(reverse("goals:evidence_new", args=[3]), EVIDENCE, **HTMX))
    assert EvidenceItem.objects.count() == 2
    assert "0 progress updates</a> and <a href=\"#evidence-heading\">2 evidence items</a>" in oob_summary(html)


def test_a_plain_post_redirects_and_the_page_shows_the_new_status(qisg_client, goal):
    response = qisg_client.post(reverse("goals:update_new", args=[3]), UPDATE)
    assert response.status_code == 302
    page = text_of(qisg_client.get(response["Location"]))
    assert 'hx-swap-oob' not in page
    assert ">At risk</strong>" in page.split('id="goal-summary"')[1].split("</dl>")[0]


def test_a_refused_inline_update_sends_no_summary(qisg_client, goal):
    html = text_of(qisg_client.post(reverse("goals:update_new", args=[3]), {**UPDATE, "narrative": ""}, **HTMX))
    assert "hx-swap-oob" not in html and not ProgressUpdate.objects.exists()


def test_a_board_member_saves_nothing_and_gets_no_summary(board_client, goal):
    response = board_client.post(reverse("goals:update_new", args=[3]), UPDATE, **HTMX)
    assert response.status_code == 403 and not ProgressUpdate.objects.exists()


def test_status_radios_have_no_blank_choice(qisg_client, goal):
    html = text_of(qisg_client.get(reverse("goals:update_new", args=[3])))
    assert "---------" not in html.split('name="status"')[0][-3000:] + html.split("Period start")[0]
    assert [value for value, _ in ProgressUpdateForm(goal=goal).fields["status"].choices] == [
        "not_started", "on_track", "at_risk", "off_track", "achieved"]
    assert "" not in [value for value, _ in CollaborativeForm().fields["prompted_by"].choices]


def test_an_optional_radio_calls_its_blank_choice_none():
    class Optional(NHSFormMixin, forms.Form):
        reach = forms.ChoiceField(choices=[("", "---------"), ("national", "National")], required=False, widget=forms.RadioSelect)

    assert Optional().fields["reach"].choices == [("", "None"), ("national", "National")]


@pytest.mark.parametrize("count, noun, said", [
    (1, "coaching surgery", "1 coaching surgery"), (26, "coaching surgery", "26 coaching surgeries"),
    (1, "point", "1 point"), (0, "point", "0 points"), (2, "award or prize", "2 awards or prizes"),
    (3, "day", "3 days"), (2, "Open day", "2 Open days"), (1250, "attendance", "1,250 attendances"),
    (2, "box", "2 boxes"), (2, "person", "2 people"), (2, "evidence item", "2 evidence items"),
])
def test_counts_are_said_with_the_right_plural(count, noun, said):
    assert counted(count, noun) == said


def test_plural_keeps_a_capital():
    assert plural("Coaching surgery") == "Coaching surgeries" and plural("Person") == "People"


def test_history_says_yes_and_no_and_names_what_is_linked(qisg_client, goal):
    item = EvidenceFactory(goal=goal, highlighted=False)
    falls = Collaborative.objects.create(name="Falls", goal=goal, aim="Fewer falls", prompted_by="harm_data",
                                         started_on="2022-01-01")
    qisg_client.post(reverse("goals:evidence_edit", args=[item.pk]), {
        "kind": item.kind, "date": "05/10/2023", "title": item.title, "summary": item.summary, "link": "", "ambition": "",
        "collaborative": falls.pk, "highlighted": "on", "version": item.version})
    html = text_of(qisg_client.get(reverse("goals:evidence_history", args=[item.pk])))
    assert "“No” → “Yes”" in html and "False" not in html
    assert "“” → “Falls”" in html


def test_the_progress_update_saved_inline_is_the_card_the_goal_page_shows(qisg_client, goal):
    posted = text_of(qisg_client.post(reverse("goals:update_new", args=[3]), {**UPDATE, "next_steps": "Recruit.\nTrain."}, **HTMX))
    update = ProgressUpdate.objects.get()
    page = text_of(qisg_client.get(reverse("goals:goal_detail", args=[3])))

    def card(html):
        start = html.index(f'<article class="app-item" id="update-{update.pk}"')
        return html[start:html.index("</article>", start)].replace(" autofocus", "")

    assert card(posted) == card(page)
    assert ">At risk</strong>" in card(page) and " 1 Nov 2022 to 31 Oct 2023" in card(page) and "Recruit.<br>Train." in card(page)
    assert "Published 19 November 2023 by " in card(page) and "Last changed by " in card(page)
