import datetime

from django.contrib.auth import authenticate
from django.test import RequestFactory
from django.urls import reverse

from improvement.demo import goals as demo
from improvement.demo import training as training_demo
from training.models import Course
from goals.models import Ambition, EvidenceItem, Goal, ProgressUpdate, Strategy

from .helpers import log_in, text_of, seed_demo


def snapshot():
    models = [Strategy, Goal, Ambition, EvidenceItem, ProgressUpdate, Goal.history.model, EvidenceItem.history.model]
    return {m.__name__: sorted(m.objects.values_list("pk", flat=True)) for m in models}


def test_seeding_twice_leaves_the_same_data(db):
    seed_demo()
    first = snapshot()
    seed_demo()
    assert snapshot() == first
    assert len(first["Goal"]) == 7


def test_a_new_installation_has_no_course_until_its_strategy_file_or_the_demo_gives_some(db):
    # The test database is made by running every migration: none of them may create a trust's courses.
    assert not Course.objects.exists()


def test_the_demo_creates_the_six_courses_of_the_leeds_improvement_method(db):
    seed_demo()
    assert sorted(Course.objects.values_list("name", "kind")) == [
        ("Excellence In Administration", "excellence_in"), ("Excellence In Nursing", "excellence_in"),
        ("Improvement principles e-learning", "other"), ("LIM Foundation", "foundation"),
        ("LIM facilitator training", "facilitator"), ("QI teaching", "qi_teaching"),
    ]


def test_the_demo_leaves_an_installations_own_courses_as_they_are(db):
    Course.objects.create(name="Fire safety", kind="other")
    Course.objects.create(name="lim foundation", kind="foundation")  # the trust's spelling of a demo course
    training_demo.seed_courses()
    assert Course.objects.count() == 7  # the trust's two and the demo's five others
    assert Course.objects.filter(name="Fire safety").exists() and not Course.objects.filter(name="LIM Foundation").exists()


def test_the_demo_logins_work_with_their_roles(db):
    seed_demo()
    for username, role in [("board", "Board member"), ("qisg", "QiSG member"), ("partneradmin", "Partner admin")]:
        user = authenticate(RequestFactory().post("/login/"), username=username, password="improve-demo")
        assert [g.name for g in user.groups.all()] == [role]
    assert authenticate(RequestFactory().post("/login/"), username="admin", password="improve-demo").is_superuser


def test_no_login_exists_before_the_demo_is_loaded(db):
    from django.contrib.auth import get_user_model

    assert get_user_model().objects.count() == 0


def test_the_demo_home_page_shows_the_seven_goals_of_year_one(client, db):
    seed_demo()
    log_in(client, "board")
    html = text_of(client.get(reverse("goals:overview")))
    for spec in demo.GOALS:
        assert spec["title"] in html
    assert "LTHT Improvement Strategy 2022-27" in html


def test_the_demo_reproduces_the_year_one_figures(db):
    seed_demo()
    strategy = Strategy.objects.get()
    assert strategy.year_bounds(1) == (datetime.date(2022, 11, 1), datetime.date(2023, 10, 31))
    text = " ".join(EvidenceItem.objects.values_list("title", flat=True)) + " ".join(
        ProgressUpdate.objects.values_list("narrative", flat=True)
    )
    for fact in ["620 staff", "1214 colleagues", "About 300 people a year", "1715 current staff and partners",
                 "97%", "3500 staff", "more than 50% of clinical service units", "can my cannula come out?",
                 "2022 Patient Safety Congress", "meds on time", "patient positive identification",
                 "Two open days", "national prize", "falls per 1000 bed days", "Warwick Business School"]:
        assert fact.lower() in text.lower(), fact
