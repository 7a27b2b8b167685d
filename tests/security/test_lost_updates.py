"""No silent lost updates on any editable record (issue 16, item 8): partner details, measures, collaboratives,
events, Lean events and cohorts carry a version, as evidence, updates and the board paper do. Two editors open the
same form; the second save is refused with both versions side by side; saving again overwrites on purpose."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.forms import CheckboxInput
from django.test import Client
from django.urls import reverse

from goals.measures.forms import MeasureForm
from goals.models import Collaborative, Event, LeanEvent
from goals.programme.forms import CollaborativeForm, EventForm, LeanEventForm, StepDownForm
from partners.forms import CohortForm, PartnerForm

from ..factories import GoalFactory, MeasureFactory, UserFactory
from ..helpers import HTMX, text_of
from ..partners.factories import CohortFactory, PartnerFactory


def opened(form):
    """What the browser posts back from the form as it was opened (its version included)."""
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field.widget, CheckboxInput):
            if value:
                data[form.add_prefix(name)] = "on"
            continue
        if value is None:
            value = ""
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        elif isinstance(value, bool):
            value = str(value)
        data[form.add_prefix(name)] = value
    return data


def records(goal):
    """(role, the edit URL's name, the record, its form class, the field the other editor changes, the field I
    change, and each one's new value)."""
    collaborative = Collaborative.objects.create(name="Falls", goal=goal, aim="Fewer falls", prompted_by="harm_data",
                                                 started_on=datetime.date(2022, 7, 1))
    stepped_down = Collaborative.objects.create(name="Sepsis", goal=goal, aim="Fewer deaths", prompted_by="harm_data",
                                                started_on=datetime.date(2022, 7, 1), stepped_down_on=datetime.date(2023, 1, 31),
                                                step_down_reason="Aim met")
    event = Event.objects.create(kind="open_day", title="Open day", date=datetime.date(2023, 3, 15), goal=goal)
    lean = LeanEvent.objects.create(kind="5s", title="Ward 5S", unit="Ward 7", date=datetime.date(2023, 2, 1), goal=goal,
                                    hours_released_per_year=1, money_released_per_year=1, steps_removed=0, days_removed=0,
                                    how_measured="Time study")
    return [
        ("partneradmin", "partners:partner_edit", PartnerFactory(display_name="Ro"), PartnerForm, "display_name", "phone", "Róisín", "01632 960 111"),
        ("partneradmin", "partners:cohort_edit", CohortFactory(name="Spring"), CohortForm, "name", "intake_target", "Spring 2023", "15"),
        ("qisg", "goals:measure_edit", MeasureFactory(goal=goal, name="Falls rate"), MeasureForm, "name", "unit", "Falls per 1000 bed days", "falls"),
        ("qisg", "goals:collaborative_edit", collaborative, CollaborativeForm, "aim", "lead", "Half the falls", "Dr Lee"),
        ("qisg", "goals:collaborative_step_down", stepped_down, StepDownForm, "step_down_reason", "stepped_down_on",
         "Improvements sustained", "2023-02-28"),
        ("qisg", "goals:event_edit", event, EventForm, "title", "attendance", "Open day (spring)", "40"),
        ("qisg", "goals:lean_edit", lean, LeanEventForm, "title", "steps_removed", "Ward 7 5S", "4"),
    ]


@pytest.fixture
def editors(make_user):
    mine = {role: make_user(role) for role in ("qisg", "partneradmin")}
    theirs = {}
    for role, group in (("qisg", "QiSG member"), ("partneradmin", "Partner admin")):
        user = UserFactory(username=f"other-{role}", first_name="Olu", last_name="Other")
        user.groups.add(Group.objects.get(name=group))
        theirs[role] = user
    return mine, theirs


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_every_editable_record_refuses_a_save_from_a_form_opened_before_another_save(editors, db, headers):
    mine, theirs = editors
    for role, url_name, record, form_class, their_field, my_field, their_value, my_value in records(GoalFactory(number=4)):
        form = form_class(instance=record)
        url = reverse(url_name, args=[record.pk])
        stale = opened(form)
        me, them = client_for(mine[role]), client_for(theirs[role])
        assert them.post(url, {**stale, their_field: their_value}).status_code == 302, url
        response = me.post(url, {**stale, my_field: my_value}, **headers)
        html = text_of(response)
        assert response.status_code == 200, url
        assert "Olu Other changed this while you were editing it" in html, url
        assert f'<td class="nhsuk-table__cell">{their_value}</td>' in html, url  # theirs, beside mine
        assert 'name="version" value="2"' in html, url
        record.refresh_from_db()
        assert str(getattr(record, their_field)) == their_value, url  # theirs stands
        assert record.version == 2, url
        # saving again, having seen theirs, is a deliberate overwrite of it
        assert me.post(url, {**stale, their_field: their_value, my_field: my_value, "version": 2}).status_code == 302, url
        record.refresh_from_db()
        assert str(getattr(record, my_field)) == my_value and record.version == 3, url
