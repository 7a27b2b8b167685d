import datetime

import factory

from partners.models import Cohort, Contribution, ContributionKind, Partner, PartnerRole, RoleKind

from ..factories import GoalFactory


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Cohort {n}")
    recruited_on = datetime.date(2022, 3, 1)
    intake_target = 12


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    full_name = factory.Sequence(lambda n: f"Róisín O'Connor-Smith {n}")
    display_name = factory.Sequence(lambda n: f"Róisín {n}")
    email = factory.Sequence(lambda n: f"partner{n}@example.org")
    phone = factory.Sequence(lambda n: f"01632 960{n % 1000:03d}")
    cohort = factory.SubFactory(CohortFactory)
    joined_on = datetime.date(2022, 4, 1)
    credit_consent = False


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerRole

    partner = factory.SubFactory(PartnerFactory)
    kind = RoleKind.QISG_CORE_MEMBER
    started_on = datetime.date(2023, 1, 11)


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contribution

    partner = factory.SubFactory(PartnerFactory)
    kind = ContributionKind.TALK
    title = factory.Sequence(lambda n: f"Talk {n}")
    date = datetime.date(2022, 11, 22)
    goal = factory.SubFactory(GoalFactory, number=2)


def access_table_args(goal):
    """Arguments for the partner URLs in tests/test_access.py's table."""
    partner = PartnerFactory()
    RoleFactory(partner=partner)
    ContributionFactory(partner=partner, goal=goal)
    pk = [partner.pk]
    return {
        **dict.fromkeys(["partner_detail", "partner_edit", "partner_leave", "role_new", "contribution_new",
                         "partner_history", "partner_erase"], pk),
        "partner_export": [partner.pk, "json"],
        "cohort_edit": [partner.cohort.pk],
    }
