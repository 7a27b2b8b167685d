import csv
import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from improvement.demo import goals as goals_demo
from goals.models import Collaborative, Measure, MeasurePoint, Strategy
from improvement.board import derived
from improvement.board.dashboard import board_view

from ..factories import EvidenceFactory, MeasureFactory
from ..helpers import log_in, text_of, seed_demo


@pytest.fixture
def demo(db):
    seed_demo()
    return Strategy.objects.get()


def figures(view):
    return {f.measure.name: f for g in view.goals for f in g.figures}


def test_year_one_reproduces_the_seed_figures(demo):
    view = board_view(demo, demo.period(1), demo.period(1).first)
    found = figures(view)
    assert found["Current staff and partners trained in QI"].value == 1715
    assert found["LIM Foundation completions to date"].value == 620
    assert found["Likely or very likely to recommend LIM training"].value > 97
    assert found["CSUs with a current trained LIM facilitator"].value > 50
    assert found["Falls per 1000 bed days"].variation.kind == "improvement"  # a real SPC rule, not a claim
    assert view.summary.people_trained_to_date > 3500
    assert (view.summary.collaboratives_active, view.summary.collaboratives_stepped_down) == (4, 1)
    assert view.summary.prizes_won == 1
    assert [g.status_label for g in view.goals] == ["On track"] * 6 + ["At risk"]
    assert all(1 <= len(g.figures) <= 3 for g in view.goals)


def test_the_board_lands_on_the_dashboard_and_sees_every_goal(client, demo):
    log_in(client, "board")
    response = client.get(reverse("landing"))
    assert response["Location"] == reverse("dashboard")
    html = text_of(client.get(reverse("dashboard") + "?year=1"))
    for spec in goals_demo.GOALS:
        assert spec["title"] in html
    assert "1,715" in html and "620" in html and "97.6" in html
    assert "Special cause variation: improvement (lower values)" in html  # falls
    assert '<strong class="nhsuk-tag nhsuk-tag--orange">At risk</strong>' in html


def test_other_roles_land_on_the_goals(client, demo):
    log_in(client, "qisg")
    assert client.get(reverse("landing"))["Location"] == reverse("goals:overview")


def test_every_page_opens_on_the_one_default_year_and_says_so(client, demo):
    """One rule, the strategy year today falls in, picks the year of the dashboard, training, events, waste and
    evidence pages; each page names the year it shows."""
    log_in(client, "board")
    default = demo.default_year()
    # whatever today is: 400 days in, year 2; before the start, year 1; once the strategy has ended, its last year
    assert demo.default_year(today=demo.start_date + datetime.timedelta(days=400)) == 2
    assert demo.default_year(today=demo.start_date - datetime.timedelta(days=30)) == 1
    assert demo.default_year(today=demo.start_date + datetime.timedelta(days=365 * demo.years + 30)) == demo.years
    label = demo.period(default).label
    for url in [reverse("dashboard"), reverse("training:overview"), reverse("goals:event_list"), reverse("goals:waste_list"),
                reverse("goals:evidence_list")]:
        html = text_of(client.get(url))
        assert f'<option value="{default}" selected>{label}</option>' in html, url


def test_changes_since_a_chosen_date(client, demo):
    log_in(client, "board")
    html = text_of(client.get(reverse("dashboard") + "?year=1&since=2023-10-01"))
    assert "What changed since 1 Oct 2023" in html
    assert "New: <a" in html and "Discharge collaborative won a national prize" in html
    assert "First improvement open day" not in html.split("What changed since")[6]  # March 2023: before the date


def test_each_year_shows_the_previous_years_value(demo):
    goal5 = demo.goals.get(number=5)
    measure = MeasureFactory(goal=goal5, name="Pressure ulcers", on_dashboard=True, dashboard_order=0, improvement_direction="decrease")
    MeasurePoint.objects.create(measure=measure, date=datetime.date(2023, 10, 31), value=4.0)
    MeasurePoint.objects.create(measure=measure, date=datetime.date(2024, 10, 31), value=3.0)
    figure = figures(board_view(demo, demo.period(2), demo.period(2).first))["Pressure ulcers"]
    assert (figure.value, figure.previous, figure.by_year[:2]) == (3.0, 4.0, [(1, 4.0), (2, 3.0)])


