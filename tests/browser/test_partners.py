import pytest
from playwright.sync_api import expect

from partners.models import Partner

from ..partners.factories import CohortFactory, PartnerFactory
from .conftest import axe_violations, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tab_to(page, element_id, most=30):
    """Press Tab until the element with `element_id` has focus (the keyboard is the only way in)."""
    for _ in range(most):
        if page.evaluate("document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached #{element_id}")


@pytest.fixture
def cohorts(make_user):
    make_user("partneradmin")
    first = CohortFactory(name="2022 cohort")
    CohortFactory(name="October 2023 cohort", recruited_on="2023-10-02")
    PartnerFactory(full_name="Margaret Ellison", display_name="Margaret", cohort=first)
    PartnerFactory(full_name="Harold Sutcliffe", display_name="Harold", cohort=first, left_on="2022-10-31")


def results(page):
    return page.locator("#partner-results article h2 a").all_inner_texts()


def test_a_partner_admin_adds_a_partner_inline_with_the_keyboard_alone(open_page, cohorts):
    page = open_page()
    log_in(page, "partneradmin")
    page.goto("/partners/")
    page.evaluate("window.pageWasNotReloaded = true")
    page.focus("text=Add a partner")
    page.keyboard.press("Enter")
    page.wait_for_selector("#new-partner form")
    # htmx moves the focus to the form's heading once the swap settles: wait for it before typing
    page.wait_for_function("() => document.activeElement && document.activeElement.matches('#new-partner h2')", timeout=5000)
    assert axe_violations(page) == []
    tab_to(page, "id_full_name")
    page.keyboard.type("Zoë Ashworth-Hughes")
    page.keyboard.press("Tab")
    page.keyboard.type("Zoë")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_cohort"
    page.keyboard.press("ArrowDown")  # the newest cohort comes first
    tab_to(page, "id_email")
    page.keyboard.type("zoe@example")  # not an address yet: the error comes back inline
    page.keyboard.press("Tab")
    page.keyboard.type("01632 960 555")
    page.keyboard.press("Tab")
    page.keyboard.type("02/10/2023")
    for _ in range(20):
        if page.evaluate("document.activeElement.textContent") == "Save partner":
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector("#id_email-error")
    assert "Enter an email address like name@example.org" in page.locator("#id_email-error").inner_text()
    assert axe_violations(page) == []
    page.focus("#id_email")
    page.keyboard.press("End")
    page.keyboard.type(".org")
    tab_to(page, "id_credit_consent_1")  # Tab enters the radio group at its checked "No"
    page.keyboard.press("ArrowLeft")  # "Yes": they consent to be credited by name
    assert page.evaluate("document.activeElement.id") == "id_credit_consent_0"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_consent_recorded_on"
    page.keyboard.type("02/10/2023")
    for _ in range(10):
        if page.evaluate("document.activeElement.textContent") == "Save partner":
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    partner_link = page.locator("article >> text=Zoë Ashworth-Hughes")
    partner_link.wait_for()
    partner = Partner.objects.get(full_name="Zoë Ashworth-Hughes")
    assert (partner.email, partner.phone, partner.cohort.name, partner.credit_consent) == (
        "zoe@example.org", "01632 960 555", "October 2023 cohort", True)
    assert page.evaluate("window.pageWasNotReloaded") is True
    # htmx moves the focus to the new partner once the swap has settled
    page.wait_for_function(f"() => document.activeElement && document.activeElement.id === 'partner-{partner.pk}'", timeout=5000)
    screenshot(page, "partners-after-inline-add")
    assert page.errors == []


def test_a_partner_admin_filters_the_list_with_the_keyboard_and_the_url_keeps_the_filter(open_page, cohorts):
    page = open_page()
    log_in(page, "partneradmin")
    page.goto("/partners/")
    page.evaluate("window.pageWasNotReloaded = true")
    assert sorted(results(page)) == ["Harold Sutcliffe", "Margaret Ellison"]
    tab_to(page, "id_q", most=60)
    page.keyboard.type("marg")
    page.wait_for_url("**/partners/?*q=marg*")
    expect(page.locator("#partner-results article")).to_have_count(1)
    assert results(page) == ["Margaret Ellison"]
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    expect(page.locator("#partner-results article")).to_have_count(2)
    tab_to(page, "id_status")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # "Left"
    page.wait_for_url("**status=left*")
    expect(page.locator("#partner-results article")).to_have_count(1)
    assert results(page) == ["Harold Sutcliffe"]
    assert page.evaluate("window.pageWasNotReloaded") is True
    assert "1 partner matches the filter" in page.locator("#partner-results [role=status]").inner_text()
    assert axe_violations(page) == []
    screenshot(page, "partners-filtered")

    bookmarked = page.url
    page.goto(bookmarked)  # a bookmark of the filtered list opens it filtered
    assert results(page) == ["Harold Sutcliffe"]
    assert page.locator("#id_status").input_value() == "left"
    page.go_back()
    expect(page.locator("#partner-results article")).to_have_count(1)
    assert page.errors == []
