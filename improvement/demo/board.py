"""The demo's board layer: the headline figures on the dashboard and a board paper for every strategy year so far
(year one's as presented on 30 November 2023, the later ones illustrative).

Runs after the apps' own demos and the later years (it reads across them); idempotent.
"""

import datetime

from goals.measures.models import DERIVED_KINDS
from goals.models import DerivedFigure, EvidenceItem, Goal, Measure, MeasureSource, Strategy
from improvement.board import derived, meetings, papers
from improvement.board.models import DEFAULT_COMMITTEES, AnnualCommitment, BoardReport, Committee, Meeting, MeetingKind, RiskAppetite
from improvement.core.stamp import bulk_create, written

from . import years

# (goal, name, unit, direction, target, derived_from or None for an entered measure that already exists)
HEADLINES = [
    (1, "QI collaboratives active", "collaboratives", "neutral", None, "goals.active_collaboratives"),
    (2, "Active quality partners", "partners", "increase", None, "partners.active_partners"),
    (3, "Current staff and partners trained in QI", "people", "increase", None, "training.current_trained_in_qi"),
    (3, "LIM Foundation completions to date", "completions", "increase", None, "training.foundation_completions_to_date"),
    (3, "Likely or very likely to recommend LIM training", "% of answers, last 12 months", "increase", 95, "training.recommend_last_12_months"),
    (4, "CSUs with a current trained LIM facilitator", "% of clinical service units", "increase", 100, "training.facilitator_coverage"),
    (4, "Coaching surgery attendance", "attendances a month", "increase", None, "goals.coaching_attendance"),
    (5, "Falls per 1000 bed days", None, None, None, None),
    (5, "Time-critical medicines given on time", None, None, None, None),
    (5, "Discharges before noon", None, None, None, None),
    (6, "Open days, talks, prizes and celebrations to date", "events", "increase", None, "goals.spread_events_to_date"),
    (7, "Staff hours released by Lean events to date", "staff hours a year", "increase", None, "goals.hours_released_to_date"),
]

HIGHLIGHTED = [
    "Meds on time collaborative stepped down: improvements sustained",
    "\u201cCan my cannula come out?\u201d",
    "1715 current staff and partners trained in QI",
    "More than 50% of CSUs have a LIM facilitator",
    "Discharge collaborative won a national prize",
    "Falls: statistically significant reduction in falls per 1000 bed days",
]

YEAR_ONE_PAPER = {
    "title": "Improvement Strategy 2022-27: annual update, year one",
    "meeting_date": datetime.date(2023, 11, 30),
    "paper_date": datetime.date(2023, 11, 19),
    "author": "Associate Medical Director for Quality Improvement",
    "purpose": "For assurance",
    "summary": "The LTHT Improvement Strategy 2022-27 was discussed at Board in September 2022 and approved in November 2022. "
    "It combines Quality Improvement with the Leeds Improvement Method, developed with the Virginia Mason Institute. "
    "This paper reports progress against its seven goals one year in.",
    "key_points": "620 staff have completed LIM Foundation training, including patient partners.\n"
    "1214 Nursing and Administration colleagues trained through the \u201cExcellence In \u2026\u201d programmes.\n"
    "1715 current staff and partners are trained in QI; over 3500 staff trained in improvement principles.\n"
    "Over 97% of participants are likely or very likely to recommend LIM training.\n"
    "The Falls collaborative saw a statistically significant reduction in falls per 1000 bed days.\n"
    "The Discharge collaborative presented nationally and internationally and won a national prize.",
    "background": "The Quality Improvement Steering Group (QiSG) is accountable for the strategy. Updates are reviewed at "
    "quarterly QiSG meetings, annually at QASG and QAC, and annually at the Trust Board for assurance.",
    "financial_implications": "None beyond existing budgets. Lean events report the staff time and money they release.",
    "risk": "The work moves the trust towards its risk appetite in workforce, operational, clinical, financial and external risks.",
    "communication_and_involvement": "Quality partners, members of the public, are partners in the strategy: they sit on QiSG "
    "and the QI collaboratives and help develop training.",
    "equality_analysis": "Training is open to every staff group; quality partners are recruited to reflect the communities the trust serves.",
    "freedom_of_information": "This paper will be published under the Freedom of Information Act.",
    "recommendation": "The Board is asked to note the progress of the Improvement Strategy in its first year, for assurance.",
}

