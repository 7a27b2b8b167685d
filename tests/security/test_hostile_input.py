"""Hostile strings through every text field of the QiSG forms and the measure CSV: shown as text, stored
unchanged or refused with a clear message, and never a 500."""

import datetime

import pytest
from django.urls import reverse

from goals.models import Collaborative, Event, EvidenceItem, LeanEvent, Measure, MeasurePoint

from ..factories import GoalFactory, MeasureFactory, ProgressUpdateFactory

HOSTILE = [
    "<script>alert(1)</script>",
    '" onmouseover="alert(1)',
    "javascript:alert(1)",
    "'; DROP TABLE goals_goal; --",
    "x" * 5000,
    "bell\x07 escape\x1b[31m",
    "right-to-left \u202eevil.exe",
    "emoji 😀 and Zalgo z\u0351\u0334",
    "nul\x00byte",
]
RAW_DANGER = ["<script>alert(1)</script>", '" onmouseover="alert(1)']


@pytest.fixture
def world(db):
    goal = GoalFactory(number=4)
    GoalFactory(strategy=goal.strategy, number=1)
    update = ProgressUpdateFactory(goal=goal)
    collaborative = Collaborative.objects.create(name="Falls", goal=goal, aim="Fewer falls", prompted_by="harm_data",
                                                 started_on=datetime.date(2022, 7, 1))
    return goal, update, collaborative


def forms(world):
    goal, update, collaborative = world
    return [
        ("goals:evidence_new", [4], {"kind": "event", "date": "01/03/2023", "title": "T", "summary": "S", "link": "", "ambition": ""},
         ["title", "summary", "link"], lambda: EvidenceItem.objects.order_by("-id").first(), reverse("goals:goal_detail", args=[4])),
        ("goals:update_edit", [update.pk], {"status": "on_track", "period_start": "01/11/2022", "period_end": "31/10/2023",
                                           "narrative": "N", "next_steps": "", "ambition": "", "published_on": "19/11/2023", "version": 1},
         ["narrative", "next_steps"], lambda: type(update).objects.get(pk=update.pk), reverse("goals:goal_detail", args=[4])),
        ("goals:measure_new", [], {"name": "M", "unit": "u", "improvement_direction": "increase", "frequency": "monthly",
                                   "goal": goal.pk, "description": ""},
         ["name", "unit", "description"], lambda: Measure.objects.order_by("-id").first(), reverse("goals:measure_list")),
        ("goals:event_new", [], {"kind": "open_day", "title": "T", "date": "15/03/2023", "goal": goal.pk, "attendance": "",
                                 "organisations_attending": "", "reach": "", "award_outcome": "", "collaborative": "", "repeat_until": ""},
         ["title", "organisations_attending"], lambda: Event.objects.order_by("-id").first(), reverse("goals:event_list") + "?year=1"),
        ("goals:lean_new", [], {"kind": "5s", "title": "T", "unit": "U", "date": "01/02/2023", "goal": goal.pk,
                                "hours_released_per_year": "1", "money_released_per_year": "1", "steps_removed": "0",
                                "days_removed": "0", "how_measured": "Time study"},
         ["title", "unit", "how_measured"], lambda: LeanEvent.objects.order_by("-id").first(), reverse("goals:waste_list") + "?year=1"),
        ("goals:collaborative_edit", [collaborative.pk], {"name": "Falls", "goal": goal.pk, "aim": "A", "lead": "", "prompted_by": "harm_data",
                                                          "rationale": "", "started_on": "01/07/2022"},
         ["name", "aim", "lead", "rationale"], lambda: Collaborative.objects.get(pk=collaborative.pk),
         reverse("goals:collaborative_detail", args=[collaborative.pk])),
    ]


@pytest.mark.parametrize("hostile", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_is_stored_as_typed_or_refused_and_always_shown_as_text(qisg_client, world, hostile):
    for url_name, args, data, fields, saved, shown_on in forms(world):
        for field in fields:
            if url_name == "goals:update_edit":
                data = {**data, "version": type(world[1]).objects.get(pk=world[1].pk).version}
            if url_name == "goals:measure_new":
                data = {**data, "name": f"Measure for {field}"}  # names are unique
            before = saved()
            response = qisg_client.post(reverse(url_name, args=args), {**data, field: hostile})
            assert response.status_code in (200, 302), (url_name, field, response.status_code)
            if response.status_code == 200:  # refused: the form says why, next to the field
                page = response.content.decode()
                assert "There is a problem" in page and f'id="id_{field}-error"' in page, (url_name, field)
                assert saved() == before or getattr(saved(), field) != hostile
            else:
                assert getattr(saved(), field) == hostile, (url_name, field)  # stored unchanged
                page = qisg_client.get(shown_on).content.decode()
            for danger in RAW_DANGER:
                assert danger not in page, (url_name, field)  # escaped wherever it is shown


def test_links_other_than_http_are_refused(qisg_client, world):
    response = qisg_client.post(reverse("goals:evidence_new", args=[4]), {
        "kind": "event", "date": "01/03/2023", "title": "T", "summary": "S", "link": "javascript:alert(1)", "ambition": ""})
    assert "Enter a web address starting with http:// or https://" in response.content.decode()
    assert not EvidenceItem.objects.exists()


@pytest.mark.parametrize("hostile", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_csv_cells_are_refused_row_by_row(qisg_client, world, hostile):
    measure = MeasureFactory(goal=world[0])
    for row in [f"{hostile},1", f"2023-01-31,{hostile}", f"2023-01-31,1,{hostile}"]:
        response = qisg_client.post(reverse("goals:measure_import", args=[measure.pk]), {"pasted": f"2023-02-28,2\n{row}\n"})
        assert response.status_code == 200
        page = response.content.decode()
        assert "Nothing was imported" in page or "There is a problem" in page
        for danger in RAW_DANGER:
            assert danger not in page
    assert not MeasurePoint.objects.exists()


@pytest.mark.parametrize("hostile", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_in_a_partner_record_is_stored_as_typed_or_refused(client, make_user, hostile):
    from partners.models import Cohort, Partner

    client.force_login(make_user("partneradmin"))
    cohort = Cohort.objects.create(name="2023 cohort", recruited_on=datetime.date(2023, 10, 1), intake_target=8)
    base = {"full_name": "Zoë Ashworth-Hughes", "display_name": "Zoë", "cohort": cohort.pk, "email": "zoe@example.org",
            "phone": "01632 960 555", "joined_on": "02/10/2023", "credit_consent": "False", "consent_recorded_on": "", "learner": ""}
    for field in ["full_name", "display_name", "email", "phone"]:
        before = Partner.objects.count()
        response = client.post(reverse("partners:partner_new"), {**base, field: hostile})
        assert response.status_code in (200, 302), (field, response.status_code)
        page = response.content.decode()
        if response.status_code == 200:
            assert "There is a problem" in page and f'id="id_{field}-error"' in page, field
            assert Partner.objects.count() == before
        else:
            partner = Partner.objects.order_by("-id").first()
            assert getattr(partner, field) == hostile, field
            page = client.get(reverse("partners:partner_detail", args=[partner.pk])).content.decode()
        for danger in RAW_DANGER:
            assert danger not in page, field
