"""The strategy file page: a site administrator uploads a file, sees what it will do, confirms; or sees each problem."""

import html

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from goals.models import Goal, Strategy

from ..goals.test_strategy_file import MINIMUM
from ..helpers import text_of as page_text

URL = reverse("strategy_file")


def text_of(response):
    return html.unescape(page_text(response))


def upload(client, text, name="strategy.yaml", **headers):
    return client.post(URL, {"file": SimpleUploadedFile(name, text.encode())}, **headers)


def test_an_upload_is_previewed_then_loaded_on_confirm(client, make_user):
    client.force_login(make_user("admin"))
    page = upload(client, MINIMUM)
    shown = text_of(page)
    assert "Check what strategy.yaml will do" in shown
    assert "1 goal new: Goal 1: Safer care every time" in shown
    assert not Strategy.objects.exists()
    confirmed = client.post(URL, {"content": page.context["content"], "filename": "strategy.yaml"})
    assert confirmed.status_code == 302
    assert list(Goal.objects.values_list("title", flat=True)) == ["Safer care every time"]
    assert "Loaded strategy.yaml: Northfield Quality Strategy 2025-30." in text_of(client.get(confirmed.url))


def test_a_bad_file_shows_each_problem_by_its_line_inline_with_htmx(client, make_user):
    client.force_login(make_user("admin"))
    page = upload(client, MINIMUM.replace("number: 1", "number: one"), headers={"HX-Request": "true"})
    shown = text_of(page)
    assert page.status_code == 200 and "<html" not in page.content.decode()
    assert "strategy.yaml was not loaded" in shown and "Line 4: number: must be a whole number, not 'one'." in shown
    assert not Strategy.objects.exists()


def test_a_file_that_is_not_yaml_by_name_is_refused_next_to_the_field(client, make_user):
    client.force_login(make_user("admin"))
    shown = text_of(upload(client, MINIMUM, name="strategy.docx"))
    assert "The file must be a YAML file: its name ends in .yaml or .yml." in shown


def test_the_current_strategy_downloads_as_its_file(client, make_user):
    client.force_login(make_user("admin"))
    upload(client, MINIMUM)
    client.post(URL, {"content": MINIMUM})
    response = client.get(reverse("strategy_file_export"))
    assert response["Content-Disposition"] == 'attachment; filename="northfield-quality-strategy-2025-30.yaml"'
    assert response.content.decode().startswith("organisation: Northfield and District NHS Foundation Trust\n")


def test_with_no_strategy_a_site_admins_first_page_says_how_to_load_one(client, make_user):
    client.force_login(make_user("admin"))
    page = text_of(client.get(reverse("goals:overview")))
    assert "Load the strategy file" in page and "/static/board/strategy-example.yaml" in page and "load_strategy FILE" in page
    assert "/static/board/strategy-demo.yaml" in page  # the demo's file as a template
    client.force_login(make_user("board"))
    assert "Load the strategy file" not in text_of(client.get(reverse("goals:overview")))
