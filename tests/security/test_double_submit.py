"""Double submits and races on create (issue 16, item 4): the same form posted twice makes one record and both posts
are answered with it (a one-time form token); a name or date committed meanwhile by someone else is refused with
"already exists" by its field, never a 500."""

import datetime
import re
import threading

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from goals.models import (
    Collaborative, CollaborativeMember, Event, EvidenceItem, LeanEvent, Measure, MeasurePoint, ProgressUpdate, Rebase,
)
from goals.measures.forms import MeasureForm, RebaseForm
from goals.programme.forms import CollaborativeForm
from improvement.core.forms import Refused
from partners.forms import CohortForm
from partners.models import Cohort, Contribution, Partner, PartnerRole

from ..factories import GoalFactory, MeasureFactory
from ..helpers import HTMX, text_of
from ..partners.factories import CohortFactory, PartnerFactory


@pytest.fixture
def world(db):
    goal = GoalFactory(number=4)
    collaborative = Collaborative.objects.create(name="Falls", goal=goal, aim="Fewer falls", prompted_by="harm_data",
                                                 started_on=datetime.date(2022, 7, 1))
    measure = MeasureFactory(goal=goal)
    MeasurePoint.objects.create(measure=measure, date=datetime.date(2023, 1, 31), value=1)
    return goal, collaborative, measure, PartnerFactory(), CohortFactory()


def creates(world):
    """(role, the page with the form, the URL it posts to, its data, the model it creates)."""
    goal, collaborative, measure, partner, cohort = world
    evidence = reverse("goals:evidence_new", args=[4])
    return [
        ("qisg", evidence, evidence, {"kind": "event", "date": "01/03/2023", "title": "T", "summary": "S", "link": "", "ambition": ""}, EvidenceItem),
        ("qisg", reverse("goals:update_new", args=[4]), reverse("goals:update_new", args=[4]),
         {"status": "on_track", "period_start": "01/11/2022", "period_end": "31/10/2023", "narrative": "N", "next_steps": "",
          "ambition": "", "published_on": "19/11/2023"}, ProgressUpdate),
        ("qisg", reverse("goals:measure_new"), reverse("goals:measure_new"),
         {"name": "M", "unit": "u", "improvement_direction": "increase", "frequency": "monthly", "goal": goal.pk, "description": ""}, Measure),
        ("qisg", reverse("goals:event_new"), reverse("goals:event_new"),
         {"kind": "open_day", "title": "T", "date": "15/03/2023", "goal": goal.pk, "attendance": "", "organisations_attending": "",
          "reach": "", "award_outcome": "", "collaborative": "", "repeat_until": ""}, Event),
        ("qisg", reverse("goals:lean_new"), reverse("goals:lean_new"),
         {"kind": "5s", "title": "T", "unit": "U", "date": "01/02/2023", "goal": goal.pk, "hours_released_per_year": "1",
          "money_released_per_year": "1", "steps_removed": "0", "days_removed": "0", "how_measured": "Time study"}, LeanEvent),
        ("qisg", reverse("goals:collaborative_new"), reverse("goals:collaborative_new"),
         {"name": "Discharge", "goal": goal.pk, "aim": "A", "lead": "", "prompted_by": "harm_data", "rationale": "",
          "started_on": "01/07/2022"}, Collaborative),
        ("qisg", reverse("goals:collaborative_detail", args=[collaborative.pk]), reverse("goals:member_add", args=[collaborative.pk]),
         {"member-name": "Sam", "member-role": ""}, CollaborativeMember),
        ("qisg", reverse("goals:measure_detail", args=[measure.pk]), reverse("goals:rebase_add", args=[measure.pk]),
         {"rebase-date": "01/04/2023", "rebase-reason": "R"}, Rebase),
        ("partneradmin", reverse("partners:partner_new"), reverse("partners:partner_new"),
         {"full_name": "Zoë Ashworth-Hughes", "display_name": "Zoë", "cohort": cohort.pk, "email": "", "phone": "",
          "joined_on": "02/10/2023", "credit_consent": "False", "consent_recorded_on": "", "learner": ""}, Partner),
        ("partneradmin", reverse("partners:cohort_new"), reverse("partners:cohort_new"),
         {"name": "C", "recruited_on": "01/03/2024", "intake_target": ""}, Cohort),
        ("partneradmin", reverse("partners:role_new", args=[partner.pk]), reverse("partners:role_new", args=[partner.pk]),
         {"role-kind": "committee_member", "role-collaborative": "", "role-committee": "C", "role-started_on": "11/01/2024",
          "role-ended_on": ""}, PartnerRole),
        ("partneradmin", reverse("partners:contribution_new", args=[partner.pk]), reverse("partners:contribution_new", args=[partner.pk]),
         {"contribution-kind": "talk", "contribution-title": "T", "contribution-date": "22/11/2023", "contribution-goal": goal.pk,
          "contribution-evidence": ""}, Contribution),
    ]


