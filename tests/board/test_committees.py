"""The trust's names for its meetings and how often each meets: data (Committee, the strategy file's
`meeting_kinds:`), today's four (QiSG quarterly, QASG, QAC and the Trust Board yearly) when the file says nothing."""

import datetime
import textwrap

import pytest
from django.urls import reverse

from goals.strategy.strategyfile import FileRefused
from improvement.board import meetings, papers, strategyfile
from improvement.board.models import Committee, Meeting, MeetingKind

from ..factories import GoalFactory, StrategyFactory
from ..helpers import text_of

FILE = textwrap.dedent("""\
    organisation: Northfield and District NHS Foundation Trust
    strategy: {name: Northfield Quality Strategy 2025-30, starts: 2025-04-01, years: 5}
    goals:
      - number: 1
        title: Safer care every time
    meeting_kinds:
      qisg: {name: Quality Improvement Group (QIG), short_name: QIG, every_months: 2}
      qasg: {name: Patient Safety and Quality Group, short_name: PSQG}
      qac: {name: Quality Committee, short_name: Quality Committee}
      trust_board: Board of Directors
    meetings:
      - {kind: qisg, date: 2025-06-12}
      - {kind: trust_board, date: 2026-05-28, year: 1}
    """)


def test_with_nothing_said_the_meetings_are_todays_four(qisg_client):
    strategy = StrategyFactory()
    Meeting.objects.create(strategy=strategy, kind=MeetingKind.QAC, date=datetime.date(2023, 11, 22), year=1)
    assert not Committee.objects.exists()
    page = text_of(qisg_client.get(reverse("meeting_list") + "?year=1"))
    assert ("QiSG meets quarterly and sets its own dates; QASG, QAC and Trust Board read the strategy once a year. "
            "A QiSG meeting has an agenda pack") in page
    assert "Quality Assurance Committee (QAC)" in page
    form = text_of(qisg_client.get(reverse("meeting_new")))
    assert [label in form for label in (">QiSG<", ">QASG<", ">QAC<", ">Trust Board<")] == [True] * 4


def test_a_file_names_the_trusts_meetings_and_how_often_they_meet(qisg_client):
    result = strategyfile.load(FILE)
    assert result.changes.created["name of a kind of meeting"] == [
        "Quality Improvement Group (QIG)", "Patient Safety and Quality Group", "Quality Committee", "Board of Directors"]
    assert result.changes.created["meeting"] == ["QIG, 12 June 2025", "Board of Directors, 28 May 2026"]
    board = Committee.objects.get(kind="trust_board")
    assert (board.name, board.short_name, board.every_months) == ("Board of Directors", "Board of Directors", 12)
    page = text_of(qisg_client.get(reverse("meeting_list") + "?year=all"))
    assert ("QIG meets every 2 months and sets its own dates; PSQG, Quality Committee and Board of Directors read the "
            "strategy once a year. A QIG meeting has an agenda pack") in page
    assert "Quality Improvement Group (QIG)" in page and "QiSG" not in page.replace("QiSG member", "")
    form = text_of(qisg_client.get(reverse("meeting_new")))
    assert 'value="12/08/2025"' in form  # two months after the last QIG meeting
    assert ">QIG<" in form and ">PSQG<" in form and "QiSG" not in form.replace("QiSG member", "")
    again = text_of(qisg_client.post(reverse("meeting_new"), {"kind": "qisg", "date": "12/06/2025", "year": "", "notes": ""}))
    assert "There is a QIG meeting on 12/06/2025 already" in again


def test_a_paper_presented_to_the_trusts_board_by_its_name_is_linked_to_that_meeting(qisg_client):
    strategyfile.load(FILE)
    strategy = Meeting.objects.first().strategy
    GoalFactory(strategy=strategy, number=2)
    report = papers.start(strategy, 1)
    assert 'value="Board of Directors"' in text_of(qisg_client.get(reverse("report_present", args=[1])))
    assert "Board of Directors, " in papers.html(report)  # the paper's cover: the meeting it goes to
    papers.present(report, "the board of directors", datetime.date(2026, 5, 28))
    report.refresh_from_db()
    assert (report.meeting.kind, report.meeting.date) == (MeetingKind.TRUST_BOARD, datetime.date(2026, 5, 28))
    assert meetings.kind_named("PSQG") == MeetingKind.QASG and meetings.kind_named("Trust Board") is None


