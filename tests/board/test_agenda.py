"""The agenda pack of a QiSG meeting: what changed since the previous meeting (each day in exactly one pack), each
goal's status and whether it was judged this quarter, SPC signals that changed, the stale list; as a page and a PDF."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from goals.models import Collaborative, MeasurePoint
from improvement.board import agenda
from improvement.board.models import Meeting, MeetingKind
from training.models import ImportRun

from ..factories import EvidenceFactory, GoalFactory, MeasureFactory, ProgressUpdateFactory, StrategyFactory
from ..helpers import text_of

D = datetime.date


@pytest.fixture
def meetings(db):
    strategy = StrategyFactory()
    GoalFactory(strategy=strategy, number=1, title="Quality improvement collaboratives")
    GoalFactory(strategy=strategy, number=3, title="Improvement skills")
    previous = Meeting.objects.create(strategy=strategy, kind=MeetingKind.QISG, date=D(2026, 9, 15), year=4)
    this = Meeting.objects.create(strategy=strategy, kind=MeetingKind.QISG, date=D(2026, 12, 15), year=5)
    Meeting.objects.create(strategy=strategy, kind=MeetingKind.TRUST_BOARD, date=D(2026, 11, 26), year=4)  # not a QiSG
    return strategy, previous, this


def test_since_the_previous_meeting_is_the_days_after_it_up_to_this_meetings_day(meetings, qisg_user):
    strategy, previous, this = meetings
    goal = strategy.goals.get(number=1)
    for day, title in [(D(2026, 9, 15), "On the previous meeting's day"), (D(2026, 9, 16), "The day after"),
                       (D(2026, 12, 15), "On this meeting's day"), (D(2026, 12, 16), "The day after this one")]:
        EvidenceFactory(goal=goal, date=day, title=title)
    ProgressUpdateFactory(goal=goal, author=qisg_user, published_on=D(2026, 9, 15))
    judged = ProgressUpdateFactory(goal=goal, author=qisg_user, published_on=D(2026, 12, 15))
    measure = MeasureFactory(goal=goal, name="Falls")
    for day in [D(2026, 9, 15), D(2026, 9, 30), D(2026, 10, 31)]:
        MeasurePoint.objects.create(measure=measure, date=day, value=1)
    Collaborative.objects.create(name="Started", goal=goal, aim="a", prompted_by="harm_data", started_on=D(2026, 9, 16))
    Collaborative.objects.create(name="Old", goal=goal, aim="a", prompted_by="harm_data", started_on=D(2022, 1, 1),
                                 stepped_down_on=D(2026, 12, 15), step_down_reason="Improvements sustained")
    ImportRun.objects.create(kind="training", imported_on=D(2026, 9, 15), rows=5, added=5)
    run = ImportRun.objects.create(kind="training", imported_on=D(2026, 10, 1), rows=9, added=4)

    pack = agenda.pack(this, today=D(2026, 12, 20))
    assert (pack.previous, pack.first_day, pack.until, pack.to_date) == (previous, D(2026, 9, 16), D(2026, 12, 15), False)
    assert [e.title for e in pack.evidence] == ["The day after", "On this meeting's day"]
    assert pack.judgements == [judged]
    assert pack.points == [(measure, 2)]
    assert [c.name for c in pack.started] == ["Started"] and [c.name for c in pack.stepped_down] == ["Old"]
    assert pack.training_imports == [run]
    earlier = agenda.pack(previous, today=D(2026, 12, 20))  # the first QiSG: the three months before it
    assert earlier.previous is None and earlier.first_day == D(2026, 6, 16)
    assert [e.title for e in earlier.evidence] == ["On the previous meeting's day"]


def test_a_pack_before_its_meeting_runs_to_today(meetings):
    strategy, _, this = meetings
    EvidenceFactory(goal=strategy.goals.get(number=1), date=D(2026, 12, 1), title="Yesterday")
    EvidenceFactory(goal=strategy.goals.get(number=1), date=D(2026, 12, 3), title="Tomorrow (a planned event)")
    pack = agenda.pack(this, today=D(2026, 12, 2))
    assert (pack.until, pack.to_date) == (D(2026, 12, 2), True)
    assert [e.title for e in pack.evidence] == ["Yesterday"]
    assert pack.stale.as_at == D(2026, 12, 2)


def test_each_goal_says_whether_it_was_judged_this_quarter(meetings, qisg_user):
    strategy, _, this = meetings
    ProgressUpdateFactory(goal=strategy.goals.get(number=1), author=qisg_user, published_on=D(2026, 11, 20), status="at_risk")
    ProgressUpdateFactory(goal=strategy.goals.get(number=3), author=qisg_user, published_on=D(2026, 7, 20), status="achieved")
    lines = {line.goal.number: line for line in agenda.pack(this, today=D(2026, 12, 20)).goals}
    assert (lines[1].status_label, lines[1].judged_this_quarter) == ("At risk", True)
    assert (lines[3].status_label, lines[3].judged_this_quarter) == ("Achieved", False)


def test_a_measure_whose_spc_signal_changed_is_listed(meetings):
    strategy, _, this = meetings
    steady = MeasureFactory(goal=strategy.goals.get(number=1), name="Steady", improvement_direction="decrease")
    shifting = MeasureFactory(goal=strategy.goals.get(number=1), name="Shifting", improvement_direction="decrease")
    months = [D(2024 + (m + 8) // 12, (m + 8) % 12 + 1, 1) for m in range(28)]  # September 2024 to December 2026
    for i, day in enumerate(months):
        MeasurePoint.objects.create(measure=steady, date=day, value=10 + (i % 3) * 0.5)
        MeasurePoint.objects.create(measure=shifting, date=day, value=(10 + (i % 3) * 0.5) if day <= D(2026, 9, 1) else 4)
    changes = agenda.pack(this, today=D(2026, 12, 20)).signals
    assert [c.measure.name for c in changes] == ["Shifting"]
    assert changes[0].before != changes[0].now and "improvement" in changes[0].now.lower()


def test_the_pack_page_and_its_pdf(meetings, board_client, settings, tmp_path):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": tmp_path}}
    strategy, _, this = meetings
    EvidenceFactory(goal=strategy.goals.get(number=3), date=D(2026, 10, 5), title="Foundation doctors taught QI")
    page = text_of(board_client.get(reverse("meeting_pack", args=[this.pk])))
    assert "Agenda pack: Quality Improvement Steering Group (QiSG), 15 December 2026" in page
    assert "since the previous QiSG meeting on 15 September 2026" in page
    assert "Foundation doctors taught QI" in page and "4. What has gone stale" in page
    assert "Goal not judged this quarter (2)" in page
    board = Meeting.objects.get(kind=MeetingKind.TRUST_BOARD)
    assert board_client.get(reverse("meeting_pack", args=[board.pk])).status_code == 404  # a pack is a QiSG's
    listed = text_of(board_client.get(reverse("meeting_list") + "?year=5"))
    assert f'href="/meetings/{this.pk}/pack/">Agenda pack' in listed

    response = board_client.get(reverse("meeting_pack_pdf", args=[this.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Agenda pack" in text and "Foundation doctors taught QI" in text and "What has gone stale" in text
    assert "Page 1 of" in text


def test_a_pack_whose_previous_meeting_is_still_to_come_says_so(meetings, board_client):
    strategy, previous, this = meetings
    EvidenceFactory(goal=strategy.goals.get(number=1), date=D(2026, 9, 1), title="Before either")
    pack = agenda.pack(this, today=D(2026, 9, 10))  # before the September meeting
    assert pack.not_begun and pack.evidence == [] and pack.stale.as_at == D(2026, 9, 10)
    assert not agenda.pack(this, today=D(2026, 9, 16)).not_begun


def test_the_pack_takes_the_same_queries_however_much_changed(meetings, qisg_user, django_assert_num_queries):
    strategy, _, this = meetings
    goal = strategy.goals.get(number=1)
    MeasureFactory(goal=goal)  # a measure (its points and rebases are fetched only when there is one)
    with CaptureQueriesContext(connection) as small:
        agenda.pack(this, today=D(2026, 12, 20))
    for n in range(6):
        EvidenceFactory(goal=goal, date=D(2026, 10, n + 1))
        ProgressUpdateFactory(goal=goal, author=qisg_user, published_on=D(2026, 10, n + 1))
        measure = MeasureFactory(goal=goal)
        for month in range(1, 13):
            MeasurePoint.objects.create(measure=measure, date=D(2026, month, 1), value=month)
        Collaborative.objects.create(name=f"C{n}", goal=goal, aim="a", prompted_by="harm_data", started_on=D(2026, 10, 1))
        ImportRun.objects.create(kind="training", imported_on=D(2026, 10, n + 1), rows=1, added=1)
    with django_assert_num_queries(len(small.captured_queries)):
        pack = agenda.pack(this, today=D(2026, 12, 20))
    assert len(pack.evidence) == 6 and len(pack.points) == 6 and len(pack.started) == 6
