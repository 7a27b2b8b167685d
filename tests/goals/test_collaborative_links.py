"""Evidence links to a collaborative from its form; members and partner roles join active collaboratives only."""

import datetime

import pytest
from django.urls import reverse

from goals.models import Collaborative, CollaborativeMember, EvidenceItem
from partners.models import PartnerRole, RoleKind

from ..factories import AmbitionFactory, GoalFactory
from ..helpers import HTMX, text_of
from ..partners.factories import PartnerFactory


@pytest.fixture
def collaboratives(db):
    goal1 = GoalFactory(number=1)
    falls = Collaborative.objects.create(name="Falls", goal=goal1, aim="Fewer falls", prompted_by="harm_data",
                                         started_on=datetime.date(2021, 10, 1), stepped_down_on=datetime.date(2023, 6, 14),
                                         step_down_reason="Improvements sustained")
    discharge = Collaborative.objects.create(name="Discharge", goal=goal1, aim="Home sooner", prompted_by="harm_data",
                                             started_on=datetime.date(2022, 7, 1))
    return {"falls": falls, "discharge": discharge, "goal": goal1}


def evidence(collaborative, ambition="", **overrides):
    return {"kind": "data", "date": "05/10/2023", "title": "Discharge before noon up 12%", "summary": "Run chart.",
            "link": "", "ambition": ambition, "collaborative": collaborative.pk, **overrides}


@pytest.mark.parametrize("inline", [False, True], ids=["plain", "htmx"])
def test_evidence_linked_from_its_form_is_listed_on_the_collaborative_page(qisg_client, collaboratives, inline):
    discharge, goal = collaboratives["discharge"], collaboratives["goal"]
    ambition = AmbitionFactory(goal=goal, text="Every collaborative shows measurable improvement")
    response = qisg_client.post(reverse("goals:evidence_new", args=[1]), evidence(discharge, ambition.pk), **(HTMX if inline else {}))
    assert response.status_code == (200 if inline else 302)
    item = EvidenceItem.objects.get()
    assert item.collaborative == discharge and item.ambition == ambition
    page = text_of(qisg_client.get(reverse("goals:collaborative_detail", args=[discharge.pk])))
    assert "Discharge before noon up 12%</a>" in page
    assert "ambition: Every collaborative shows measurable improvement" in page
    assert "None recorded" not in page.split('Evidence</h2>')[1]
    goal_page = text_of(qisg_client.get(reverse("goals:goal_detail", args=[1])))
    assert f'href="/programme/collaboratives/{discharge.pk}/">Discharge collaborative</a>' in goal_page


def test_the_evidence_form_offers_active_collaboratives_first_and_says_which_stepped_down(qisg_client, collaboratives):
    html = text_of(qisg_client.get(reverse("goals:evidence_new", args=[1])))
    choices = html.split('name="collaborative"')[1].split("</select>")[0]
    assert choices.index(">Discharge<") < choices.index(">Falls (stepped down 14/06/2023)<")


def test_evidence_cannot_be_dated_before_its_collaborative_started(qisg_client, collaboratives):
    html = text_of(qisg_client.post(reverse("goals:evidence_new", args=[1]),
                                    evidence(collaboratives["discharge"], date="01/03/2022"), **HTMX))
    assert 'id="id_collaborative-error"' in html
    assert "Discharge started on 01/07/2022: evidence of it cannot be dated before that" in html
    assert not EvidenceItem.objects.exists()


def test_a_board_member_cannot_link_evidence(board_client, collaboratives):
    response = board_client.post(reverse("goals:evidence_new", args=[1]), evidence(collaboratives["discharge"]), **HTMX)
    assert response.status_code == 403 and not EvidenceItem.objects.exists()


@pytest.mark.parametrize("inline", [False, True], ids=["plain", "htmx"])
def test_no_member_joins_a_stepped_down_collaborative(qisg_client, collaboratives, inline):
    falls = collaboratives["falls"]
    page = text_of(qisg_client.get(reverse("goals:collaborative_detail", args=[falls.pk])))
    assert "Falls stepped down on 14/06/2023: members can be added only to an active collaborative." in page
    assert 'name="member-name"' not in page
    response = qisg_client.post(reverse("goals:member_add", args=[falls.pk]), {"member-name": "Sister Example"},
                                **(HTMX if inline else {}))
    assert response.status_code == 200
    assert "Falls stepped down on 14/06/2023: members can be added only to an active collaborative" in text_of(response)
    assert "There is a problem" in text_of(response)
    assert not CollaborativeMember.objects.exists()


def test_a_member_joins_an_active_collaborative(qisg_client, collaboratives):
    discharge = collaboratives["discharge"]
    response = qisg_client.post(reverse("goals:member_add", args=[discharge.pk]), {"member-name": "Sister Example"})
    assert response.status_code == 302 and discharge.members.get().name == "Sister Example"


def test_a_board_member_adds_no_member(board_client, collaboratives):
    response = board_client.post(reverse("goals:member_add", args=[collaboratives["discharge"].pk]), {"member-name": "X"})
    assert response.status_code == 403 and not CollaborativeMember.objects.exists()


@pytest.mark.parametrize("start, end, field, message", [
    ("01/07/2023", "", "collaborative", "Falls stepped down on 14/06/2023: a role on it must start while it is active"),
    ("01/09/2021", "", "collaborative", "Falls started on 01/10/2021: a role on it must start while it is active"),
    ("01/01/2023", "01/09/2023", "ended_on", "Falls stepped down on 14/06/2023: the role must end by then"),
])
@pytest.mark.parametrize("inline", [False, True], ids=["plain", "htmx"])
def test_a_partner_role_is_only_on_a_collaborative_active_at_the_time(client, make_user, collaboratives, start, end, field, message, inline):
    client.force_login(make_user("partneradmin"))
    partner = PartnerFactory()
    response = client.post(reverse("partners:role_new", args=[partner.pk]), {
        "role-kind": RoleKind.COLLABORATIVE_MEMBER, "role-collaborative": collaboratives["falls"].pk,
        "role-started_on": start, "role-ended_on": end}, **(HTMX if inline else {}))
    html = text_of(response)
    assert response.status_code == 200
    assert f'id="id_role-{field}-error"' in html and message in html
    assert not PartnerRole.objects.exists()


def test_a_partner_role_on_a_collaborative_while_it_was_active_is_kept(client, make_user, collaboratives):
    client.force_login(make_user("partneradmin"))
    partner = PartnerFactory()
    response = client.post(reverse("partners:role_new", args=[partner.pk]), {
        "role-kind": RoleKind.COLLABORATIVE_MEMBER, "role-collaborative": collaboratives["falls"].pk,
        "role-started_on": "01/01/2023", "role-ended_on": "14/06/2023"})
    assert response.status_code == 302
    assert PartnerRole.objects.get().collaborative == collaboratives["falls"]
