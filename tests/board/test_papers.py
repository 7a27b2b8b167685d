"""A board paper for every strategy year: started prefilled, edited, shared, presented and frozen, amended.

The freezing tests commit for real (a transactional test): what the board read must survive later commits, the
write hook's derived-measure refresh included, and a release that changes the paper's template."""

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import engines
from django.urls import reverse
from pypdf import PdfReader

from goals.models import EvidenceItem, Measure, MeasurePoint, ProgressUpdate, Status, Strategy
from improvement.board.models import AnnualCommitment, BoardReport, FrozenPaper, PaperState
from training.models import PendingUpload

from ..factories import GoalFactory, MeasureFactory, ProgressUpdateFactory, StrategyFactory
from ..helpers import log_in, seed_demo, text_of
from ..training.factories import course


def paper_text(response):
    """The paper itself as a reader sees it: its text, without the page around it (notices, links, tokens)."""
    paper = re.search(r'<div class="app-paper">.*</main>', text_of(response), re.DOTALL).group()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", paper))


@pytest.fixture
def year_two(db, make_user):
    """A strategy in its fifth year, with a year-one paper and QiSG's judgements of year two."""
    strategy = StrategyFactory()
    goals = [GoalFactory(strategy=strategy, number=n, title=f"Goal title {n}") for n in (1, 2)]
    author = make_user("qisg")
    first = BoardReport.objects.create(strategy=strategy, year=1, title="Year one paper", meeting_date=datetime.date(2023, 11, 30),
                                       author="Associate Medical Director", purpose="For assurance",
                                       background="The standing background.", recommendation="Note, for assurance.")
    AnnualCommitment.objects.create(report=first, order=0, text="Reduce healthcare associated infections", supported=True)
    for goal in goals:
        ProgressUpdateFactory(goal=goal, author=author, status=Status.ON_TRACK, period_start=datetime.date(2023, 11, 1),
                              period_end=datetime.date(2024, 4, 30), published_on=datetime.date(2024, 5, 20), narrative="Mid-year words.")
    ProgressUpdateFactory(goal=goals[0], author=author, status=Status.AT_RISK, period_start=datetime.date(2023, 11, 1),
                          period_end=datetime.date(2024, 10, 31), published_on=datetime.date(2024, 11, 18),
                          narrative="Sepsis screening slipped in the winter.", next_steps="Re-audit in March.")
    return strategy


def test_qisg_starts_the_year_two_paper_from_the_dashboard_prefilled(client, year_two, make_user):
    client.force_login(make_user("qisg"))
    dashboard = text_of(client.get(reverse("dashboard") + "?year=2"))
    assert 'href="/report/2/">Start the board paper for year 2</a>' in dashboard
    assert client.get(reverse("report", args=[2])).status_code == 200  # the start page, not a 404
    response = client.post(reverse("report_start", args=[2]))
    assert response.status_code == 302
    paper = BoardReport.objects.get(year=2)
    assert (paper.state, paper.author, paper.purpose, paper.background) == (
        PaperState.DRAFT, "Associate Medical Director", "For assurance", "The standing background.")
    assert paper.meeting_date == datetime.date(2024, 11, 30)  # a year on from the previous paper's meeting
    assert [(c.text, c.supported) for c in paper.commitments.all()] == [("Reduce healthcare associated infections", False)]
    sections = {s.goal.number: s for s in paper.goal_sections.all()}
    assert (sections[1].status, sections[1].narrative, sections[1].next_steps) == (
        Status.AT_RISK, "Sepsis screening slipped in the winter.", "Re-audit in March.")  # the latest judgement of the year
    assert sections[2].narrative == "Mid-year words."
    html = text_of(client.get(reverse("report", args=[2])))
    assert "Draft" in html and "Sepsis screening slipped in the winter." in html
    assert "<strong>Year 2 (Nov 2023 to Oct 2024)</strong>: figures as at 31 October 2024, the end of the year." in html
    assert client.post(reverse("report_start", args=[2])).status_code == 302  # a double click opens it, starts nothing
    assert BoardReport.objects.filter(year=2).count() == 1