def with_token(client, page, data):
    """The data with the form's one-time token, read from the page that shows the form."""
    html = text_of(client.get(page))
    prefix = next(iter(data)).split("-")[0] + "-" if "-" in next(iter(data)) else ""
    token = re.search(rf'name="{prefix}once" value="([0-9a-f]{{32}})"', html)
    assert token, f"{page} shows no one-time token for {prefix}once"
    return {**data, f"{prefix}once": token.group(1)}


def test_every_create_form_posted_twice_makes_one_record_and_both_posts_get_it(client, make_user, world):
    users = {role: make_user(role) for role in ("qisg", "partneradmin")}
    for role, page, url, data, model in creates(world):
        client.force_login(users[role])
        data = with_token(client, page, data)
        before = model.objects.count()
        first = client.post(url, data)
        second = client.post(url, data)
        assert model.objects.count() == before + 1, url
        assert first.status_code == second.status_code == 302, url
        assert first["Location"] == second["Location"], url


def copy_of(instance, **fields):
    return type(instance)(**{f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields if not f.primary_key}, **fields)


@pytest.mark.parametrize("which, field, message", [
    ("collaborative", "name", "A collaborative with this name already exists"),
    ("measure", "name", "A measure with this name already exists"),
    ("rebase", "date", "The limits are already recalculated from this date"),
    ("cohort", "name", "A cohort with this name already exists"),
])
def test_a_name_or_date_committed_after_the_checks_is_refused_by_its_field(world, which, field, message):
    """The race of two creates: both pass the form's checks, then one INSERT meets the other's committed row."""
    goal, collaborative, measure, partner, cohort = world
    form = {
        "collaborative": lambda: CollaborativeForm(creates(world)[5][3]),
        "measure": lambda: MeasureForm(creates(world)[2][3]),
        "rebase": lambda: RebaseForm(creates(world)[7][3], measure=measure),
        "cohort": lambda: CohortForm(creates(world)[9][3]),
    }[which]()
    assert form.is_valid()
    theirs = form.save(commit=False)
    copy_of(theirs).save()  # someone else's, committed meanwhile
    with transaction.atomic(), pytest.raises(Refused):
        form.save_once()
    assert form.errors == {field: [message]}
    assert type(theirs).objects.filter(**{field: getattr(theirs, field)}).count() == 1


def post_at_once(posts):
    """Each (client, url, data) posted from its own thread, all released together; the responses."""
    barrier = threading.Barrier(len(posts))
    responses = [None] * len(posts)

    def post(i, client, url, data):
        barrier.wait()
        try:
            responses[i] = client.post(url, data)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(i, *p)) for i, p in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent requests need a database that runs them at once")
@pytest.mark.django_db(transaction=True)
def test_ten_identical_posts_at_once_make_one_record_and_no_error(make_user, world):
    qisg = make_user("qisg")
    role, page, url, data, model = creates(world)[0]  # evidence
    data = with_token(logged_in(qisg), page, data)
    codes = [r.status_code for r in post_at_once([(logged_in(qisg), url, data) for _ in range(10)])]
    assert codes == [302] * 10
    assert model.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent requests need a database that runs them at once")
@pytest.mark.django_db(transaction=True)
def test_ten_creates_of_one_name_at_once_make_one_and_tell_the_others_it_already_exists(make_user, world):
    qisg = make_user("qisg")
    role, page, url, data, model = creates(world)[5]  # a collaborative
    posts = []
    for _ in range(10):
        client = logged_in(qisg)
        posts.append((client, url, with_token(client, page, data)))  # ten people, ten forms
    codes = [r.status_code for r in post_at_once(posts)]
    assert sorted(codes) == [200] * 9 + [302]
    assert model.objects.filter(name=data["name"]).count() == 1
