import pytest
from django.urls import reverse

from goals.models import EvidenceItem

from ..factories import EvidenceFactory, GoalFactory, MeasureFactory, ProgressUpdateFactory
from ..test_access import url_names
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
    page.wait_for_selector(f"text=Discharge collaborative won a national prize")
    assert item.count() == 1
    assert page.evaluate("window.pageWasNotReloaded") is True
    assert page.locator(f"#evidence-{item.get().pk}").is_visible()
    assert page.locator("#new-evidence form").count() == 0
    assert page.evaluate("document.activeElement.id") == f"evidence-{item.get().pk}"
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
    for key in ["Tab", "ArrowDown"]:  # from the form's heading to the kind; choose the first kind
        page.keyboard.press(key)
    assert page.evaluate("document.activeElement.id") == "id_kind"
    page.keyboard.press("Tab")
    page.keyboard.type("01/06/2023")
    page.keyboard.press("Tab")
    page.keyboard.type("Presented at a national conference")
    page.keyboard.press("Tab")
    page.keyboard.type("Shared our learning.")
    for _ in range(3):  # past the link and the ambition, to the Save button
        page.keyboard.press("Tab")
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


def test_every_page_passes_axe_with_no_console_errors(open_page, make_user, goal_three):
    make_user("qisg")
    evidence = goal_three.evidence.get()
    update = goal_three.updates.get()
    measure = MeasureFactory(goal=goal_three, values=[6.5, 6.8, 6.4, 6.9, 6.6, 6.3, 6.7, 6.5, 5.4, 5.3, 5.5, 5.2, 5.4, 5.3, 5.1])
    args = {"goal_detail": [3], "goal_history": [3], "evidence_new": [3], "update_new": [3],
            "evidence_edit": [evidence.pk], "evidence_history": [evidence.pk],
            "update_edit": [update.pk], "update_history": [update.pk],
            **dict.fromkeys(["measure_detail", "measure_edit", "measure_import"], [measure.pk])}
    page = open_page()
    page.goto("/login/")
    problems = {"/login/": axe_violations(page)}
    log_in(page, "qisg")
    skip = {"login", "logout", "healthz", "goals:point_add", "goals:rebase_add"}  # POST-only or not HTML
    for name, _ in url_names():
        if name in skip:
            continue
        url = reverse(name, args=args.get(name.split(":")[-1], []))
        page.goto(url)
        problems[url] = axe_violations(page)
        screenshot(page, name.replace(":", "-"))
    for url in ["/goals/99/", "/goals/3/evidence/new/?inline"]:
        page.goto(url)
        problems[url] = axe_violations(page)
    # the error state of a whole-page form
    page.goto("/goals/3/updates/new/")
    page.click("text=Save update")
    page.wait_for_selector(".nhsuk-error-summary")
    problems["update form with errors"] = axe_violations(page)
    assert {url: found for url, found in problems.items() if found} == {}
    assert [e for e in page.errors if "404" not in e] == []
