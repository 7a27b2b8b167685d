import datetime

import pytest
from django.urls import reverse

from partners.models import AccessAction, Contribution, ContributionKind, Partner, PartnerAccessLog, PartnerRole, RoleKind

from ..factories import EvidenceFactory, GoalFactory
from ..helpers import HTMX, text_of
from .factories import CohortFactory, PartnerFactory, RoleFactory

LIST = reverse("partners:partner_list")


@pytest.fixture
def people(db):
    first, second = CohortFactory(name="2022 cohort"), CohortFactory(name="October 2023 cohort")
    margaret = PartnerFactory(full_name="Margaret Ellison", display_name="Margaret", cohort=first)
    RoleFactory(partner=margaret, kind=RoleKind.QISG_CORE_MEMBER)
    harold = PartnerFactory(full_name="Harold Sutcliffe", display_name="Harold", cohort=first, left_on=datetime.date(2022, 10, 31))
    amara = PartnerFactory(full_name="Amara Nwosu", display_name="Amara", cohort=second)
    return {"first": first, "second": second, "margaret": margaret, "harold": harold, "amara": amara}


def names_in(response):
    html = text_of(response)
    return sorted(name for name in ["Margaret Ellison", "Harold Sutcliffe", "Amara Nwosu"] if name in html)


def test_the_list_filters_by_name_cohort_status_and_role(partner_admin_client, people):
    client = partner_admin_client
    assert names_in(client.get(LIST)) == ["Amara Nwosu", "Harold Sutcliffe", "Margaret Ellison"]
    assert names_in(client.get(LIST, {"q": "ellis"})) == ["Margaret Ellison"]
    assert names_in(client.get(LIST, {"cohort": people["second"].pk})) == ["Amara Nwosu"]
    assert names_in(client.get(LIST, {"status": "left"})) == ["Harold Sutcliffe"]
    assert names_in(client.get(LIST, {"status": "active", "cohort": people["first"].pk})) == ["Margaret Ellison"]
    assert names_in(client.get(LIST, {"role": RoleKind.QISG_CORE_MEMBER})) == ["Margaret Ellison"]


def test_with_htmx_the_list_answers_with_its_results_fragment_only(partner_admin_client, people):
    response = partner_admin_client.get(LIST, {"q": "amara"}, **HTMX)
    html = text_of(response)
    assert html.lstrip().startswith('<div id="partner-results">')
    assert "<html" not in html and 'role="search"' not in html
    assert names_in(response) == ["Amara Nwosu"]
    assert "1 partner matches the filter" in html


def test_without_htmx_the_filtered_url_gives_the_whole_page_with_the_filter_filled_in(partner_admin_client, people):
    response = partner_admin_client.get(LIST, {"q": "Amara", "status": "active", "cohort": people["second"].pk})
    html = text_of(response)
    assert "<html" in html and 'role="search"' in html
    assert 'value="Amara"' in html
    assert '<option value="active" selected>' in html
    assert f'<option value="{people["second"].pk}" selected>' in html
    assert 'hx-push-url="true"' in html and 'hx-trigger="input changed delay:300ms, search"' in html