def test_a_draft_is_qisg_s_until_shared_with_the_board(client, year_two, make_user):
    qisg, board = make_user("qisg"), make_user("board")
    client.force_login(qisg)
    client.post(reverse("report_start", args=[2]))
    client.force_login(board)
    page = text_of(client.get(reverse("report", args=[2])))
    assert "QiSG is drafting the paper for year 2" in page and "Sepsis screening" not in page
    assert client.get(reverse("report_pdf", args=[2])).status_code == 404
    assert "Not shared yet" in text_of(client.get(reverse("reports")))
    client.force_login(qisg)
    assert client.post(reverse("report_share", args=[2])).status_code == 302
    client.force_login(board)
    page = text_of(client.get(reverse("report", args=[2])))
    assert "Shared with the board on" in page and "Sepsis screening slipped in the winter." in page


def test_qisg_edits_a_goal_section_of_the_draft(client, year_two, make_user):
    client.force_login(make_user("qisg"))
    client.post(reverse("report_start", args=[2]))
    paper = BoardReport.objects.get(year=2)
    sections = list(paper.goal_sections.order_by("goal__number"))
    data = {"version": paper.version, "title": paper.title, "meeting_date": "28/11/2024", "paper_date": "", "author": paper.author,
            "purpose": "For assurance", "summary": "Year two in brief.", "key_points": "", "background": "", "financial_implications": "",
            "risk": "", "communication_and_involvement": "", "equality_analysis": "", "freedom_of_information": "",
            "recommendation": "", "supporting_information": "",
            "commitments-TOTAL_FORMS": "0", "commitments-INITIAL_FORMS": "0", "risks-TOTAL_FORMS": "0", "risks-INITIAL_FORMS": "0",
            "goals-TOTAL_FORMS": "2", "goals-INITIAL_FORMS": "2"}
    for i, section in enumerate(sections):
        data.update({f"goals-{i}-id": section.pk, f"goals-{i}-status": section.status, f"goals-{i}-narrative": section.narrative,
                     f"goals-{i}-next_steps": section.next_steps})
    data["goals-1-narrative"] = "The paper's own words for goal 2."
    assert client.post(reverse("report_edit", args=[2]), data).status_code == 302
    html = text_of(client.get(reverse("report", args=[2])))
    assert "The paper&#x27;s own words for goal 2." in html and "Year two in brief." in html
    data["version"] = paper.version  # opened before the save above: a second editor is stopped and shown the difference
    data["summary"] = "Another summary."
    response = client.post(reverse("report_edit", args=[2]), data)
    assert response.status_code == 200 and "What differs between their version and yours" in text_of(response)
    paper.refresh_from_db()
    assert paper.summary == "Year two in brief."
    # the rows are the paper's: a stale save that changes only a goal section is stopped by the paper's version too
    data.update({"summary": "Year two in brief.", "goals-1-narrative": "A stale editor's words."})
    response = client.post(reverse("report_edit", args=[2]), data)
    assert response.status_code == 200 and "changed this while you were editing it" in text_of(response)
    assert sections[1].__class__.objects.get(pk=sections[1].pk).narrative == "The paper's own words for goal 2."


def test_presenting_asks_for_the_meeting_and_refuses_a_future_date(client, year_two, make_user):
    client.force_login(make_user("qisg"))
    client.post(reverse("report_start", args=[2]))
    response = client.post(reverse("report_present", args=[2]), {"meeting": "Trust Board", "on": "01/01/2030"})
    assert response.status_code == 200 and "must be today or in the past" in text_of(response)
    assert BoardReport.objects.get(year=2).state == PaperState.DRAFT


