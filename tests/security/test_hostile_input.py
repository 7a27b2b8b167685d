"""Hostile strings through every text field of the QiSG and partner forms, the board report's free text, the
searches, the login, the measure and training CSVs and the partner exports: shown as text, stored unchanged or
refused with a clear message, and never a 500."""

import csv
import datetime
import io
import json

import pytest
from axes.models import AccessAttempt
from openpyxl.utils.exceptions import IllegalCharacterError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from goals.models import (
    Collaborative, CollaborativeMember, Event, EvidenceItem, LeanEvent, LeanRemeasure, Measure, MeasurePoint, Rebase,
)
from improvement.board.models import AnnualCommitment, BoardReport, Meeting, RiskAppetite
from partners.models import Cohort, Contribution, Partner, PartnerRole
from improvement.demo.training import seed_courses
from training import importer, uploads
from training.importer import TRAINING_COLUMNS
from training.models import Learner, PendingUpload

from ..factories import GoalFactory, MeasureFactory, ProgressUpdateFactory
from ..partners.factories import PartnerFactory
from ..training.helpers import workbook

HOSTILE = [
    "<script>alert(1)</script>",
    '" onmouseover="alert(1)',
    "javascript:alert(1)",
    "'; DROP TABLE goals_goal; --",
    "x" * 5000,
    "bell\x07 escape\x1b[31m",
    "right-to-left \u202eevil.exe",
    "emoji 😀 and Zalgo z\u0351\u0334",
    "nul\x00byte",
]
RAW_DANGER = ["<script>alert(1)</script>", '" onmouseover="alert(1)']


REPORT_TEXT = ["summary", "key_points", "background", "financial_implications", "risk", "communication_and_involvement",
               "equality_analysis", "freedom_of_information", "recommendation", "supporting_information"]
REPORT = {
    "title": "T", "meeting_date": "30/11/2023", "paper_date": "", "author": "A", "purpose": "For assurance",
    **dict.fromkeys(REPORT_TEXT, ""),
    "commitments-TOTAL_FORMS": "1", "commitments-INITIAL_FORMS": "0", "commitments-0-text": "C", "commitments-0-order": "0",
    "risks-TOTAL_FORMS": "1", "risks-INITIAL_FORMS": "0", "risks-0-level_1": "L1", "risks-0-level_2": "L2",
    "risks-0-appetite": "open", "risks-0-impact": "towards", "risks-0-order": "0",
    "goals-TOTAL_FORMS": "0", "goals-INITIAL_FORMS": "0",
}


@pytest.fixture
def world(db):
    goal = GoalFactory(number=4)
    GoalFactory(strategy=goal.strategy, number=1)
    update = ProgressUpdateFactory(goal=goal)
    collaborative = Collaborative.objects.create(name="Falls", goal=goal, aim="Fewer falls", prompted_by="harm_data",
                                                 started_on=datetime.date(2022, 7, 1))
    measure = MeasureFactory(goal=goal)
    for month in (1, 2, 3):  # the measure page lists its recalculated limits under a chart of these
        MeasurePoint.objects.create(measure=measure, date=datetime.date(2023, month, 28), value=month)
    BoardReport.objects.create(strategy=goal.strategy, year=1, title="Improvement Strategy: year one",
                               meeting_date=datetime.date(2023, 11, 30), author="QiSG")
    return goal, update, collaborative, measure


