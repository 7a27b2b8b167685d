"""Reminders by email, through a real SMTP server this test starts on 127.0.0.1 (aiosmtpd): the digest before a QiSG
meeting and the weekly stale digest, once only (two runs at once included), a failed send retried on the next run."""

import datetime
import email
import email.policy
import socket
import threading

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from goals.models import Collaborative, LeanEvent, MeasurePoint
from improvement.board import reminders
from improvement.board.models import Digest, Meeting, MeetingKind, ReminderPreference, SendState, SentReminder

from ..factories import EvidenceFactory, GoalFactory, MeasureFactory, ProgressUpdateFactory, StrategyFactory, UserFactory
from ..partners.factories import PartnerFactory

TODAY = datetime.date(2026, 12, 8)  # a Tuesday; QiSG meets on 15 December


class Inbox:
    def __init__(self):
        self.messages = []
        self.refuse = False
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return "451 4.3.0 Mail server busy, try again later"
        with self.lock:
            self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted for delivery"

    def to(self, address):
        return [m for m in self.messages if m["To"] == address]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "improvement@example.nhs.uk"
    settings.SITE_URL = "https://improvement.example.nhs.uk"
    settings.REMINDER_DAYS_BEFORE_QISG = 7
    inbox.controller = controller
    yield inbox
    controller.stop()


@pytest.fixture
def trust(db, make_user):
    strategy = StrategyFactory()
    goals = {n: GoalFactory(strategy=strategy, number=n, title=f"Goal title {n}") for n in (1, 3, 7)}
    qisg = make_user("qisg")
    qisg.first_name, qisg.email = "Quinn", "qisg@example.nhs.uk"
    qisg.save()
    other = UserFactory(username="sam", first_name="Sam", last_name="Steering", email="sam@example.nhs.uk", role="QiSG member")
    make_user("board").__class__.objects.filter(username="board").update(email="board@example.nhs.uk")  # not a QiSG member
    Meeting.objects.create(strategy=strategy, kind=MeetingKind.QISG, date=datetime.date(2026, 9, 15), year=4)
    meeting = Meeting.objects.create(strategy=strategy, kind=MeetingKind.QISG, date=datetime.date(2026, 12, 15), year=5, notes="Room 3")
    ProgressUpdateFactory(goal=goals[1], author=qisg, published_on=datetime.date(2026, 11, 20))
    Collaborative.objects.create(name="Sepsis", goal=goals[1], aim="a", prompted_by="harm_data", started_on=datetime.date(2024, 8, 7),
                                 owner=other)
    falls = MeasureFactory(goal=goals[1], name="Falls per 1000 bed days", owner=qisg)
    MeasurePoint.objects.create(measure=falls, date=datetime.date(2026, 10, 31), value=5.1)
    LeanEvent.objects.create(kind="kaizen", title="Ward 12 discharge kaizen", unit="Elderly care", date=datetime.date(2026, 10, 1),
                             goal=goals[7], how_measured="t", owner=qisg)
    partner = PartnerFactory(full_name="Zebedee Quartermaine", display_name="Zeb", email="zebedee@example.org")
    EvidenceFactory(goal=goals[1], date=datetime.date(2026, 10, 2), title=f"{partner.full_name} co-designed the sepsis leaflet")
    return strategy, meeting, qisg, other


def test_each_qisg_member_gets_the_digest_before_the_meeting_and_the_weekly_stale_digest(smtp, trust):
    strategy, meeting, qisg, other = trust
    report = reminders.run(strategy, today=TODAY)
    assert len(report.sent) == 4 and not report.failed
    assert sorted(m["To"] for m in smtp.messages) == ["qisg@example.nhs.uk"] * 2 + ["sam@example.nhs.uk"] * 2  # not the board member
    before, weekly = sorted(smtp.to("qisg@example.nhs.uk"), key=lambda m: "stale: week" in m["Subject"])
    assert before["Subject"] == "QiSG meets in 7 days, Tuesday 15 December 2026: what changed and what is stale"
    assert before["From"] == "improvement@example.nhs.uk"
    text = before.get_body(("plain",)).get_content().replace("\r\n", "\n")
    html = before.get_body(("html",)).get_content()
    assert "QiSG meets in 7 days, on Tuesday 15 December 2026 (Room 3)." in text
    assert f"The agenda pack: https://improvement.example.nhs.uk/meetings/{meeting.pk}/pack/" in text
    assert "Since the previous meeting on 15 September 2026, to today:" in text
    assert "- 1 new evidence item\n- 1 judgement\n- 1 measure with new data" in text
    assert "Goals not judged this quarter:\n- Goal 3: Goal title 3 (no judgement yet)\n- Goal 7: Goal title 7 (no judgement yet)" in text
    yours = text.index("Yours:"), text.index("Everyone else's:")
    assert "Measure overdue for data: Falls per 1000 bed days –" in text[yours[0]:yours[1]]
    assert "Lean event due a re-measure: Ward 12 discharge kaizen –" in text[yours[0]:yours[1]]
    assert "Collaborative with no evidence or data in three months: Sepsis –" in text[yours[1]:]
    assert "Owner: Sam Steering." in text
    assert "Choose which reminders you get: https://improvement.example.nhs.uk/reminders/" in text
    assert 'href="https://improvement.example.nhs.uk/reminders/"' in html and "<h2" in html
    sams = sorted(smtp.to("sam@example.nhs.uk"), key=lambda m: "stale: week" in m["Subject"])[1].get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert sams.index("Collaborative with no evidence or data in three months: Sepsis –") < sams.index("Everyone else's:")  # his first
    assert weekly["Subject"] == "What has gone stale: week of 07 December 2026"
    for message in smtp.messages:  # no partner's personal data, in either part
        raw = message.as_string()
        assert "Zebedee" not in raw and "Quartermaine" not in raw and "zebedee@example.org" not in raw and "Zeb " not in raw