def test_the_changes_since_date_reads_uk_dates_and_defaults_to_the_last_presented_paper(client, year_two, make_user):
    BoardReport.objects.filter(year=1).update(state=PaperState.PRESENTED, presented_to="Trust Board", presented_on=datetime.date(2023, 11, 30))
    client.force_login(make_user("board"))
    html = text_of(client.get(reverse("dashboard") + "?year=2"))
    assert "What changed since 30 Nov 2023" in html  # the last presented paper's meeting
    html = text_of(client.get(reverse("dashboard") + "?year=2&since=01/05/2024"))
    assert "What changed since 1 May 2024" in html
    html = text_of(client.get(reverse("dashboard") + "?year=2&since=31/02/2024"))
    assert "Enter a real date, for example 30/11/2023" in html and "What changed since 30 Nov 2023" in html


def test_a_judgement_older_than_the_year_shown_is_said_to_be_old(client, year_two, make_user):
    client.force_login(make_user("board"))
    html = text_of(client.get(reverse("dashboard") + "?year=3"))
    assert "No QiSG judgement for year 3" in html
    assert "The latest is from 18 November 2024, for Nov 2023 to Oct 2024" in html
    assert '<strong class="nhsuk-tag nhsuk-tag--orange">At risk</strong>' not in html  # never shown as year 3's status
    html = text_of(client.get(reverse("dashboard") + "?year=2"))
    assert "No QiSG judgement for year 2" not in html and '<strong class="nhsuk-tag nhsuk-tag--orange">At risk</strong>' in html


def test_a_value_carried_from_an_earlier_year_is_marked_with_its_own_date(client, year_two, make_user):
    MeasureFactory(goal=year_two.goals.get(number=1), on_dashboard=True, name="Sepsis screening", values=[50.0] * 6)  # to Jun 2022
    client.force_login(make_user("board"))
    html = text_of(client.get(reverse("dashboard") + "?year=2"))
    assert "carried from Jun 2022: no value in year 2" in html
    rows = [line for line in client.get(reverse("dashboard_export")).content.decode("utf-8-sig").splitlines() if "Sepsis screening" in line]
    year_two_row = next(row for row in rows if ",2,Year 2 " in row)
    assert ",,2022-06-01,yes," in year_two_row  # carried: no value as the year's, and its own date


def test_running_totals_get_no_spc_and_short_series_get_no_icons(client, year_two, make_user):
    goal = year_two.goals.get(number=1)
    MeasureFactory(goal=goal, on_dashboard=True, name="Trained to date", series_kind="running_total", values=[float(v) for v in range(30)])
    MeasureFactory(goal=goal, on_dashboard=True, name="Falls", values=[5.0, 6.0, 5.5, 6.2])
    client.force_login(make_user("board"))
    html = text_of(client.get(reverse("dashboard") + "?year=2"))
    assert "A running total to date: shown against its target, not as SPC." in html
    assert "Too few points for SPC: Making Data Count needs 15" in html
    assert "Special cause" not in html and "app-mdc-icon" not in html


