"""Every URL × every role. The table is checked against the URL conf: a new URL without an entry fails."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from django.utils import timezone

from goals.models import Collaborative, Event, LeanEvent, Rebase
from improvement.board.models import BoardReport, FrozenPaper, Meeting, PaperState

from .factories import EvidenceFactory, GoalFactory, MeasureFactory, ProgressUpdateFactory, StrategyFactory
from .partners.factories import access_table_args as partner_args

ROLES = ["anonymous", "board", "qisg", "partneradmin", "admin"]
READ = {"anonymous": 302, "board": 200, "qisg": 200, "partneradmin": 200, "admin": 200}
RECORD = {"anonymous": 302, "board": 403, "qisg": 200, "partneradmin": 403, "admin": 200}
PUBLIC = dict.fromkeys(ROLES, 200)
RECORD_POST_ONLY = {**dict.fromkeys(ROLES, 405), "anonymous": 302}
RECORD_REDIRECT = {**RECORD, "qisg": 302, "admin": 302}  # a POST that does its work and goes back to the page
PARTNER = {"anonymous": 302, "board": 403, "qisg": 403, "partneradmin": 200, "admin": 200}
API_TOKEN = dict.fromkeys(ROLES, 401)  # the JSON API: a service token or nothing; a browser session is never enough
NOT_ALLOWED = dict.fromkeys(ROLES, 405)
SITE_ADMIN = {"anonymous": 302, "board": 403, "qisg": 403, "partneradmin": 403, "admin": 200}

# url name -> (GET status per role, POST status per role or None when POST is not allowed)
ACCESS = {
    # logged in: sent home; logged out, a POST without credentials gets the form back with its errors
    "login": ({**PUBLIC, **{r: 302 for r in ROLES if r != "anonymous"}}, {**PUBLIC, **{r: 302 for r in ROLES if r != "anonymous"}}),
    "logout": ({**dict.fromkeys(ROLES, 405), "anonymous": 302}, {**dict.fromkeys(ROLES, 302)}),
    "healthz": (PUBLIC, {**dict.fromkeys(ROLES, 405)}),
    # single sign-on: open to anyone, and not there unless it is set up (tests/test_single_sign_on.py sets it up)
    "sso_start": (dict.fromkeys(ROLES, 404), NOT_ALLOWED),
    "sso_callback": (dict.fromkeys(ROLES, 404), NOT_ALLOWED),
    "sso_refused": (dict.fromkeys(ROLES, 404), NOT_ALLOWED),
    "goals:overview": (READ, None),
    "goals:goal_detail": (READ, None),
    "goals:goal_history": (READ, None),
    "goals:evidence_new": (RECORD, RECORD),
    "goals:evidence_edit": (RECORD, RECORD),
    "goals:evidence_history": (READ, None),
    "goals:evidence_file": ({**READ, **{r: 404 for r in READ if r != "anonymous"}}, None),  # the sample has no file
    "goals:update_new": (RECORD, RECORD),
    "goals:update_edit": (RECORD, RECORD),
    "goals:update_history": (READ, None),
    "goals:measure_list": (READ, None),
    "goals:measure_new": (RECORD, RECORD),
    "goals:measure_detail": (READ, None),
    "goals:measure_edit": (RECORD, RECORD),
    "goals:measure_import": (RECORD, RECORD),
    "goals:point_add": ({**RECORD_POST_ONLY}, RECORD),
    "goals:rebase_add": ({**RECORD_POST_ONLY}, RECORD),
    "goals:point_edit": (RECORD, RECORD),
    "goals:point_delete": (RECORD, RECORD),
    "goals:rebase_edit": (RECORD, RECORD),
    "goals:rebase_delete": (RECORD, RECORD),
    "goals:collaborative_list": (READ, None),
    "goals:collaborative_new": (RECORD, RECORD),
    "goals:collaborative_detail": (READ, None),
    "goals:collaborative_edit": (RECORD, RECORD),
    "goals:collaborative_step_down": (RECORD, RECORD),
    "goals:member_add": ({**RECORD_POST_ONLY}, RECORD),
    "goals:event_list": (READ, None),
    "goals:event_new": (RECORD, RECORD),
    "goals:event_edit": (RECORD, RECORD),
    "goals:waste_list": (READ, None),
    "goals:lean_new": (RECORD, RECORD),
    "goals:lean_edit": (RECORD, RECORD),
    "goals:lean_remeasure": (RECORD, RECORD),
    "goals:evidence_list": (READ, None),
    "goals:search": (READ, None),
    "landing": ({**dict.fromkeys(ROLES, 302)}, None),
    "bench_floor": (READ, None),  # bench/run's floor: any logged-in user
    "dashboard": (READ, None),
    "dashboard_export": (READ, None),
    "dashboard_xlsx": (READ, None),
    "goals:measure_xlsx": (READ, None),
    "goals:evidence_xlsx": (READ, None),
    "training:figures_xlsx": (READ, None),
    # board papers: read by every role once shared; started, edited, shared, presented and amended by QiSG
    "reports": (READ, None),
    "report": (READ, None),
    "report_pdf": (READ, None),
    "earlier_report": (READ, None),  # a paper presented under the strategy before the current one
    "earlier_report_pdf": (READ, None),
    "report_start": (RECORD_POST_ONLY, RECORD_REDIRECT),
    "report_edit": (RECORD, RECORD),
    "report_share": (RECORD_POST_ONLY, RECORD_REDIRECT),
    "report_present": (RECORD, RECORD),
    "report_amend": (RECORD, RECORD),
    # meetings: read by every role; their dates set by QiSG; each user chooses their own reminders
    "meeting_list": (READ, None),
    "meeting_new": (RECORD, RECORD),
    "meeting_edit": (RECORD, RECORD),
    "meeting_pack": (READ, None),
    "meeting_pack_pdf": (READ, None),
    "reminder_preferences": ({**READ}, {**dict.fromkeys(ROLES, 302)}),
    # the strategy file: site administrators alone (an empty POST gets the form back with its error)
    "strategy_file": (SITE_ADMIN, SITE_ADMIN),
    "strategy_file_export": (SITE_ADMIN, None),
    # training: the figures are read by every role; imports (check, then confirm) are QiSG's
    "training:overview": (READ, None),
    "training:import_training": (RECORD, RECORD),
    "training:import_feedback": (RECORD, RECORD),
    # partners: personal data, for partner admins alone; Goal 2's anonymous figures for every reader
    "partners:partner_list": (PARTNER, None),
    "partners:partner_new": (PARTNER, PARTNER),
    "partners:partner_detail": (PARTNER, None),
    "partners:partner_edit": (PARTNER, PARTNER),
    "partners:partner_leave": (PARTNER, PARTNER),
    "partners:role_new": (PARTNER, PARTNER),
    "partners:contribution_new": (PARTNER, PARTNER),
    "partners:partner_history": (PARTNER, None),
    "partners:partner_export": (PARTNER, None),
    "partners:partner_erase": (PARTNER, PARTNER),
    "partners:cohort_list": (PARTNER, None),
    "partners:cohort_new": (PARTNER, PARTNER),
    "partners:cohort_edit": (PARTNER, PARTNER),
    "partners:figures": (READ, None),
    # the JSON API (tests/api: every endpoint × token × verb); its schema and its page are public
    "api:api-root": (PUBLIC, NOT_ALLOWED),
    "api:openapi-json": (PUBLIC, NOT_ALLOWED),
    **{f"api:{name}": (API_TOKEN, NOT_ALLOWED)
       for name in ["strategy", "goals", "ambitions", "measures", "measure", "evidence", "headline_figures"]},
    "api:points": (API_TOKEN, API_TOKEN),
    "api:points_add": (API_TOKEN, API_TOKEN),
}
# Django's admin has its own access rules (staff only); its root stands for all of it.
ADMIN_ROOT = {"anonymous": 302, "board": 302, "qisg": 302, "partneradmin": 302, "admin": 200}


def url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def test_every_url_has_an_entry_in_the_access_table():
    assert {name for name, _ in url_names()} == set(ACCESS)


def test_every_view_states_who_may_use_it():
    for name, pattern in url_names():
        assert hasattr(pattern.callback, "required_permissions"), f"{name} does not declare its permissions"


@pytest.fixture
def sample_urls(db):
    goal = GoalFactory(number=1)
    evidence = EvidenceFactory(goal=goal)
    update = ProgressUpdateFactory(goal=goal)
    measure = MeasureFactory(goal=goal, values=[5.0])
    point, rebase = measure.points.get(), Rebase.objects.create(measure=measure, date=datetime.date(2022, 1, 1), reason="New bundle")
    collaborative = Collaborative.objects.create(name="Falls", goal=goal, aim="Fewer falls", prompted_by="harm_data",
                                                 started_on=datetime.date(2022, 7, 1))
    event = Event.objects.create(kind="open_day", title="Open day", date=datetime.date(2023, 3, 15), goal=goal)
    lean = LeanEvent.objects.create(kind="5s", title="5S", unit="Stores", date=datetime.date(2024, 2, 1), goal=goal, how_measured="t")
    presented = BoardReport.objects.create(strategy=goal.strategy, year=1, title="Year one", meeting_date=datetime.date(2023, 11, 30),
                                           author="A", state=PaperState.PRESENTED, presented_to="Trust Board",
                                           presented_on=datetime.date(2023, 11, 30))
    FrozenPaper.objects.create(report=presented, frozen_at=timezone.now(), html="<p>Year one</p>", figures={"summary": {}, "goals": []},
                               pdf=b"%PDF-1.7 as presented", pdf_sha256="0" * 64)
    BoardReport.objects.create(strategy=goal.strategy, year=2, title="Year two", meeting_date=datetime.date(2024, 11, 28), author="A",
                               state=PaperState.SHARED, shared_on=datetime.date(2024, 11, 20))
    meeting = Meeting.objects.create(strategy=goal.strategy, kind="qisg", date=datetime.date(2023, 3, 15), year=1)
    earlier = BoardReport.objects.create(
        strategy=StrategyFactory(name="Test Improvement Strategy 2017-22", start_date=datetime.date(2017, 11, 1)), year=5,
        title="Year five", meeting_date=datetime.date(2022, 11, 24), author="A", state=PaperState.PRESENTED,
        presented_to="Trust Board", presented_on=datetime.date(2022, 11, 24))
    FrozenPaper.objects.create(report=earlier, frozen_at=timezone.now(), html="<p>Year five</p>", figures={"summary": {}, "goals": []},
                               pdf=b"%PDF-1.7 as presented", pdf_sha256="0" * 64)
    args = {
        **dict.fromkeys(["earlier_report", "earlier_report_pdf"], [earlier.pk]),
        **dict.fromkeys(["meeting_edit", "meeting_pack", "meeting_pack_pdf"], [meeting.pk]),
        "goal_detail": [1], "goal_history": [1], "evidence_new": [1], "update_new": [1],
        "evidence_edit": [evidence.pk], "evidence_history": [evidence.pk], "evidence_file": [evidence.pk],
        "update_edit": [update.pk], "update_history": [update.pk],
        **dict.fromkeys(["measure_detail", "measure_xlsx", "measure_edit", "measure_import", "point_add", "rebase_add", "measure", "points", "points_add"],
                        [measure.pk]),
        **dict.fromkeys(["point_edit", "point_delete"], [measure.pk, point.pk]),
        **dict.fromkeys(["rebase_edit", "rebase_delete"], [measure.pk, rebase.pk]),
        **dict.fromkeys(["collaborative_detail", "collaborative_edit", "collaborative_step_down", "member_add"], [collaborative.pk]),
        "event_edit": [event.pk], "lean_edit": [lean.pk], "lean_remeasure": [lean.pk], **dict.fromkeys(["report", "report_pdf", "report_amend"], [1]),
        **dict.fromkeys(["report_edit", "report_share", "report_present"], [2]), "report_start": [3],
        **partner_args(goal),
    }
    return {name: reverse(name, args=args.get(name.split(":")[-1], [])) for name in ACCESS}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_what_the_table_says(client, make_user, sample_urls, role):
    if role != "anonymous":
        client.force_login(make_user(role))
    failures = []
    for name, (get_expected, post_expected) in ACCESS.items():
        url = sample_urls[name]
        if name == "logout":
            continue  # checked below: posting it ends the session
        status = client.get(url).status_code
        if status != get_expected[role]:
            failures.append(f"GET {url} ({name}) as {role}: {status}, expected {get_expected[role]}")
        post_status = client.post(url, {}).status_code
        expected_post = post_expected[role] if post_expected else (302 if role == "anonymous" else 405)
        if post_status != expected_post:
            failures.append(f"POST {url} ({name}) as {role}: {post_status}, expected {expected_post}")
    admin_status = client.get("/admin/").status_code
    if admin_status != ADMIN_ROOT[role]:
        failures.append(f"GET /admin/ as {role}: {admin_status}, expected {ADMIN_ROOT[role]}")
    assert not failures, "\n".join(failures)


def test_logged_out_visitors_are_sent_to_the_login_page(client, sample_urls):
    response = client.get(sample_urls["goals:goal_detail"])
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/goals/1/"


@pytest.mark.parametrize("role", ["board", "qisg", "partneradmin", "admin"])
def test_logout_is_a_post_that_ends_the_session(client, make_user, role):
    client.force_login(make_user(role))
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("goals:overview")).status_code == 302


def test_repeated_failed_logins_lock_the_account_with_a_clear_message(client, make_user):
    make_user("board")
    for _ in range(4):
        response = client.post(reverse("login"), {"username": "board", "password": "wrong"})
        assert response.status_code == 200 and "Please enter a correct username and password" in response.content.decode()
    assert client.post(reverse("login"), {"username": "board", "password": "wrong"}).status_code == 429  # the fifth
    response = client.post(reverse("login"), {"username": "board", "password": "correct-horse-battery"})
    assert response.status_code == 429
    assert "Too many failed log in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_session_idle_for_eight_hours_has_expired(client, make_user, goal):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client.force_login(make_user("board"))
    assert client.get(reverse("goals:overview")).status_code == 200
    session = Session.objects.get()
    # Every request pushes the expiry 8 hours on; a session untouched for longer is gone.
    assert session.expire_date > timezone.now() + datetime.timedelta(hours=7, minutes=59)
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(reverse("goals:overview"))["Location"].startswith("/login/")


def test_reading_pages_pushes_the_expiry_on_at_most_once_a_minute(client, make_user, goal):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from improvement.core.sessions import REFRESHED_AT

    client.force_login(make_user("board"))
    client.get(reverse("goals:overview"))
    with CaptureQueriesContext(connection) as read:
        client.get(reverse("goals:overview"))
    assert not [q for q in read.captured_queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]
    session = client.session
    session[REFRESHED_AT] -= 61  # as if the last push were more than a minute ago
    session.save()
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(hours=1))
    client.get(reverse("goals:overview"))
    assert Session.objects.get().expire_date > timezone.now() + datetime.timedelta(hours=7, minutes=59)


def test_head_is_answered_wherever_get_is(client, make_user, sample_urls):
    """HEAD is GET without the body (load balancers and link checkers send it): never a 405 where GET answers."""
    client.force_login(make_user("admin"))
    checked = 0
    for name, (get_expected, _) in ACCESS.items():
        if get_expected["admin"] != 200 or name == "report_pdf":
            continue
        response = client.head(sample_urls[name])
        assert response.status_code == 200, name
        assert response.content == b"", name
        checked += 1
    assert checked >= 30
    client.logout()
    assert client.head(reverse("healthz")).status_code == 200
