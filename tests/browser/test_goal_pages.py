import pytest

from goals.models import EvidenceItem

from ..factories import EvidenceFactory, GoalFactory, ProgressUpdateFactory
from ..test_access import ACCESS, sample_urls  # noqa: F401 (a fixture)
from .conftest import axe_violations, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def goal_three(make_user):
    goal = GoalFactory(number=3, title="Developing our workforce improvement skills and capability")
    goal.ambitions.create(text="Every member of staff has the improvement skills their role needs.")
    ProgressUpdateFactory(goal=goal)
    EvidenceFactory(goal=goal, title="620 staff completed LIM Foundation training")
    return goal


def test_a_qisg_member_adds_evidence_inline_without_a_page_reload(open_page, make_user, goal_three):
    make_user("qisg")
    page = open_page()
    log_in(page, "qisg")
    page.goto("/goals/3/")
    page.evaluate("window.pageWasNotReloaded = true")

    page.click("text=Add evidence")
    page.wait_for_selector("#new-evidence form")
    page.select_option("#id_kind", "award")
    page.fill("#id_date", "2023-10-05")
    page.fill("#id_title", "Discharge collaborative won a national prize")
    page.fill("#id_summary", "The Discharge QI collaborative won a national prize.")
    page.click("text=Save evidence")

    item = EvidenceItem.objects.filter(title="Discharge collaborative won a national prize")
    page.wait_for_selector("text=Discharge collaborative won a national prize")
    assert item.count() == 1
    assert page.evaluate("window.pageWasNotReloaded") is True
    assert page.locator(f"#evidence-{item.get().pk}").is_visible()
    assert page.locator("#new-evidence form").count() == 0
    # htmx moves the focus to the new item once the swap has settled
    page.wait_for_function(f"() => document.activeElement && document.activeElement.id === 'evidence-{item.get().pk}'", timeout=5000)
    screenshot(page, "goal-page-after-inline-add")
    assert page.errors == []


def test_inline_errors_appear_next_to_the_field_and_take_focus(open_page, make_user, goal_three):
    make_user("qisg")
    page = open_page()
    log_in(page, "qisg")
    page.goto("/goals/3/")
    page.click("text=Add evidence")
    page.wait_for_selector("#new-evidence form")
    page.fill("#id_link", "javascript:alert(1)")
    page.click("text=Save evidence")
    page.wait_for_selector(".nhsuk-error-summary")
    assert " ".join(page.locator("#id_title-error").inner_text().split()) == "Error: Enter a title"
    assert "http:// or https://" in page.locator("#id_link-error").inner_text()
    assert page.evaluate("document.activeElement.classList.contains('nhsuk-error-summary')")
    assert EvidenceItem.objects.count() == 1
    assert axe_violations(page) == []
    assert page.errors == []


def test_the_inline_form_works_from_the_keyboard_alone(open_page, make_user, goal_three):
    make_user("qisg")
    page = open_page()
    log_in(page, "qisg")
    page.goto("/goals/3/")
    page.focus("text=Add evidence")
    page.keyboard.press("Enter")
    page.wait_for_selector("#new-evidence form")
    # htmx moves the focus to the form's heading once the swap settles: wait for it, or the keys below go astray
    page.wait_for_function("() => document.activeElement && document.activeElement.matches('#new-evidence h2')", timeout=5000)
    for key in ["Tab", "ArrowDown"]:  # from the form's heading to the kind; choose the first kind
        page.keyboard.press(key)
    assert page.evaluate("document.activeElement.id") == "id_kind"
    page.keyboard.press("Tab")
    page.keyboard.type("01/06/2023")
    page.keyboard.press("Tab")
    page.keyboard.type("Presented at a national conference")
    page.keyboard.press("Tab")
    page.keyboard.type("Shared our learning.")
    for _ in range(6):  # on through the optional fields to the Save button
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Save evidence":
            break
    assert page.evaluate("document.activeElement.textContent") == "Save evidence"
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Presented at a national conference")
    assert EvidenceItem.objects.filter(title="Presented at a national conference").exists()


def test_with_javascript_off_the_same_form_works_as_a_plain_post(open_page, make_user, goal_three):
    make_user("qisg")
    page = open_page(javascript=False)
    log_in(page, "qisg")
    page.goto("/goals/3/")
    page.click("text=Add evidence")
    page.wait_for_url("**/goals/3/evidence/new/")
    page.select_option("#id_kind", "story")
    page.fill("#id_date", "2023-04-01")
    page.fill("#id_title", "A ward's story")
    page.fill("#id_summary", "How the ward cut falls.")
    page.click("text=Save evidence")
    page.wait_for_url("**/goals/3/#evidence-*")
    assert "A ward's story" in page.content()
    assert "Saved" in page.locator(".nhsuk-notification-banner").inner_text()


def test_a_board_member_sees_no_edit_controls(open_page, make_user, goal_three):
    make_user("board")
    page = open_page()
    log_in(page, "board")
    page.goto("/goals/3/")
    assert page.locator("text=Add evidence").count() == 0
    assert page.locator("a:has-text('Edit')").count() == 0
    assert page.get_by_role("heading", name="620 staff completed LIM Foundation training").is_visible()


def test_every_page_passes_axe_with_no_console_errors(open_page, make_user, sample_urls):
    """Every page of the URL conf that returns HTML, seen as the site admin (who sees every control)."""
    make_user("admin")
    page = open_page()
    page.goto("/login/")
    problems = {"/login/": axe_violations(page)}
    log_in(page, "admin")
    for name, (get_expected, _) in ACCESS.items():
        if get_expected["admin"] != 200 or name in {"login", "healthz"}:
            continue
        url = sample_urls[name]
        if "text/html" not in page.request.get(url).headers.get("content-type", ""):
            continue  # a download (CSV, JSON, PDF)
        page.goto(url)
        problems[url] = axe_violations(page)
        screenshot(page, name.replace(":", "-"))
    for url in ["/goals/99/"]:
        page.goto(url)
        problems[url] = axe_violations(page)
    # the error state of a whole-page form
    page.goto(sample_urls["goals:update_new"])
    page.click("text=Save update")
    page.wait_for_selector(".nhsuk-error-summary")
    problems["update form with errors"] = axe_violations(page)
    assert {url: found for url, found in problems.items() if found} == {}
    assert [e for e in page.errors if "404" not in e] == []
