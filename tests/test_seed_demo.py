import datetime

from django.contrib.auth import authenticate
from django.test import RequestFactory
from django.urls import reverse

from improvement.demo import goals as demo
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