def test_loading_again_updates_the_names_and_never_duplicates(db):
    strategyfile.load(FILE)
    result = strategyfile.load(FILE.replace("short_name: PSQG}", "short_name: PSQ Group, every_months: 6}"))
    assert result.changes.updated == {"name of a kind of meeting": ["Patient Safety and Quality Group"]}
    assert Committee.objects.count() == 4
    assert (Committee.objects.get(kind="qasg").short_name, Committee.objects.get(kind="qasg").every_months) == ("PSQ Group", 6)
    assert strategyfile.load(FILE.replace("short_name: PSQG}", "short_name: PSQ Group, every_months: 6}")).changes.nothing


def test_a_kind_left_out_keeps_its_default_and_a_part_left_out_too(db):
    strategyfile.load(FILE.replace("  qasg: {name: Patient Safety and Quality Group, short_name: PSQG}\n", "")
                      .replace("{name: Quality Committee, short_name: Quality Committee}", "{every_months: 6}"))
    committees = Committee.objects.by_kind()
    assert committees["qasg"].pk is None and committees["qasg"].short_name == "QASG"
    assert (committees["qac"].name, committees["qac"].every_months) == ("Quality Assurance Committee (QAC)", 6)


def test_the_export_names_the_meetings_and_loads_back_to_the_same(db):
    strategyfile.load(FILE)
    first = strategyfile.export_text(Meeting.objects.first().strategy)
    assert "meeting_kinds:\n  qac:\n    name: Quality Committee\n" in first
    assert strategyfile.load(first).changes.nothing
    assert strategyfile.export_text(Meeting.objects.first().strategy) == first


BAD = [
    ("  qisg: {name: QIG, every_months: two}", "Line 7: every_months: must be a whole number, not 'two'."),
    ("  qisg: {name: QIG, every_months: 24}", "Line 7: every_months: must be from 1 (monthly) to 12 (yearly)."),
    ("  steering: {name: QIG}", "Line 7: steering: is not a kind of meeting (the kinds are qisg, qasg, qac, trust_board)."),
    ("  qisg: {name: QIG, chair: Someone}", "Line 7: chair: is not a key of meeting_kinds: qisg"),
    ("  qisg: {name: Quality Committee}", "Line 9: 'Quality Committee' names two kinds of meeting (also on line 7)."),
    ("  qisg: [QIG]", "Line 7: meeting_kinds: qisg"),
]


@pytest.mark.parametrize("line, problem", BAD, ids=[p for _, p in BAD])
def test_a_bad_meeting_kind_is_refused_by_its_line_and_nothing_is_written(db, line, problem):
    text = FILE.replace("  qisg: {name: Quality Improvement Group (QIG), short_name: QIG, every_months: 2}", line)
    with pytest.raises(FileRefused) as caught:
        strategyfile.load(text)
    problems = [str(p) for p in caught.value.problems]
    assert any(p.startswith(problem) for p in problems), problems
    assert not Committee.objects.exists() and not Meeting.objects.exists()


def test_the_digest_before_the_meeting_says_the_trusts_name_for_it(db):
    from improvement.board import reminders

    strategyfile.load(FILE)
    meeting = Meeting.objects.get(kind="qisg")
    (digest, key, subject, template, context) = next(d for d in reminders.due(meeting.strategy, meeting.date) if d[1].startswith("meeting"))
    assert subject.startswith("QIG meets today, Thursday 12 June 2025")


def test_the_board_pages_say_the_trusts_name_for_its_steering_group(qisg_client):
    strategyfile.load(FILE)
    missing = text_of(qisg_client.get(reverse("report", args=[1])))
    assert "a draft that only QIG sees" in missing and "QiSG" not in missing.replace("QiSG member", "")
    dashboard = text_of(qisg_client.get(reverse("dashboard") + "?year=1"))
    assert "QIG has not judged this goal" in dashboard and "QiSG" not in dashboard.replace("QiSG member", "")
    qisg_client.post(reverse("report_start", args=[1]))
    draft = text_of(qisg_client.get(reverse("report", args=[1])))
    assert "Only QIG sees this paper" in draft and "QiSG" not in draft.replace("QiSG member", "")
    assert "latest QIG judgement" in text_of(qisg_client.get(reverse("report_edit", args=[1])))
