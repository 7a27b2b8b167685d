"""Single sign-on in the browser, against the tests' own OpenID Connect provider (tests/oidc) on 127.0.0.1."""

import pytest

from ..oidc.provider import running_provider
from .conftest import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def live_provider(live_server):
    with running_provider([live_server.url]) as provider:
        yield provider


@pytest.fixture
def sso(settings, live_provider):
    live_provider.settings(settings)
    return live_provider


def sign_in_at_the_provider(page, login):
    page.click("text=Sign in with your organisation account")
    page.wait_for_selector("input[name=login]")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "any")
    page.click("button[type=submit]")


def test_a_board_member_signs_in_with_the_organisation_account_and_out_again(open_page, sso, goal, live_server):
    page = open_page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/login/")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "login-with-single-sign-on")

    sign_in_at_the_provider(page, "alice")
    page.wait_for_url(f"{live_server.url}/**")
    page.goto("/dashboard/")
    assert "Alice Board" in page.inner_text(".nhsuk-header__account")
    assert page.locator("h1").first.is_visible()

    page.click("text=Log out")
    page.wait_for_selector("button[name=logout]")  # the provider asks to confirm
    page.click("button[name=logout]")
    page.wait_for_url(f"{live_server.url}/login/**")
    assert "You have logged out." in page.inner_text("main")
    sign_in_at_the_provider(page, "alice")  # the provider's session ended too: it asks who you are again


def test_someone_without_a_role_is_told_to_ask_their_administrator(open_page, sso, live_server):
    page = open_page()
    page.goto("/login/")
    sign_in_at_the_provider(page, "nadia")
    page.wait_for_url(f"{live_server.url}/login/sso/refused/")
    assert "Ask your administrator" in page.inner_text("main")
    assert axe_violations(page) == []
    screenshot(page, "single-sign-on-no-role")
    page.goto("/dashboard/")
    assert page.url.startswith(f"{live_server.url}/login/")
