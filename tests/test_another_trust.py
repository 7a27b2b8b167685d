"""Another trust's strategy, loaded from its file into an empty database: every page reads with its own names."""

import io
import re
import zipfile

import pytest
from pypdf import PdfReader
from django.conf import settings
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from goals.models import Measure, Strategy
from improvement.board import strategyfile

from .conftest import ROLE_USERS
from .helpers import text_of

EXAMPLE = settings.BASE_DIR / "static" / "board" / "strategy-example.yaml"
LEEDS = re.compile(r"Leeds|LTHT|\bLIM\b|7 goals|Goal 7|seven goals", re.IGNORECASE)


@pytest.fixture
def northfield(db, make_user):
    call_command("flush", interactive=False, verbosity=0)  # empty: no course, no role, nothing of the demo's
    with TestCase.captureOnCommitCallbacks(execute=True):
        strategyfile.load(EXAMPLE.read_bytes())
    return {role: make_user(role) for role in [*ROLE_USERS, "admin"]}


def pages():
    urls = [reverse("goals:overview"), reverse("dashboard"), reverse("dashboard_export"), reverse("dashboard_xlsx"),
            reverse("goals:measure_list"), reverse("goals:evidence_list"), reverse("goals:evidence_xlsx"),
            reverse("goals:collaborative_list"), reverse("goals:event_list"), reverse("goals:waste_list"),
            f"{reverse('goals:search')}?q=care", reverse("training:overview"), reverse("training:figures_xlsx"),
            reverse("partners:figures"), reverse("reports"), reverse("report", args=[1]), reverse("meeting_list"),
            f"{reverse('meeting_list')}?year=all", reverse("strategy_file"), reverse("strategy_file_export"),
            # the forms, by those who may use them (403 for the rest)
            reverse("goals:measure_new"), reverse("goals:collaborative_new"), reverse("goals:event_new"), reverse("goals:lean_new"),
            reverse("meeting_new"), reverse("report_edit", args=[1]), reverse("report_present", args=[1]),
            reverse("training:import_training"), reverse("training:import_feedback"), reverse("reminder_preferences"),
            reverse("partners:partner_list"), reverse("partners:partner_new"), reverse("partners:cohort_list")]
    for number in range(1, 6):
        urls += [reverse(name, args=[number]) for name in ["goals:goal_detail", "goals:goal_history", "goals:evidence_new", "goals:update_new"]]
    for measure in Measure.objects.all():
        urls += [reverse("goals:measure_detail", args=[measure.pk]), reverse("goals:measure_xlsx", args=[measure.pk])]
    return urls


def readable(response):
    """The text of a page, a CSV or an Excel workbook (its XML parts)."""
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        with zipfile.ZipFile(io.BytesIO(response.content)) as book:
            return " ".join(book.read(name).decode() for name in book.namelist() if name.endswith(".xml"))
    return text_of(response)


def test_every_page_reads_with_the_trusts_own_names_for_each_role(client, northfield):
    with TestCase.captureOnCommitCallbacks(execute=True):  # QiSG starts the year's board paper
        client.force_login(northfield["qisg"])
        assert client.post(reverse("report_start", args=[1])).status_code == 302
    failures = []
    for role, user in northfield.items():
        client.force_login(user)
        for url in pages():
            response = client.get(url)
            if response.status_code >= 500:
                failures.append(f"{url} as {role}: {response.status_code}")
            elif response.status_code == 200 and (found := LEEDS.search(readable(response))):
                failures.append(f"{url} as {role} says {found.group()!r}")
    assert not failures, failures
    client.force_login(northfield["board"])
    overview = text_of(client.get(reverse("goals:overview")))
    assert "Our 5 goals and ambitions" in overview and "Northfield Quality Strategy 2025-30" in overview
    client.force_login(northfield["qisg"])  # the draft paper, before it is shared with the board
    paper = text_of(client.get(reverse("report", args=[1])))
    assert "Northfield and District NHS Foundation Trust" in paper and "Goal 5" in paper
    training = text_of(client.get(reverse("training:overview")))
    assert "Improvement Essentials completions" in training and "recommend NQI training" in training


def test_the_export_of_a_loaded_file_loads_back_to_the_same_data(northfield):
    first = strategyfile.export_text(Strategy.objects.current())
    assert strategyfile.load(first).changes.nothing
    assert strategyfile.export_text(Strategy.objects.current()) == first


def test_the_board_papers_pdf_reads_with_the_trusts_own_names(client, northfield):
    client.force_login(northfield["qisg"])
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("report_start", args=[1]))
    response = client.get(reverse("report_pdf", args=[1]))
    assert response.content[:5] == b"%PDF-"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Northfield and District NHS Foundation Trust" in text and "Goal 5" in text
    assert not LEEDS.search(text)
