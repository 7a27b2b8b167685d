"""The strategy's meetings: QiSG sets its dates (quarterly by default), QASG, QAC and the Trust Board; a board paper is
presented at one of them."""

import datetime

from django.urls import reverse

from improvement.board import papers
from improvement.board.models import BoardReport, Meeting, MeetingKind
from improvement.demo.board import _meetings

from ..factories import GoalFactory, StrategyFactory
from ..helpers import text_of


def test_a_new_qisg_meeting_is_offered_three_months_after_the_last(qisg_client):
    strategy = StrategyFactory()
    Meeting.objects.create(strategy=strategy, kind=MeetingKind.QISG, date=datetime.date(2026, 9, 15), year=4)
    page = text_of(qisg_client.get(reverse("meeting_new")))
    assert 'value="15/12/2026"' in page
    response = qisg_client.post(reverse("meeting_new"), {"kind": "qisg", "date": "15/12/2026", "year": "", "notes": "Room 3"})
    assert response.status_code == 302
    meeting = Meeting.objects.get(date=datetime.date(2026, 12, 15))
    assert (meeting.kind, meeting.year, meeting.notes) == (MeetingKind.QISG, 5, "Room 3")  # its date falls in year 5
    listed = text_of(qisg_client.get(reverse("meeting_list") + "?year=5"))
    assert "15 Dec 2026" in listed and "Quality Improvement Steering Group (QiSG)" in listed


def test_the_board_reading_a_years_paper_belongs_to_that_year_and_a_meeting_is_not_recorded_twice(qisg_client):
    StrategyFactory()
    form = {"kind": "trust_board", "date": "26/11/2026", "year": "4", "notes": ""}
    assert qisg_client.post(reverse("meeting_new"), form).status_code == 302
    assert Meeting.objects.get().year == 4
    again = text_of(qisg_client.post(reverse("meeting_new"), form))
    assert "There is a Trust Board meeting on 26/11/2026 already" in again
    assert Meeting.objects.count() == 1
    outside = text_of(qisg_client.post(reverse("meeting_new"), {**form, "date": "01/01/2030", "year": ""}))
    assert "choose the strategy year this meeting is for" in outside


def test_presenting_a_paper_links_it_to_the_meeting_and_keeps_what_the_paper_says(db):
    strategy = StrategyFactory()
    GoalFactory(strategy=strategy, number=1)
    board = Meeting.objects.create(strategy=strategy, kind=MeetingKind.TRUST_BOARD, date=datetime.date(2023, 11, 30), year=1)
    report = papers.start(strategy, 1)
    papers.present(report, "Trust Board", datetime.date(2023, 11, 30))
    report.refresh_from_db()
    assert (report.meeting, report.presented_to, report.presented_on) == (board, "Trust Board", datetime.date(2023, 11, 30))

    second = papers.start(strategy, 2)
    papers.present(second, "the QAC", datetime.date(2024, 11, 21))  # a meeting not planned yet is recorded
    second.refresh_from_db()
    assert (second.meeting.kind, second.meeting.year, second.meeting.date) == (MeetingKind.QAC, 2, datetime.date(2024, 11, 21))

    third = papers.start(strategy, 3)
    papers.present(third, "Council of Governors", datetime.date(2025, 11, 27))  # not one of the strategy's meetings
    third.refresh_from_db()
    assert third.meeting is None and third.presented_to == "Council of Governors"


def test_the_meetings_page_shows_the_paper_presented_at_each(board_client):
    strategy = StrategyFactory()
    GoalFactory(strategy=strategy, number=1)
    papers.present(papers.start(strategy, 1), "Trust Board", datetime.date(2023, 11, 30))
    page = text_of(board_client.get(reverse("meeting_list") + "?year=1"))
    assert "30 Nov 2023" in page and f'href="/report/1/">{BoardReport.objects.get().title}</a>' in page


def test_the_demo_plans_every_years_meetings(db):
    strategy = StrategyFactory()
    _meetings(strategy)
    _meetings(strategy)  # idempotent
    for year in range(1, 6):
        kinds = list(Meeting.objects.filter(year=year).values_list("kind", flat=True))
        assert sorted(kinds) == sorted(["qisg"] * 4 + ["qasg", "qac", "trust_board"]), year
    assert list(Meeting.objects.filter(year=1).qisg().values_list("date", flat=True)) == [
        datetime.date(2022, 12, 15), datetime.date(2023, 3, 15), datetime.date(2023, 6, 15), datetime.date(2023, 9, 15)]
    assert Meeting.objects.get(year=1, kind="trust_board").date == datetime.date(2023, 11, 30)


def test_presenting_offers_the_years_trust_board_meeting(qisg_client):
    strategy = StrategyFactory()
    GoalFactory(strategy=strategy, number=1)
    papers.start(strategy, 1)
    Meeting.objects.create(strategy=strategy, kind=MeetingKind.TRUST_BOARD, date=datetime.date(2023, 11, 23), year=1)
    page = text_of(qisg_client.get(reverse("report_present", args=[1])))
    assert 'value="23/11/2023"' in page and 'value="Trust Board"' in page
