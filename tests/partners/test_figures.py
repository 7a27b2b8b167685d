import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from improvement.core.periods import month_ends
from partners.figures import goal2_figures
from partners.models import ContributionKind, RoleKind
from training.models import Completion, Course, Learner

from ..factories import EvidenceFactory, GoalFactory
from ..helpers import text_of
from .factories import CohortFactory, ContributionFactory, PartnerFactory, RoleFactory

FIGURES = reverse("partners:figures")
TODAY = datetime.date.today()


def make_partners(count, goal, start=0):
    cohort = CohortFactory(name=f"Cohort of {count} from {start}")
    course, _ = Course.objects.get_or_create(name="LIM Foundation", kind="foundation")
    for i in range(start, start + count):
        learner = Learner.objects.create(staff_number=f"QP{i:05d}", name=f"Learner {i}", staff_group="quality_partner")
        Completion.objects.create(learner=learner, course=course, completed_on=datetime.date(2023, 1, 1))
        partner = PartnerFactory(cohort=cohort, learner=learner if i % 2 == 0 else None, joined_on=datetime.date(2022, 4, 1),
                                 left_on=datetime.date(2023, 6, 30) if i % 5 == 0 else None)
        RoleFactory(partner=partner, kind=RoleKind.COMMITTEE_MEMBER, committee=f"Committee {i % 3}", started_on=datetime.date(2022, 5, 1))
        ContributionFactory(partner=partner, goal=goal, kind=ContributionKind.TALK, date=datetime.date(2023, 1, 1))


def test_the_figures_count_the_records(db):
    goal = GoalFactory(number=2)
    make_partners(10, goal)
    figures = goal2_figures(as_at=datetime.date(2023, 10, 31))
    assert (figures.ever, figures.active, figures.left, figures.trained) == (10, 8, 2, 5)
    assert [(c.partners, c.active) for c in figures.cohorts] == [(10, 8)]
    assert {r.label: (r.current, r.ever) for r in figures.roles}["Quality committee member"] == (10, 10)
    assert figures.committees == ["Committee 0", "Committee 1", "Committee 2"]
    assert figures.contributions_total == 10
    by_month = {row.month_end: (row.active, row.contributions_to_date) for row in figures.over_time}
    assert by_month[datetime.date(2022, 4, 30)] == (10, 0)
    assert by_month[datetime.date(2023, 6, 30)] == (8, 10)
    assert figures.over_time[-1].month_end == datetime.date(2023, 10, 31)


def test_a_partner_counts_as_trained_only_with_a_qi_course(db):
    learner = Learner.objects.create(staff_number="QP1", name="x", staff_group="quality_partner")
    Completion.objects.create(learner=learner, course=Course.objects.create(name="Fire safety", kind="other"), completed_on=datetime.date(2023, 1, 1))
    PartnerFactory(learner=learner)
    assert goal2_figures().trained == 0


def test_month_ends_run_from_the_first_month_to_the_day():
    assert month_ends(datetime.date(2023, 11, 15), datetime.date(2024, 2, 10), whole_months=False) == [
        datetime.date(2023, 11, 30), datetime.date(2023, 12, 31), datetime.date(2024, 1, 31), datetime.date(2024, 2, 10)]


def test_whole_months_leave_out_the_month_still_running():
    assert month_ends(datetime.date(2023, 11, 15), datetime.date(2024, 2, 10)) == [
        datetime.date(2023, 11, 30), datetime.date(2023, 12, 31), datetime.date(2024, 1, 31)]
    assert month_ends(datetime.date(2024, 1, 1), datetime.date(2024, 2, 29))[-1] == datetime.date(2024, 2, 29)


def test_board_members_see_the_figures_and_names_only_with_consent(board_client):
    goal = GoalFactory(number=2)
    evidence = EvidenceFactory(goal=goal, title="“Can my cannula come out?”")
    dev = PartnerFactory(full_name="Devinder Sahota", display_name="Dev", credit_consent=True, consent_recorded_on=datetime.date(2022, 4, 1),
                         email="dev@example.org", phone="01632 960002")
    siobhan = PartnerFactory(full_name="Siobhán O'Neill", display_name="Siobhán", email="siobhan@example.org", phone="01632 960003")
    ContributionFactory(partner=dev, goal=goal, evidence=evidence, kind=ContributionKind.PATIENT_LED_INTERVENTION, title="Can my cannula come out?")
    ContributionFactory(partner=siobhan, goal=goal, title="2022 Patient Safety Congress")
    html = text_of(board_client.get(FIGURES))
    assert "by Dev" in html and "by a quality partner" in html
    for personal in ["Devinder", "Sahota", "Siobhán", "O&#x27;Neill", "dev@example.org", "siobhan@example.org", "01632 960002", "01632 960003"]:
        assert personal not in html, personal
    assert 'data-figure="' in html and "Active quality partners and contributions to date" in html


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


# figures: session, user, 2 permission lookups (the menu), the 8 aggregates of partners/figures.py, session save;
# list: session, user, 2 permission lookups, cohorts exist, filter choices, count, page, roles, their collaboratives
@pytest.mark.parametrize("url_name, client_fixture, most", [("partners:figures", "board_client", 15),
                                                            ("partners:partner_list", "partner_admin_client", 12)])
def test_pages_take_a_constant_number_of_queries(request, django_assert_max_num_queries, url_name, client_fixture, most):
    client = request.getfixturevalue(client_fixture)
    goal = GoalFactory(number=2)
    make_partners(3, goal)
    small = _queries(client, reverse(url_name))
    make_partners(40, goal, start=100)
    with django_assert_max_num_queries(small):
        client.get(reverse(url_name))
    with django_assert_max_num_queries(most):
        client.get(reverse(url_name))


def test_a_partner_page_takes_a_constant_number_of_queries(partner_admin_client, django_assert_max_num_queries):
    goal = GoalFactory(number=2)
    make_partners(1, goal)
    from partners.models import Partner

    partner = Partner.objects.get()
    small = _queries(partner_admin_client, reverse("partners:partner_detail", args=[partner.pk]))
    for i in range(20):
        RoleFactory(partner=partner, kind=RoleKind.IMPROVEMENT_EVENT, started_on=datetime.date(2023, 1, 1))
        ContributionFactory(partner=partner, goal=goal)
    with django_assert_max_num_queries(small):
        partner_admin_client.get(reverse("partners:partner_detail", args=[partner.pk]))
