"""The board paper of each strategy year: started, shared, presented and frozen, amended.

- `start()` makes a year's paper prefilled: the cover sheet carried from the previous paper (meeting a year on,
  author, purpose, standing text), its annual commitments (to be ticked again) and risk appetite rows, and each
  goal's section from the latest QiSG judgement of the year.
- `content()` is what the paper shows while it is live (a draft, or shared): the goal sections, the headline figures,
  SPC verdicts and charts as at the end of the year, or to date while the year runs.
- `present()` freezes it: the paper's HTML (text, figures, verdicts, charts), its headline figures as data and its
  PDF are kept (FrozenPaper) and shown from then on, whatever is imported, edited or released later.
- `changes_since_presented()` says what the live figures of that year now say differently.
- `amend()` records a dated correction with who and why; the frozen paper stays as it was.
"""

import datetime
import hashlib
from dataclasses import dataclass

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from goals.measures.charts import line_figure, spc_figure
from goals.models import STATUS_TAG_COLOURS
from improvement.core.periods import add_years

from . import meetings
from .dashboard import board_view
from .models import AnnualCommitment, Amendment, BoardReport, Committee, FrozenPaper, MeetingKind, PaperGoal, PaperState, RiskAppetite

CARRIED_TEXT = ["background", "financial_implications", "risk", "communication_and_involvement", "equality_analysis",
                "freedom_of_information", "recommendation"]


class PaperError(Exception):
    """A paper cannot do what was asked (e.g. edit a presented paper); the message says why."""


@dataclass(frozen=True)
class Chart:
    chart_id: str
    figure: dict
    caption: str
    points: list  # [(date, value)] in the period: the chart's data table


@dataclass(frozen=True)
class Section:
    goal_view: object  # dashboard.GoalView
    status: str
    status_label: str
    status_colour: str
    narrative: str
    next_steps: str
    charts: list


@dataclass(frozen=True)
class Content:
    report: BoardReport
    strategy: object
    period: object
    view: object  # dashboard.BoardView
    sections: list


def since_for(strategy, period):
    """"What changed since": the meeting of the latest paper presented before the period's figures were counted."""
    last = (BoardReport.objects.filter(strategy=strategy).presented().filter(presented_on__lt=period.as_at())
            .order_by("-presented_on").values_list("presented_on", flat=True).first())
    return last or period.first


def content(report, charts=True):
    """The paper's data; `charts` False: without drawing its charts (what changed since it was presented needs none)."""
    strategy = report.strategy
    period = strategy.period(report.year)
    view = board_view(strategy, period, since_for(strategy, period))
    written = {s.goal_id: s for s in report.goal_sections.all()}
    sections = [_section(goal_view, written.get(goal_view.goal.pk), period, charts) for goal_view in view.goals]
    return Content(report=report, strategy=strategy, period=period, view=view, sections=sections)


def _section(goal_view, written, period, charts=True):
    """The paper's own words for a goal where it has them, else the judgement of the year (a goal added after the
    paper was started)."""
    if written is not None:
        status = written.status
        label = written.get_status_display() if status else "No judgement this year"
        colour = STATUS_TAG_COLOURS.get(status, "grey")
        narrative, next_steps = written.narrative, written.next_steps
    else:
        status = goal_view.update.status if goal_view.update and not goal_view.stale else ""
        label, colour = goal_view.status_label, goal_view.status_colour
        narrative = goal_view.update.narrative if goal_view.update and not goal_view.stale else ""
        next_steps = goal_view.update.next_steps if goal_view.update and not goal_view.stale else ""
    return Section(goal_view=goal_view, status=status, status_label=label, status_colour=colour, narrative=narrative,
                   next_steps=next_steps, charts=[_chart(figure, period) for figure in goal_view.figures] if charts else [])


def _chart(figure, period):
    measure = figure.measure
    if figure.spc_note:
        drawn = line_figure(measure, figure.analysis.result.points, height=300)
        kind = "Chart"
    else:
        drawn = spc_figure(measure, figure.analysis, height=300)
        kind = "SPC chart"
    points = [(p.date, p.value) for p in figure.analysis.result.points if p.value is not None and period.contains(p.date)]
    return Chart(chart_id=f"report-chart-{measure.pk}", figure=drawn, points=points,
                 caption=f"{kind}: {measure.name} ({measure.unit}), to {period.as_at():%d %B %Y}.")


# ----------------------------------------------------------------------------------------------- lifecycle


def previous_paper(strategy, year):
    return BoardReport.objects.filter(strategy=strategy, year__lt=year).order_by("-year").first()


@transaction.atomic
def start(strategy, year):
    """The year's paper, prefilled (see the module's docstring). Raises PaperError if it exists already."""
    if BoardReport.objects.filter(strategy=strategy, year=year).exists():
        raise PaperError(f"The paper for year {year} has been started already.")
    period = strategy.period(year)
    previous = previous_paper(strategy, year)
    report = BoardReport(
        strategy=strategy, year=year,
        title=f"{strategy.name}: annual update, year {year}",
        meeting_date=add_years(previous.meeting_date, year - previous.year) if previous else period.last + datetime.timedelta(days=30),
        author=previous.author if previous else "",
        purpose=previous.purpose if previous else "For assurance",
    )
    for name in CARRIED_TEXT:
        setattr(report, name, getattr(previous, name) if previous else "")
    report.save()
    # the previous paper's rows, or for the strategy's first paper those its file gave
    commitments = previous.commitments.all() if previous else strategy.standing_commitments.all()
    risks = previous.risks.all() if previous else strategy.standing_risks.all()
    AnnualCommitment.objects.bulk_create(
        AnnualCommitment(report=report, order=c.order, text=c.text, supported=False) for c in commitments
    )
    RiskAppetite.objects.bulk_create(
        RiskAppetite(report=report, order=r.order, level_1=r.level_1, level_2=r.level_2, appetite=r.appetite, impact=r.impact)
        for r in risks
    )
    view = board_view(strategy, period, period.first)
    PaperGoal.objects.bulk_create(
        PaperGoal(report=report, goal=g.goal, judgement=g.update if not g.stale else None,
                  status=g.update.status if g.update and not g.stale else "",
                  narrative=g.update.narrative if g.update and not g.stale else "",
                  next_steps=g.update.next_steps if g.update and not g.stale else "")
        for g in view.goals
    )
    return report