def test_a_reminder_is_never_sent_twice(smtp, trust):
    strategy = trust[0]
    reminders.run(strategy, today=TODAY)
    again = reminders.run(strategy, today=TODAY)
    later_that_week = reminders.run(strategy, today=TODAY + datetime.timedelta(days=2))  # the same meeting, the same week
    assert (len(again.sent), again.skipped, len(later_that_week.sent)) == (0, 4, 0)
    assert len(smtp.messages) == 4
    next_week = reminders.run(strategy, today=datetime.date(2026, 12, 14))  # a new week; the meeting's digest was sent
    assert [d for d, _, _ in next_week.sent] == [Digest.WEEKLY_STALE] * 2
    assert SentReminder.objects.filter(state=SendState.SENT).count() == 6


def test_a_second_run_while_the_first_is_sending_sends_nothing_the_first_claimed(smtp, trust, monkeypatch):
    """The other machine runs in the gap between this run's claim and its send."""
    strategy = trust[0]
    real_claim, second = reminders.claim, []

    def claim_then_the_other_machine_runs(*args):
        claimed = real_claim(*args)
        if not second:
            second.append(None)
            second.append(reminders.run(strategy, today=TODAY))
        return claimed

    monkeypatch.setattr(reminders, "claim", claim_then_the_other_machine_runs)
    first = reminders.run(strategy, today=TODAY)
    other = second[1]
    assert len(first.sent) + len(other.sent) == 4 and other.skipped >= 1
    assert sorted((m["To"], m["Subject"][:9]) for m in smtp.messages) == sorted({(m["To"], m["Subject"][:9]) for m in smtp.messages})
    assert len(smtp.messages) == 4


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_on_postgresql_send_each_reminder_once(smtp, make_user):
    if connection.vendor != "postgresql":
        pytest.skip("two connections writing at once: run on PostgreSQL (DATABASE_URL=postgres://…)")
    strategy = StrategyFactory()
    GoalFactory(strategy=strategy, number=1)
    for n in range(8):
        UserFactory(username=f"q{n}", email=f"q{n}@example.nhs.uk", role="QiSG member")
    Meeting.objects.create(strategy=strategy, kind=MeetingKind.QISG, date=TODAY + datetime.timedelta(days=3), year=5)
    results, barrier = [], threading.Barrier(2)

    def machine():
        barrier.wait()
        try:
            results.append(reminders.run(strategy, today=TODAY))
        finally:
            connection.close()

    threads = [threading.Thread(target=machine) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(len(r.sent) for r in results) == 16 and not any(r.failed for r in results)
    assert len(smtp.messages) == 16 and len({(m["To"], m["Subject"]) for m in smtp.messages}) == 16


def test_a_failed_send_is_reported_and_retried_on_the_next_run(smtp, trust, capsys):
    strategy = trust[0]
    smtp.refuse = True
    with pytest.raises(CommandError, match="4 reminder"):
        call_command("send_reminders", date=TODAY)
    out = capsys.readouterr().out
    assert "0 sent, 4 failed (retried on the next run)" in out and "SMTPDataError" in out and "qisg@example.nhs.uk" in out
    assert SentReminder.objects.filter(state=SendState.FAILED).count() == 4 and not smtp.messages
    smtp.refuse = False
    call_command("send_reminders", date=TODAY + datetime.timedelta(days=1))
    assert "4 sent, 0 failed" in capsys.readouterr().out
    assert len(smtp.messages) == 4
    assert set(SentReminder.objects.values_list("state", "attempts")) == {(SendState.SENT, 2)}
    call_command("send_reminders", date=TODAY + datetime.timedelta(days=1))
    assert len(smtp.messages) == 4


def test_a_server_that_is_down_fails_the_send_and_the_next_run_sends(smtp, trust, settings):
    strategy = trust[0]
    settings.EMAIL_PORT = free_port()  # nothing listens there
    assert len(reminders.run(strategy, today=TODAY).failed) == 4
    settings.EMAIL_PORT = smtp.controller.port
    assert len(reminders.run(strategy, today=TODAY).sent) == 4 and len(smtp.messages) == 4


def test_users_choose_their_digests(smtp, trust, client):
    strategy, _, qisg, _ = trust
    client.force_login(qisg)
    page = client.get("/reminders/").content.decode()
    assert "qisg@example.nhs.uk" in page and 'name="before_qisg"' in page and "checked" in page
    assert client.post("/reminders/", {"before_qisg": "on"}).status_code == 302  # the weekly digest unticked
    assert ReminderPreference.objects.get(user=qisg).weekly_stale is False
    reminders.run(strategy, today=TODAY)
    assert [m["Subject"][:9] for m in smtp.to("qisg@example.nhs.uk")] == ["QiSG meet"]


def test_the_digest_is_sent_only_in_its_window_before_the_meeting(smtp, trust):
    strategy = trust[0]
    assert {d for d, _, _ in reminders.run(strategy, today=datetime.date(2026, 12, 7)).sent} == {Digest.WEEKLY_STALE}  # 8 days before
    on_the_day = reminders.run(strategy, today=datetime.date(2026, 12, 15))  # a new week too
    assert {d for d, _, _ in on_the_day.sent} == {Digest.BEFORE_QISG, Digest.WEEKLY_STALE}
    assert reminders.run(strategy, today=datetime.date(2026, 12, 16)).sent == []  # after it; the week's was sent