def forms(world):
    """(url name, args, valid data, the fields to try, the saved object, the page that shows it). A field named
    "prefix-name" is the form's field "name" (a prefixed form, or a row of a formset)."""
    goal, update, collaborative, measure = world
    lean, _ = LeanEvent.objects.get_or_create(kind="kaizen", title="Ward kaizen", unit="Ward 12", date=datetime.date(2023, 1, 10),
                                              goal=goal, defaults={"how_measured": "Time study"})
    return [
        ("meeting_new", [], {"kind": "qisg", "date": "15/03/2023", "year": "", "notes": ""},
         ["notes"], lambda: Meeting.objects.order_by("-id").first(), reverse("meeting_list") + "?year=1"),
        ("goals:lean_remeasure", [lean.pk], {"checkpoint": "30", "measured_on": "09/02/2023", "hours_released_per_year": "1",
                                             "money_released_per_year": "1", "steps_removed": "0", "sustained": "yes", "notes": ""},
         ["notes"], lambda: LeanRemeasure.objects.order_by("-id").first(), reverse("goals:waste_list") + "?year=1"),
        ("goals:evidence_new", [4], {"kind": "event", "date": "01/03/2023", "title": "T", "summary": "S", "link": "", "ambition": ""},
         ["title", "summary", "link"], lambda: EvidenceItem.objects.order_by("-id").first(), reverse("goals:goal_detail", args=[4])),
        ("goals:update_edit", [update.pk], {"status": "on_track", "period_start": "01/11/2022", "period_end": "31/10/2023",
                                           "narrative": "N", "next_steps": "", "ambition": "", "published_on": "19/11/2023", "version": 1},
         ["narrative", "next_steps"], lambda: type(update).objects.get(pk=update.pk), reverse("goals:goal_detail", args=[4])),
        ("goals:measure_new", [], {"name": "M", "unit": "u", "improvement_direction": "increase", "frequency": "monthly",
                                   "goal": goal.pk, "description": ""},
         ["name", "unit", "description", "decimals"], lambda: Measure.objects.order_by("-id").first(), reverse("goals:measure_list")),
        ("goals:event_new", [], {"kind": "open_day", "title": "T", "date": "15/03/2023", "goal": goal.pk, "attendance": "",
                                 "organisations_attending": "", "reach": "", "award_outcome": "", "collaborative": "", "repeat_until": ""},
         ["title", "organisations_attending"], lambda: Event.objects.order_by("-id").first(), reverse("goals:event_list") + "?year=1"),
        ("goals:lean_new", [], {"kind": "5s", "title": "T", "unit": "U", "date": "01/02/2023", "goal": goal.pk,
                                "hours_released_per_year": "1", "money_released_per_year": "1", "steps_removed": "0",
                                "days_removed": "0", "how_measured": "Time study"},
         ["title", "unit", "how_measured"], lambda: LeanEvent.objects.order_by("-id").first(), reverse("goals:waste_list") + "?year=1"),
        ("goals:collaborative_edit", [collaborative.pk], {"name": "Falls", "goal": goal.pk, "aim": "A", "lead": "", "prompted_by": "harm_data",
                                                          "rationale": "", "started_on": "01/07/2022", "version": 1},
         ["name", "aim", "lead", "rationale"], lambda: Collaborative.objects.get(pk=collaborative.pk),
         reverse("goals:collaborative_detail", args=[collaborative.pk])),
        ("goals:member_add", [collaborative.pk], {"member-name": "Sam", "member-role": ""},
         ["member-name", "member-role"], lambda: CollaborativeMember.objects.order_by("-id").first(),
         reverse("goals:collaborative_detail", args=[collaborative.pk])),
        ("goals:collaborative_step_down", [collaborative.pk], {"stepped_down_on": "31/10/2023", "step_down_reason": "R"},
         ["step_down_reason"], lambda: Collaborative.objects.get(pk=collaborative.pk),
         reverse("goals:collaborative_detail", args=[collaborative.pk])),
        ("goals:rebase_add", [measure.pk], {"rebase-date": "01/04/2023", "rebase-reason": "R"},
         ["rebase-reason"], lambda: Rebase.objects.order_by("-id").first(), reverse("goals:measure_detail", args=[measure.pk])),
        ("report_edit", [1], REPORT, ["title", "author", "purpose", *REPORT_TEXT], lambda: BoardReport.objects.get(year=1),
         reverse("report", args=[1])),
        ("report_edit", [1], REPORT, ["commitments-0-text"], lambda: AnnualCommitment.objects.order_by("-id").first(),
         reverse("report", args=[1])),
        ("report_edit", [1], REPORT, ["risks-0-level_1", "risks-0-level_2"], lambda: RiskAppetite.objects.order_by("-id").first(),
         reverse("report", args=[1])),
    ]


def attribute(field):
    return field.rsplit("-", 1)[-1]


def stored(record, field):
    """Which record the form's list ends with, and its value of the field: a refused form changes neither."""
    return None if record is None else (record.pk, getattr(record, attribute(field)))


