import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from partners.forms import PartnerForm, PartnerRoleForm
from partners.models import ANONYMOUS_CREDIT, Partner, PartnerRole, RoleKind, validate_uk_phone
from partners.privacy import safe_cell
from partners.templatetags.partner_credit import credit

from .factories import CohortFactory, PartnerFactory


@pytest.mark.parametrize("number", ["01632 960 123", "01632960123", "+44 1632 960123", "07700 900123", "0113 243 3144"])
def test_uk_phone_numbers_in_any_spacing_are_accepted(number):
    validate_uk_phone(number)


@pytest.mark.parametrize("number", ["123", "01632-960-123", "+1 555 0100", "=1+1", "0163296012345", "phone me"])
def test_other_phone_numbers_are_refused(number):
    with pytest.raises(ValidationError):
        validate_uk_phone(number)


def _form(**overrides):
    cohort = CohortFactory()
    data = {"full_name": "Siobhán O'Neill-Nguyễn", "display_name": "Siobhán", "cohort": cohort.pk, "email": "s@example.org",
            "phone": "01632 960 001", "joined_on": "01/04/2022", "credit_consent": "False", "consent_recorded_on": "", "learner": ""}
    return PartnerForm({**data, **overrides})


def test_names_are_free_text_in_any_script(db):
    form = _form(full_name="  Nguyễn Thị Lan D'Arcy-李  ")
    assert form.is_valid(), form.errors
    assert form.save().full_name == "Nguyễn Thị Lan D'Arcy-李"


def test_the_email_and_phone_are_validated(db):
    form = _form(email="not-an-email", phone="call me")
    assert not form.is_valid()
    assert form.errors["email"] == ["Enter an email address like name@example.org"]
    assert "UK phone number" in form.errors["phone"][0]


def test_consent_needs_the_date_it_was_recorded(db):
    form = _form(credit_consent="True")
    assert form.errors["consent_recorded_on"] == ["Enter the date consent was recorded"]
    assert _form(credit_consent="True", consent_recorded_on="02/04/2022").is_valid()


def test_the_database_refuses_consent_without_a_date(db):
    with pytest.raises(IntegrityError):
        PartnerFactory(credit_consent=True, consent_recorded_on=None)


def test_a_collaborative_role_needs_its_collaborative_and_a_committee_role_its_committee(db):
    partner = PartnerFactory()
    form = PartnerRoleForm({"role-kind": RoleKind.COLLABORATIVE_MEMBER, "role-started_on": "01/01/2023"}, partner=partner)
    assert form.errors["collaborative"] == ["Select the QI collaborative"]
    form = PartnerRoleForm({"role-kind": RoleKind.COMMITTEE_MEMBER, "role-started_on": "01/01/2023"}, partner=partner)
    assert form.errors["committee"] == ["Enter the committee's name"]
    form = PartnerRoleForm({"role-kind": RoleKind.QISG_CORE_MEMBER, "role-committee": "ignored", "role-started_on": "01/01/2023",
                            "role-ended_on": "01/12/2022"}, partner=partner)
    assert form.errors["ended_on"] == ["The role must end on or after the day it starts"]


def test_the_database_refuses_a_collaborative_role_without_a_collaborative(db):
    with pytest.raises(IntegrityError):
        PartnerRole.objects.create(partner=PartnerFactory(), kind=RoleKind.COLLABORATIVE_MEMBER, started_on=datetime.date(2023, 1, 1))


@pytest.mark.parametrize(
    "consent, erased, expected",
    [(True, None, "Margaret"), (False, None, ANONYMOUS_CREDIT), (True, datetime.date(2024, 1, 1), ANONYMOUS_CREDIT)],
)
def test_a_partner_is_credited_by_name_only_with_consent_and_never_once_erased(db, consent, erased, expected):
    partner = PartnerFactory(display_name="Margaret", credit_consent=consent,
                             consent_recorded_on=datetime.date(2022, 4, 1) if consent else None, erased_on=erased)
    assert partner.credit_name == expected
    assert credit(partner) == expected


def test_active_and_left_follow_the_dates(db):
    today = datetime.date.today()
    active = PartnerFactory(joined_on=today - datetime.timedelta(days=10))
    left = PartnerFactory(joined_on=datetime.date(2022, 1, 1), left_on=today)
    not_yet = PartnerFactory(joined_on=today + datetime.timedelta(days=3))
    assert list(Partner.objects.active()) == [active]
    assert list(Partner.objects.left()) == [left]
    assert not_yet.is_active is False and left.is_active is False and active.is_active is True


@pytest.mark.parametrize("text, expected", [("=SUM(A1)", "'=SUM(A1)"), ("+44 1632", "'+44 1632"), ("-1", "'-1"),
                                            ("@cmd", "'@cmd"), ("plain", "plain"), (None, ""), (True, "yes"), (3, "3")])
def test_csv_cells_are_neutralised_against_formulas(text, expected):
    assert safe_cell(text) == expected