def test_the_dashboard_query_count_does_not_grow_with_the_data(client, demo, django_assert_max_num_queries):
    log_in(client, "board")
    url = reverse("dashboard") + "?year=1"
    with django_assert_max_num_queries(25) as small:
        client.get(url)
    goal = demo.goals.get(number=6)
    EvidenceFactory.create_batch(60, goal=goal, date=datetime.date(2023, 5, 1))
    for i in range(3):
        MeasureFactory(goal=goal, on_dashboard=True, values=[float(v) for v in range(30)])
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_csv_export_has_every_goal_and_year_and_no_live_formulas(client, demo):
    Measure.objects.filter(name="Falls per 1000 bed days").update(name="=HYPERLINK(\"x\") falls")
    log_in(client, "board")
    response = client.get(reverse("dashboard_export"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["Goal", "Goal title", "Figure", "Unit", "Strategy year"]
    year_one = [r for r in rows[1:] if r[4] == "1"]
    assert {r[0] for r in year_one} == {str(n) for n in range(1, 8)}
    assert ["3", "Developing our workforce improvement skills and capability", "Current staff and partners trained in QI"] == \
        [r for r in year_one if r[2] == "Current staff and partners trained in QI"][0][:3]
    assert [r for r in year_one if "HYPERLINK" in r[2]][0][2].startswith("'=")


def test_the_report_is_the_board_paper_of_november_2023(client, demo):
    log_in(client, "board")
    html = text_of(client.get(reverse("report", args=[1])))
    for text in ["Trust Board, 30 November 2023", "Associate Medical Director for Quality Improvement", "For assurance",
                 "Reduce healthcare associated infections", "Workforce supply", "Moving towards", "Equality analysis",
                 "Recommendation", "Highlighted evidence", "Can my cannula come out?"]:
        assert text in html, text
    assert html.count("app-report__goal") == 7
    assert "Edit the cover sheet" not in html  # the board reads, QiSG edits


def test_qisg_edits_the_free_text_and_the_rest_fills_itself(client, demo):
    from improvement.board.models import BoardReport

    log_in(client, "qisg")
    year = demo.default_year()  # the year in progress: its paper is a draft (a presented one is amended, not edited)
    report = BoardReport.objects.get(year=year)
    form = text_of(client.get(reverse("report_edit", args=[year])))
    assert "Annual commitments" in form
    data = {
        "version": report.version, "goals-TOTAL_FORMS": "0", "goals-INITIAL_FORMS": "0",
        "title": report.title, "meeting_date": "30/11/2023", "paper_date": "19/11/2023", "author": report.author,
        "purpose": "For assurance", "summary": "A new summary.", "key_points": "", "background": "", "financial_implications": "",
        "risk": "", "communication_and_involvement": "", "equality_analysis": "", "freedom_of_information": "",
        "recommendation": "Note, for assurance.", "supporting_information": "",
        "commitments-TOTAL_FORMS": "0", "commitments-INITIAL_FORMS": "0", "risks-TOTAL_FORMS": "0", "risks-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("report_edit", args=[year]), data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.summary == "A new summary." and report.history.first().history_user.username == "qisg"
    assert "A new summary." in text_of(client.get(reverse("report", args=[year])))


def test_the_pdf_has_the_goal_titles_and_the_seed_figures(client, demo):
    log_in(client, "board")
    response = client.get(reverse("report_pdf", args=[1]))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert len(reader.pages) >= 8  # a cover, a summary, a page or more per goal
    for spec in goals_demo.GOALS:
        assert " ".join(spec["title"].split()) in text, spec["title"]
    for figure in ["1,715", "620", "97.6", "3500", "For assurance"]:
        assert figure in text, figure


def test_derived_measures_follow_their_records(demo):
    measure = Measure.objects.get(derived_from="goals.active_collaboratives")
    Collaborative.objects.create(name="Stroke", goal=demo.goals.get(number=1), aim="Faster antibiotics",
                                 prompted_by="harm_data", started_on=datetime.date(2024, 1, 10))
    before = measure.points.get(date=datetime.date(2024, 1, 31)).value
    derived.refresh(today=datetime.date(2024, 3, 1))
    assert measure.points.get(date=datetime.date(2024, 1, 31)).value == before + 1
    assert measure.points.order_by("date").last().date == datetime.date(2024, 2, 29)  # whole months only