def editable(report):
    if report.is_presented:
        raise PaperError("This paper was presented: it stays as the board read it. Add an amendment to correct it.")


@transaction.atomic
def share(report):
    """The board may read the paper from now on (it may still be edited until it is presented)."""
    report = BoardReport.objects.select_for_update().get(pk=report.pk)
    editable(report)
    report.state, report.shared_on = PaperState.SHARED, datetime.date.today()
    report.save()
    return report


def context(report, paper=None):
    """What templates/board/_paper.html draws the paper from."""
    paper = paper or content(report)
    return {"report": report, "paper": paper, "strategy": report.strategy, "period": paper.period, "view": paper.view,
            "board_committee": Committee.objects.of(MeetingKind.TRUST_BOARD)}


def html(report, paper=None):
    return render_to_string("board/_paper.html", context(report, paper))


def present(report, meeting, on, print_pdf=None):
    """Freeze the paper as the board read it at `meeting` on `on`: its HTML as drawn now, its figures, and its PDF
    (`print_pdf(html)`; without a printer, the PDF is printed from the frozen HTML when first downloaded). A meeting
    named as one of the strategy's (by default Trust Board, QAC, QASG, QiSG: Committee) is linked, and recorded if it was not."""
    with transaction.atomic():
        report = BoardReport.objects.select_for_update().select_related("strategy").get(pk=report.pk)
        editable(report)
        paper = content(report)
        drawn = html(report, paper)
        pdf = print_pdf(drawn) if print_pdf else None
        FrozenPaper.objects.create(report=report, frozen_at=timezone.now(), html=drawn, figures=snapshot(paper),
                                   pdf=pdf, pdf_sha256=hashlib.sha256(pdf).hexdigest() if pdf else "")
        report.state, report.presented_to, report.presented_on = PaperState.PRESENTED, meeting, on
        report.meeting = meetings.held(report.strategy, meeting, on, report.year)
        report.shared_on = report.shared_on or on
        report.save()
    return report


def amend(report, user, reason, correction):
    if not report.is_presented:
        raise PaperError("Only a presented paper is amended; a draft or shared paper is simply edited.")
    return Amendment.objects.create(report=report, made_on=datetime.date.today(), made_by=user, reason=reason, correction=correction)


# ------------------------------------------------------------------------------------ what the board saw


def snapshot(paper):
    """The paper's figures as plain data: what "changed since the board saw this paper" is measured against."""
    summary = paper.view.summary
    return {
        "as_at": paper.view.as_at.isoformat(),
        "summary": {
            "People trained in improvement principles": summary.people_trained_to_date,
            "Current staff and partners trained in QI": summary.current_trained_in_qi,
            "Active quality partners": summary.active_partners,
            "QI collaboratives active": summary.collaboratives_active,
            "QI collaboratives stepped down": summary.collaboratives_stepped_down,
            "Events": summary.events,
            "Staff hours released a year": summary.hours_released,
            "Money released a year (£)": summary.money_released,
        },
        "goals": [
            {"number": s.goal_view.goal.number, "status": s.status_label,
             "figures": {f.measure.name: {"value": f.value, "variation": f.variation.label if f.variation else "",
                                          "assurance": f.assurance.label if f.assurance else ""}
                         for f in s.goal_view.figures}}
            for s in paper.sections
        ],
    }


def changes_since_presented(report):
    """[sentence]: how the live figures of the paper's year differ from what the board saw (empty: they do not)."""
    then, now = report.frozen.figures, snapshot(content(report, charts=False))
    changes = [f"{name}: {_shown(value)} then, {_shown(now['summary'].get(name))} now"
               for name, value in then["summary"].items() if now["summary"].get(name) != value]
    now_goals = {g["number"]: g for g in now["goals"]}
    for goal in then["goals"]:
        live = now_goals.get(goal["number"])
        if live is None:
            continue
        if live["status"] != goal["status"]:
            changes.append(f"Goal {goal['number']} status: {goal['status']} then, {live['status']} now")
        for name, was in goal["figures"].items():
            is_now = live["figures"].get(name)
            if is_now is None:
                continue
            if is_now["value"] != was["value"]:
                changes.append(f"Goal {goal['number']}, {name}: {_shown(was['value'])} then, {_shown(is_now['value'])} now")
            elif (is_now["variation"], is_now["assurance"]) != (was["variation"], was["assurance"]):
                changes.append(f"Goal {goal['number']}, {name}: its SPC verdict changed")
    return changes


def _shown(value):
    if value is None:
        return "no value"
    if isinstance(value, float):
        return f"{value:,.1f}".removesuffix(".0")
    return f"{value:,}" if isinstance(value, int) else str(value)