@pytest.mark.parametrize("hostile", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_is_stored_as_typed_or_refused_and_always_shown_as_text(qisg_client, world, hostile):
    for url_name, args, data, fields, saved, shown_on in forms(world):
        for field in fields:
            if url_name == "goals:update_edit":
                data = {**data, "version": type(world[1]).objects.get(pk=world[1].pk).version}
            if url_name == "report_edit":
                data = {**data, "version": BoardReport.objects.get(year=1).version}
            if url_name in ("goals:collaborative_edit", "goals:collaborative_step_down"):
                data = {**data, "version": Collaborative.objects.get(pk=world[2].pk).version}
            if url_name == "goals:measure_new":
                data = {**data, "name": f"Measure for {field}"}  # names are unique
            before = stored(saved(), field)
            response = qisg_client.post(reverse(url_name, args=args), {**data, field: hostile})
            assert response.status_code in (200, 302), (url_name, field, response.status_code)
            if response.status_code == 200:  # refused: the form says why, next to the field
                page = response.content.decode()
                assert "There is a problem" in page and page.count(f'id="id_{field}-error"') == 1, (url_name, field)  # one message
                assert stored(saved(), field) == before, (url_name, field)  # refused: nothing saved
            else:
                assert getattr(saved(), attribute(field)) == hostile, (url_name, field)  # stored unchanged
                page = qisg_client.get(shown_on).content.decode()
            for danger in RAW_DANGER:
                assert danger not in page, (url_name, field)  # escaped wherever it is shown


def test_links_other_than_http_are_refused(qisg_client, world):
    response = qisg_client.post(reverse("goals:evidence_new", args=[4]), {
        "kind": "event", "date": "01/03/2023", "title": "T", "summary": "S", "link": "javascript:alert(1)", "ambition": ""})
    assert "Enter a web address starting with http:// or https://" in response.content.decode()
    assert not EvidenceItem.objects.exists()


@pytest.mark.parametrize("hostile", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_reasons_for_correcting_and_deleting_data_are_kept_as_typed_or_refused(qisg_client, world, hostile):
    measure = world[3]
    point = measure.points.order_by("date").first()
    rebase = Rebase.objects.create(measure=measure, date=datetime.date(2023, 2, 1), reason="Bundle")
    page_url = reverse("goals:measure_detail", args=[measure.pk])
    cases = [  # (url, data, the field given the hostile text, what is stored of it); deletions last
        (reverse("goals:point_edit", args=[measure.pk, point.pk]), {"correct-date": "28/01/2023", "correct-value": "7"},
         "correct-why", lambda: point.changes.first().history_change_reason),
        (reverse("goals:rebase_edit", args=[measure.pk, rebase.pk]), {"correct-date": "01/02/2023", "correct-why": "w"},
         "correct-reason", lambda: Rebase.objects.get(pk=rebase.pk).reason),
        (reverse("goals:rebase_edit", args=[measure.pk, rebase.pk]), {"correct-date": "01/02/2023", "correct-reason": "R"},
         "correct-why", lambda: rebase.changes.first().history_change_reason),
        (reverse("goals:point_delete", args=[measure.pk, point.pk]), {}, "delete-why",
         lambda: MeasurePoint.history.filter(id=point.pk).first().history_change_reason),
    ]
    for url, data, field, kept in cases:
        before = kept()
        response = qisg_client.post(url, {**data, field: hostile})
        assert response.status_code in (200, 302), (url, field)
        if response.status_code == 200:
            page = response.content.decode()
            assert "There is a problem" in page and page.count(f'id="id_{field}-error"') == 1, (url, field)
            assert kept() == before, (url, field)
        else:
            assert kept() == hostile, (url, field)
            page = qisg_client.get(page_url).content.decode()
        for danger in RAW_DANGER:
            assert danger not in page, (url, field)


@pytest.mark.parametrize("hostile", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_csv_cells_are_refused_row_by_row(qisg_client, world, hostile):
    measure = MeasureFactory(goal=world[0])
    for row in [f"{hostile},1", f"2023-01-31,{hostile}", f"2023-01-31,1,{hostile}"]:
        response = qisg_client.post(reverse("goals:measure_import", args=[measure.pk]), {"pasted": f"2023-02-28,2\n{row}\n"})
        assert response.status_code == 200
        page = response.content.decode()
        assert "Nothing was imported" in page or "There is a problem" in page
        for danger in RAW_DANGER:
            assert danger not in page
    assert not measure.points.exists()


@pytest.mark.parametrize("hostile", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_cells_of_an_excel_workbook_are_refused_row_by_row(qisg_client, world, hostile):
    measure = MeasureFactory(goal=world[0])
    for row in [[hostile, 1], ["2023-01-31", hostile]]:
        try:
            data = workbook(["2023-02-28", 2], row, header=["date", "value"])
        except IllegalCharacterError:  # control characters Excel refuses: such a cell cannot arrive in a workbook
            continue
        response = qisg_client.post(reverse("goals:measure_import", args=[measure.pk]), {"file": SimpleUploadedFile("m.xlsx", data)})
        assert response.status_code == 200
        page = response.content.decode()
        assert "Nothing was imported" in page
        for danger in RAW_DANGER:
            assert danger not in page
    assert not measure.points.exists()


def partner_forms(goal):
    """The partner admin's forms, as forms() lists the QiSG's."""
    cohort = Cohort.objects.create(name="2023 cohort", recruited_on=datetime.date(2023, 10, 1), intake_target=8)
    partner = Partner.objects.create(full_name="Ann Example", display_name="Ann", cohort=cohort, joined_on=datetime.date(2023, 10, 2))
    shown_on = reverse("partners:partner_detail", args=[partner.pk])
    return [
        ("partners:partner_new", [], {"full_name": "Zoë Ashworth-Hughes", "display_name": "Zoë", "cohort": cohort.pk,
                                      "email": "zoe@example.org", "phone": "01632 960 555", "joined_on": "02/10/2023",
                                      "credit_consent": "False", "consent_recorded_on": "", "learner": ""},
         ["full_name", "display_name", "email", "phone"], lambda: Partner.objects.order_by("-id").first(), None),
        ("partners:cohort_new", [], {"name": "C", "recruited_on": "01/03/2024", "intake_target": ""},
         ["name"], lambda: Cohort.objects.order_by("-id").first(), reverse("partners:cohort_list")),
        ("partners:role_new", [partner.pk], {"role-kind": "committee_member", "role-collaborative": "", "role-committee": "C",
                                             "role-started_on": "11/01/2024", "role-ended_on": ""},
         ["role-committee"], lambda: PartnerRole.objects.order_by("-id").first(), shown_on),
        ("partners:contribution_new", [partner.pk], {"contribution-kind": "talk", "contribution-title": "T",
                                                     "contribution-date": "22/11/2023", "contribution-goal": goal.pk,
                                                     "contribution-evidence": ""},
         ["contribution-title"], lambda: Contribution.objects.order_by("-id").first(), shown_on),
    ]


@pytest.mark.parametrize("hostile", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_in_partner_records_is_stored_as_typed_or_refused(client, make_user, world, hostile):
    client.force_login(make_user("partneradmin"))
    for url_name, args, data, fields, saved, shown_on in partner_forms(world[0]):
        for field in fields:
            before = stored(saved(), field)
            response = client.post(reverse(url_name, args=args), {**data, field: hostile})
            assert response.status_code in (200, 302), (url_name, field, response.status_code)
            page = response.content.decode()
            if response.status_code == 200:  # refused: the form says why, next to the field
                assert "There is a problem" in page and page.count(f'id="id_{field}-error"') == 1, (url_name, field)  # one message
                assert stored(saved(), field) == before, (url_name, field)  # refused: nothing saved
            else:
                assert getattr(saved(), attribute(field)) == hostile, (url_name, field)  # stored unchanged
                page = client.get(shown_on or reverse("partners:partner_detail", args=[saved().pk])).content.decode()
            for danger in RAW_DANGER:
                assert danger not in page, (url_name, field)  # escaped wherever it is shown


@pytest.mark.parametrize("hostile", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_logins_and_searches_are_answered_as_text(client, make_user, hostile):
    admin = make_user("partneradmin")
    PartnerFactory(display_name="Ann")
    for data in [{"username": hostile, "password": "x"}, {"username": admin.username, "password": hostile}]:
        response = client.post(reverse("login"), data)
        assert response.status_code == 200, (data, response.status_code)  # refused, and says why
        page = response.content.decode()
        assert "There is a problem" in page
        for danger in RAW_DANGER:
            assert danger not in page
    for attempt in AccessAttempt.objects.all():  # the throttle stores it, or it is refused first: SQLite would not say
        assert len(attempt.username) <= AccessAttempt._meta.get_field("username").max_length
    client.force_login(admin)
    response = client.get(reverse("partners:partner_list"), {"q": hostile})
    assert response.status_code == 200
    page = response.content.decode()
    for danger in RAW_DANGER:
        assert danger not in page  # the search box shows what was typed, as text


@pytest.mark.parametrize("hostile", [h for h in HOSTILE if "\x00" not in h and len(h) <= 200] + ["=HYPERLINK(\"http://x\")", "+1+1", "@SUM(A1)"])
def test_hostile_text_leaves_in_the_exports_exactly_and_never_as_a_formula(client, make_user, hostile):
    """A subject access export gives back exactly what was stored (JSON), and a spreadsheet opening the CSV runs
    nothing. (NUL and over-long names cannot be stored: the forms refuse them, see above.)"""
    partner = PartnerFactory(full_name=hostile, display_name=hostile)
    client.force_login(make_user("partneradmin"))
    as_json = client.get(reverse("partners:partner_export", args=[partner.pk, "json"]))
    assert as_json.status_code == 200
    assert json.loads(as_json.content)["partner"]["full_name"] == hostile
    as_csv = client.get(reverse("partners:partner_export", args=[partner.pk, "csv"]))
    rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    cell = next(row[3] for row in rows if row[:3] == ["partner", "", "full_name"])
    assert cell in (hostile, "'" + hostile)
    assert not cell.startswith(("=", "+", "-", "@"))


@pytest.mark.parametrize("hostile", HOSTILE + ["=HYPERLINK(\"http://x\")"], ids=range(len(HOSTILE) + 1))
@pytest.mark.parametrize("column", ["name", "unit"])
def test_hostile_text_in_a_training_file_is_imported_as_typed_or_refused_by_row_and_column(qisg_client, world, column, hostile):
    seed_courses()
    row = {"staff_number": "10000001", "name": "Amira Patel", "staff_group": "Nursing", "unit": "Ward 7",
           "course": "LIM Foundation", "completed_on": "2023-01-17", "left_on": "", column: hostile}
    out = io.StringIO()
    csv.writer(out).writerows([TRAINING_COLUMNS, [row[c] for c in TRAINING_COLUMNS]])
    upload = SimpleUploadedFile("records.csv", out.getvalue().encode("utf-8"), content_type="text/csv")
    page = qisg_client.post(reverse("training:import_training"), {"file": upload}).content.decode()
    for danger in RAW_DANGER:
        assert danger not in page  # the preview shows the cell as text
    pending = PendingUpload.objects.first()
    if pending is None:  # refused, saying where
        if "\x00" in hostile:  # binary data: the whole file is refused, naming the row
            assert "This is not a readable CSV file: row 2 holds binary data." in page
        else:
            assert "Nothing was imported: 1 problem in 1 row." in page
            assert f"<code>{column}</code>" in page  # the problem is named by row and column
        assert not Learner.objects.exists()
        return
    new_units = importer.check("training", uploads.verified_chunks(pending)).new_units  # the names the preview asks about
    answers = {f"units-unit_{i}": "yes" for i in range(len(new_units))}
    qisg_client.post(reverse("training:import_training"), {"upload": pending.pk, "new_unit": new_units, **answers})
    learner = Learner.objects.get()
    assert (learner.name if column == "name" else learner.unit.name) == hostile  # stored as typed
    overview = qisg_client.get(reverse("training:overview")).content.decode()
    for danger in RAW_DANGER:
        assert danger not in overview


@pytest.mark.parametrize("link", ["https://exa\u202emple.org/fdp.exe", "https://evil\u200b.example/", "https://example.org/\u2066x\u2069"])
def test_links_with_invisible_or_reordering_characters_are_refused(qisg_client, world, link):
    response = qisg_client.post(reverse("goals:evidence_new", args=[4]), {
        "kind": "event", "date": "01/03/2023", "title": "T", "summary": "S", "link": link, "ambition": ""})
    assert "The link contains invisible characters" in response.content.decode()
    assert not EvidenceItem.objects.exists()