@pytest.mark.django_db(transaction=True)
def test_a_presented_paper_never_changes(client, make_user, tmp_path, settings):
    """After presenting, a training import, a new point, an edited evidence item and a changed template leave the
    paper's page text and PDF bytes as they were; the live view says what changed; an amendment shows."""
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    seed_demo()
    year = Strategy.objects.get().default_year() - 1  # the last year that has ended: the demo presented it in November
    FrozenPaper.objects.filter(report__year=year).delete()
    BoardReport.objects.filter(year=year).delete()
    qisg = make_user("qisg")
    client.force_login(qisg)
    client.post(reverse("report_start", args=[year]))
    assert client.post(reverse("report_present", args=[year]), {"meeting": "Trust Board", "on": "26/11/2026"}).status_code == 302
    paper = BoardReport.objects.get(year=year)
    assert paper.state == PaperState.PRESENTED and len(paper.frozen.pdf_sha256) == 64
    client.force_login(make_user("board"))
    page_before = paper_text(client.get(reverse("report", args=[year])))
    pdf_before = client.get(reverse("report_pdf", args=[year])).content
    assert pdf_before[:5] == b"%PDF-" and paper.frozen.pdf_sha256 in text_of(client.get(reverse("report", args=[year])))

    # new data of that year, of every kind
    client.force_login(qisg)
    csv = (b"staff_number,name,staff_group,unit,course,completed_on,left_on\n"
           b"90000001,New Starter,Nursing,,LIM Foundation,2026-06-17,\n")
    client.post(reverse("training:import_training"), {"file": SimpleUploadedFile("records.csv", csv, content_type="text/csv")})
    assert client.post(reverse("training:import_training"), {"upload": PendingUpload.objects.get().pk}).status_code == 302
    falls = Measure.objects.get(name="Falls per 1000 bed days")
    point = MeasurePoint.objects.get(measure=falls, date=datetime.date(2026, 10, 31))
    point.value = 9.9
    point.save()
    evidence = EvidenceItem.objects.filter(date__year=2026).first()
    evidence.title = "Renamed after the board"
    evidence.save()
    goal_one = ProgressUpdate.objects.filter(goal__number=1, period_end=Strategy.objects.get().year_bounds(year)[1]).get()
    goal_one.narrative = "Rewritten after the board."
    goal_one.save()
    # a release that draws the paper differently
    (tmp_path / "board").mkdir()
    original = engines["django"].engine.find_template("board/_paper.html")[0].source
    (tmp_path / "board" / "_paper.html").write_text(original.replace("Annual commitments", "Commitments this year"))
    settings.TEMPLATES = [dict(settings.TEMPLATES[0])]  # the release restarts the app: templates are read again
    client.force_login(qisg)
    assert "Commitments this year" in text_of(client.get(reverse("report", args=[year + 1])))  # the live draft is drawn anew

    client.force_login(make_user("board"))
    after = client.get(reverse("report", args=[year]))
    assert paper_text(after) == page_before
    assert client.get(reverse("report_pdf", args=[year])).content == pdf_before
    notice = re.search(r"Figures have changed since the board saw this paper.*?</ul>", text_of(after), re.DOTALL)
    assert notice and re.search(r"Goal 5, Falls per 1000 bed days: [\d.]+ then, 9.9 now", notice.group())

    client.force_login(qisg)
    client.post(reverse("report_amend", args=[year]), {"reason": "A typing error", "correction": "Goal 3's figure is 1,081."})
    client.force_login(make_user("board"))
    html = text_of(client.get(reverse("report", args=[year])))
    assert "Amendments since it was presented" in html and "A typing error" in html and "Goal 3&#x27;s figure is 1,081." in html
    assert client.get(reverse("report_pdf", args=[year])).content == pdf_before
    client.force_login(qisg)
    assert client.get(reverse("report_edit", args=[year]))["Location"] == reverse("report_amend", args=[year])  # no more edits


def test_every_chart_of_the_year_one_paper_ends_by_31_october_2023(client, db):
    seed_demo()
    log_in(client, "board")
    html = text_of(client.get(reverse("report", args=[1])))
    dates = re.findall(r"&quot;x&quot;:\[(.*?)\]", html)
    assert dates, "the paper has charts"
    last = max(day for series in dates for day in re.findall(r"\d{4}-\d{2}-\d{2}", series))
    assert last <= "2023-10-31"
    assert "Y2:" not in html  # the strips show only the years up to the paper's


def test_the_pdf_is_tagged_with_an_outline_and_names_the_trust_without_link_addresses(client, db):
    seed_demo()
    log_in(client, "board")
    reader = PdfReader(io.BytesIO(client.get(reverse("report_pdf", args=[1])).content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "(Link:" not in text and "report.invalid" not in text
    assert "Leeds Teaching Hospitals NHS Trust" in reader.pages[0].extract_text()
    assert "/StructTreeRoot" in reader.root_object and reader.outline  # tagged, with an outline of its headings
    assert "Page 1 of" in text