def test_a_history_restore_gets_the_whole_page(partner_admin_client, people):
    response = partner_admin_client.get(LIST, {"q": "amara"}, **HTMX, HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in text_of(response)


def _new_partner(cohort, **overrides):
    return {"full_name": "Zoë Ashworth-Hughes", "display_name": "Zoë", "cohort": cohort.pk, "email": "zoe@example.org",
            "phone": "01632 960 555", "joined_on": "02/10/2023", "credit_consent": "True", "consent_recorded_on": "02/10/2023",
            "learner": "", **overrides}


def test_a_partner_admin_adds_a_partner_inline(partner_admin_client, people):
    response = partner_admin_client.post(reverse("partners:partner_new"), _new_partner(people["second"]), **HTMX)
    partner = Partner.objects.get(full_name="Zoë Ashworth-Hughes")
    html = text_of(response)
    assert html.startswith('<div id="new-partner"></div>')
    assert f'id="partner-{partner.pk}"' in html and "autofocus" in html
    assert partner.credit_consent and partner.consent_recorded_on == datetime.date(2023, 10, 2)
    assert partner.changes.get().history_user.username == "partneradmin"


def test_without_javascript_adding_a_partner_redirects_to_their_page(partner_admin_client, people):
    response = partner_admin_client.post(reverse("partners:partner_new"), _new_partner(people["second"]))
    partner = Partner.objects.get(full_name="Zoë Ashworth-Hughes")
    assert response.status_code == 302 and response["Location"] == reverse("partners:partner_detail", args=[partner.pk])


def test_inline_errors_come_back_in_the_fragment_with_status_200(partner_admin_client, people):
    response = partner_admin_client.post(reverse("partners:partner_new"), _new_partner(people["second"], email="nope", full_name=""), **HTMX)
    html = text_of(response)
    assert response.status_code == 200
    assert html.lstrip().startswith('<div class="app-inline-form" id="new-partner">')
    assert "Enter their full name" in html and "Enter an email address like name@example.org" in html


def test_editing_a_partner_inline_swaps_the_details(partner_admin_client, people):
    margaret = people["margaret"]
    data = _new_partner(margaret.cohort, full_name="Margaret Ellison-Brown", email="margaret@example.org", joined_on="01/04/2022")
    response = partner_admin_client.post(reverse("partners:partner_edit", args=[margaret.pk]), {**data, "version": margaret.version}, **HTMX)
    assert text_of(response).lstrip().startswith('<section class="app-item" id="partner-details"')
    margaret.refresh_from_db()
    assert margaret.full_name == "Margaret Ellison-Brown"


def test_marking_a_partner_as_left_ends_their_open_roles(partner_admin_client, people):
    margaret = people["margaret"]
    response = partner_admin_client.post(reverse("partners:partner_leave", args=[margaret.pk]), {"left_on": "31/12/2023"})
    assert response.status_code == 302
    margaret.refresh_from_db()
    assert margaret.left_on == datetime.date(2023, 12, 31)
    assert margaret.roles.get().ended_on == datetime.date(2023, 12, 31)
    response = partner_admin_client.post(reverse("partners:partner_leave", args=[margaret.pk]), {"left_on": "01/01/2020"})
    assert "the date they left must be on or after that" in text_of(response)


def test_roles_and_contributions_are_added_inline(partner_admin_client, people):
    margaret = people["margaret"]
    goal = GoalFactory(number=2)
    evidence = EvidenceFactory(goal=goal, title="Presented with a quality partner at the 2022 Patient Safety Congress")
    response = partner_admin_client.post(reverse("partners:role_new", args=[margaret.pk]), {
        "role-kind": RoleKind.COMMITTEE_MEMBER, "role-committee": "Patient Experience Group", "role-started_on": "01/02/2023"}, **HTMX)
    role = PartnerRole.objects.get(committee="Patient Experience Group")
    assert text_of(response).startswith('<div id="new-role"></div>') and f'id="role-{role.pk}"' in text_of(response)
    response = partner_admin_client.post(reverse("partners:contribution_new", args=[margaret.pk]), {
        "contribution-kind": ContributionKind.TALK, "contribution-title": "2022 Patient Safety Congress",
        "contribution-date": "22/11/2022", "contribution-goal": goal.pk, "contribution-evidence": evidence.pk}, **HTMX)
    contribution = Contribution.objects.get()
    assert contribution.evidence == evidence and contribution.partner == margaret
    assert f'id="contribution-{contribution.pk}"' in text_of(response)


def test_a_contribution_links_only_to_evidence_of_its_goal(partner_admin_client, people):
    goal2, goal3 = GoalFactory(number=2), GoalFactory(number=3)
    elsewhere = EvidenceFactory(goal=goal3)
    response = partner_admin_client.post(reverse("partners:contribution_new", args=[people["margaret"].pk]), {
        "contribution-kind": ContributionKind.OTHER, "contribution-title": "x", "contribution-date": "22/11/2022",
        "contribution-goal": goal2.pk, "contribution-evidence": elsewhere.pk})
    assert "Choose evidence of the selected goal, or none" in text_of(response)


def test_every_look_at_a_partner_is_in_the_access_log(partner_admin_client, admin_user, people):
    margaret = people["margaret"]
    partner_admin_client.get(reverse("partners:partner_detail", args=[margaret.pk]))
    partner_admin_client.get(reverse("partners:partner_export", args=[margaret.pk, "csv"]))
    log = list(PartnerAccessLog.objects.filter(partner=margaret).order_by("at", "id").values_list("user", "action", "detail"))
    assert log == [(admin_user.pk, AccessAction.VIEWED, ""), (admin_user.pk, AccessAction.EXPORTED, "CSV")]
    html = text_of(partner_admin_client.get(reverse("partners:partner_history", args=[margaret.pk])))
    assert "Exported (CSV)" in html and "Viewed" in html


@pytest.mark.parametrize("role", ["board", "qisg"])
def test_other_roles_get_403_with_nothing_of_the_partner(client, make_user, people, role):
    client.force_login(make_user(role))
    margaret = people["margaret"]
    for name, args in [("partners:partner_list", []), ("partners:partner_detail", [margaret.pk]),
                       ("partners:partner_export", [margaret.pk, "json"]), ("partners:partner_history", [margaret.pk])]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 403
        assert margaret.full_name not in text_of(response) and margaret.email not in text_of(response)
    assert not PartnerAccessLog.objects.exists()
    assert "Quality partners</a>" not in text_of(client.get(reverse("goals:overview")))


def test_the_export_is_refused_for_an_unknown_format(partner_admin_client, people):
    assert partner_admin_client.get(reverse("partners:partner_export", args=[people["margaret"].pk, "xml"])).status_code == 404


def test_the_list_comes_in_pages_of_20_with_the_filter_kept_in_the_page_links(partner_admin_client):
    cohort = CohortFactory()
    PartnerFactory.create_batch(30, cohort=cohort)
    first = text_of(partner_admin_client.get(reverse("partners:partner_list"), {"cohort": cohort.pk}))
    assert first.count('class="app-item"') == 20
    assert "30 partners match" in first
    assert f'href="?cohort={cohort.pk}&amp;page=2"' in first
    second = text_of(partner_admin_client.get(reverse("partners:partner_list"), {"cohort": cohort.pk, "page": 2}))
    assert second.count('class="app-item"') == 10


@pytest.mark.parametrize("data, field, message", [
    ({"role-kind": RoleKind.QISG_CORE_MEMBER, "role-started_on": "tomorrow"}, "started_on", "The date the role started must be today or in the past"),
    ({"role-kind": RoleKind.QISG_CORE_MEMBER, "role-started_on": "01/02/2023", "role-ended_on": "tomorrow"}, "ended_on",
     "The date the role ended must be today or in the past"),
])
@pytest.mark.parametrize("inline", [False, True], ids=["plain", "htmx"])
def test_a_role_cannot_start_or_end_in_the_future(partner_admin_client, people, data, field, message, inline):
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    data = {k: tomorrow if v == "tomorrow" else v for k, v in data.items()}
    margaret = people["margaret"]
    response = partner_admin_client.post(reverse("partners:role_new", args=[margaret.pk]), data, **(HTMX if inline else {}))
    assert response.status_code == 200
    assert f'id="id_role-{field}-error"' in text_of(response) and message in text_of(response)
    assert margaret.roles.count() == 1


def test_a_partner_cannot_leave_in_the_future(partner_admin_client, people):
    margaret = people["margaret"]
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    response = partner_admin_client.post(reverse("partners:partner_leave", args=[margaret.pk]), {"left_on": tomorrow})
    assert "The date they left must be today or in the past" in text_of(response)
    margaret.refresh_from_db()
    assert margaret.left_on is None and margaret.roles.get().ended_on is None