COMMITMENTS = [
    ("Effectively develop and deploy new assets (buildings, equipment, IT)", False),
    ("Reduce healthcare associated infections", True),
    ("Improve staff retention", True),
    ("Deliver the financial plan", True),
    ("Reduce average length of stay by 0.5 days per patient", True),
    ("Achieve the access targets for patients", False),
    ("Support a culture of research", False),
]

RISKS = [
    ("Workforce", "Workforce supply: adequate systems for access to appropriate levels of workforce supply"),
    ("Operational", "Change: change aligned to strategy, on time and to budget, benefits achieved"),
    ("Clinical", "Patient safety and outcomes: high quality services, risks to safe and effective care managed"),
    ("Financial", "Change: as above, focusing on large capital developments and waste reduction programmes"),
    ("External", "Strategic planning: deliver the vision \u201cto be the best for specialist and integrated care\u201d"),
]


def seed(today=None):
    today = today or datetime.date.today()
    strategy = Strategy.objects.current()
    goals = {g.number: g for g in Goal.objects.filter(strategy=strategy)}
    for order, (number, name, unit, direction, target, source) in enumerate(HEADLINES):
        if source is None:
            if Measure.objects.filter(name=name).update(on_dashboard=True, dashboard_order=order):
                written(Measure, "changed")
            continue
        Measure.objects.get_or_create(name=name, defaults={
            "goal": goals[number], "unit": unit, "improvement_direction": direction, "target": target,
            "source": MeasureSource.DERIVED, "derived_from": source, "series_kind": DERIVED_KINDS[source],
            "on_dashboard": True, "dashboard_order": order,
            "description": DerivedFigure(source).label + ", from the app's own records, at the end of each month.",
        })
    written(EvidenceItem, "changed", EvidenceItem.objects.filter(title__in=HIGHLIGHTED).update(highlighted=True))
    _meetings(strategy)
    if not BoardReport.objects.filter(strategy=strategy).exists():
        # The papers are frozen inside this transaction, before its commit would refresh the derived measures.
        derived.refresh(today=today)
        _papers(strategy, today)


def _meetings(strategy):
    """Every strategy year's meetings, years 1 to 5: QiSG in the second month of each quarter, QASG and QAC in the
    fortnight before the November Trust Board that reads the year's paper. The trust's names for them are the
    defaults; written down, so that the demo's exported file shows them (`meeting_kinds:`)."""
    for kind, values in DEFAULT_COMMITTEES.items():
        Committee.objects.get_or_create(kind=kind, defaults=values)
    for year in range(1, strategy.years + 1):
        board = years.board_meeting(strategy, year)
        planned = [(MeetingKind.QISG, day) for day in meetings.quarterly_dates(strategy, year)] + [
            (MeetingKind.QASG, board - datetime.timedelta(days=15)), (MeetingKind.QAC, board - datetime.timedelta(days=8)),
            (MeetingKind.TRUST_BOARD, board)]
        for kind, day in planned:
            Meeting.objects.get_or_create(strategy=strategy, kind=kind, date=day, defaults={"year": year})


def _papers(strategy, today):
    """Year one's paper as the trust wrote it, presented on 30 November 2023; each later year's, started from the
    previous one and the data, presented at the November board after the year; the year in progress, a draft."""
    report = papers.start(strategy, 1)
    for name, value in YEAR_ONE_PAPER.items():
        setattr(report, name, value)
    report.save()
    bulk_create(AnnualCommitment, (AnnualCommitment(report=report, order=i, text=text, supported=supported)
                                   for i, (text, supported) in enumerate(COMMITMENTS)))
    bulk_create(RiskAppetite, (RiskAppetite(report=report, order=i, level_1=l1, level_2=l2, appetite="cautious", impact="towards")
                               for i, (l1, l2) in enumerate(RISKS)))
    _present(report, YEAR_ONE_PAPER["meeting_date"], today)
    supported = {text for text, ticked in COMMITMENTS if ticked}
    for year in strategy.years_so_far(today)[1:]:
        report = papers.start(strategy, year)
        meeting = years.board_meeting(strategy, year)
        first, last = strategy.year_bounds(year)
        report.meeting_date, report.paper_date = meeting, meeting - datetime.timedelta(days=11)
        report.summary = years.SUMMARY.format(year=year, last=last)
        report.key_points = "Illustrative demo data.\nEvery goal judged by QiSG at mid-year and at the end of the year."
        report.save()
        report.commitments.filter(text__in=supported).update(supported=True)
        _present(report, meeting, today)


def _present(report, meeting, today):
    if meeting < today:
        papers.share(report)
        papers.present(report, "Trust Board", meeting)
