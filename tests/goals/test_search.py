"""Search across the strategy's records: words, ranking, filters, paging, links; never partners. Runs on SQLite
(the simple fallback) and on PostgreSQL (full-text search) alike."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from goals.models import Collaborative, Event
from goals.search import PAGE_SIZE, search

from ..factories import AmbitionFactory, EvidenceFactory, GoalFactory, MeasureFactory, ProgressUpdateFactory
from ..helpers import text_of
from ..partners.factories import PartnerFactory

SEARCH = reverse("goals:search")


@pytest.fixture
def records(db):
    goal = GoalFactory(number=5, title="Safer care", intent="Fewer falls and pressure ulcers.")
    other = GoalFactory(number=3, title="Workforce skills", intent="Training people in improvement.")
    return {
        "goal": goal, "other": other,
        "evidence": EvidenceFactory(goal=goal, title="Ward 7 award", summary="The ward cut inpatient falls by a third with hourly rounding.",
                                    date=datetime.date(2023, 5, 1)),
        "titled": EvidenceFactory(goal=goal, title="Falls bundle launched", summary="A bundle for every ward.", date=datetime.date(2024, 2, 1)),
        "unrelated": EvidenceFactory(goal=other, title="Coaching surgery", summary="Twelve people came.", date=datetime.date(2023, 6, 1)),
        "update": ProgressUpdateFactory(goal=goal, narrative="Rounding is reducing falls on every ward."),
        "ambition": AmbitionFactory(goal=goal, text="Halve inpatient falls by 2027"),
        "measure": MeasureFactory(goal=goal, name="Falls per 1000 bed days", description="Inpatient falls, monthly."),
        "collaborative": Collaborative.objects.create(name="Falls", goal=goal, aim="Fewer falls", prompted_by="harm_data",
                                                      started_on=datetime.date(2022, 7, 1)),
        "event": Event.objects.create(kind="open_day", title="Falls open day", date=datetime.date(2023, 3, 15), goal=goal),
    }


def test_it_finds_an_evidence_item_by_a_word_in_its_summary(board_client, records):
    page = text_of(board_client.get(SEARCH, {"q": "rounding"}))
    assert "Ward 7 award" in page
    assert f'href="/goals/5/#evidence-{records["evidence"].pk}"' in page
    assert "Coaching surgery" not in page


def test_it_finds_every_kind_and_links_each_hit_to_its_page(board_client, records):
    results = search("falls")
    urls = {hit.url for hit in results.hits}
    assert {hit.kind.key for hit in results.hits} == {"evidence", "update", "goal", "ambition", "measure", "collaborative", "event"}
    assert f"/goals/5/#update-{records['update'].pk}" in urls
    assert f"/measures/{records['measure'].pk}/" in urls
    assert f"/programme/collaboratives/{records['collaborative'].pk}/" in urls
    assert f"/programme/events/?year=all#event-{records['event'].pk}" in urls
    for url in urls:
        assert board_client.get(url.split("#")[0]).status_code == 200, url


def test_a_word_in_the_title_ranks_above_one_in_the_text(records):
    evidence = [hit.heading for hit in search("falls", kind="evidence").hits]
    assert evidence == ["Falls bundle launched", "Ward 7 award"]


def test_it_filters_by_goal_kind_and_year(records):
    strategy = records["goal"].strategy
    assert {hit.kind.key for hit in search("falls", kind="measure").hits} == {"measure"}
    assert search("people", goal=3).total == 2  # the other goal's intent and its evidence
    assert search("people", goal=5).total == 0
    year_one = search("falls", period=strategy.period(1))
    assert {hit.heading for hit in year_one.hits} == {"Ward 7 award", "Falls open day", "On track: judgement of Nov 2022 to Oct 2023"}
    assert all(hit.kind.date for hit in year_one.hits)  # undated kinds are left out when a year is chosen


def test_results_are_paged(board_client, records):
    for i in range(PAGE_SIZE + 5):
        EvidenceFactory(goal=records["goal"], title=f"Huddle {i}", summary="A safety huddle.", date=datetime.date(2023, 1, 1) + datetime.timedelta(days=i))
    first, second = search("huddle"), search("huddle", page=2)
    assert first.total == PAGE_SIZE + 5 and first.pages == 2 and first.has_next
    assert len(first.hits) == PAGE_SIZE and len(second.hits) == 5
    assert not {h.url for h in first.hits} & {h.url for h in second.hits}
    page = text_of(board_client.get(SEARCH, {"q": "huddle"}))
    assert "page=2" in page and "Page 2 of 2" in page


def test_it_never_finds_partners(board_client, records):
    PartnerFactory(full_name="Falls Champion Smith", display_name="Falls Champion", email="falls@example.org")
    page = text_of(board_client.get(SEARCH, {"q": "champion"}))
    assert "No results" in page and "Smith" not in page and "falls@example.org" not in page


def test_odd_input_is_answered_never_a_500(board_client, records):
    for q in ["", "   ", "&|!():*", "'; DROP TABLE goals_goal; --", "<script>alert(1)</script>", "\x00", "x" * 5000, "fall & ulcer"]:
        response = board_client.get(SEARCH, {"q": q})
        assert response.status_code == 200, q
        assert "<script>alert(1)</script>" not in text_of(response)
    assert "Enter at most 200 characters" in text_of(board_client.get(SEARCH, {"q": "x" * 201}))
    assert board_client.get(SEARCH, {"q": "falls", "goal": "nine", "year": "99", "kind": "partners", "page": "-1"}).status_code == 200


def test_the_search_box_is_in_the_header_of_every_page(board_client, records):
    page = text_of(board_client.get(reverse("goals:overview")))
    assert f'action="{SEARCH}"' in page and 'name="q"' in page


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's English stemming")
def test_on_postgresql_a_word_finds_its_other_forms(records):
    assert "Ward 7 award" in {hit.heading for hit in search("fall rounds").hits}


def test_results_are_kept_until_the_data_change(board_client, records, django_capture_on_commit_callbacks, django_assert_max_num_queries):
    with django_capture_on_commit_callbacks(execute=True):  # the records, committed: pages may be cached
        EvidenceFactory(goal=records["goal"], title="Rounding audit", date=datetime.date(2023, 7, 1))
    assert "Rounding audit" in text_of(board_client.get(SEARCH, {"q": "rounding"}))
    with django_assert_max_num_queries(8):  # from the cache: session, user, permissions, stamp, strategy, goals
        board_client.get(SEARCH, {"q": "rounding"})
    with django_capture_on_commit_callbacks(execute=True):
        EvidenceFactory(goal=records["goal"], title="Rounding on ward 9", date=datetime.date(2023, 8, 1))
    assert "Rounding on ward 9" in text_of(board_client.get(SEARCH, {"q": "rounding"}))
