"""Year one of the LTHT Improvement Strategy 2022-27 (shared/seed/strategy.md) as demo data.

Idempotent: rows are found by their natural keys and created only when missing, so a second run changes
nothing (and writes no history).
"""

import datetime
import random

from goals.models import (
    Ambition, Collaborative, CollaborativeMember, Event, EventKind as E, EvidenceItem, EvidenceKind as K, Goal,
    IntelligenceSource as I, LeanEvent, LeanKind, Measure, MeasurePoint, ProgressUpdate, Status, Strategy,
)
from goals.programme.rollup import fortnightly
from improvement.core.stamp import bulk_create

STRATEGY = {"name": "LTHT Improvement Strategy 2022-27", "organisation": "Leeds Teaching Hospitals NHS Trust",
            "improvement_method": "LIM", "start_date": datetime.date(2022, 11, 1), "years": 5}
YEAR_ONE = (datetime.date(2022, 11, 1), datetime.date(2023, 10, 31))
BOARD_PAPER_DATE = datetime.date(2023, 11, 19)

GOALS = [
    {
        "number": 1,
        "title": "Improvement priorities driven by organisational intelligence and data",
        "intent": "QiSG considers the national agenda and reviews organisational data, PSIRF (Patient Safety "
        "Incident Response Framework) themes, harm data and improvement work to set the trust's improvement "
        "priorities, starting and stepping down QI collaboratives as the intelligence changes.",
        "ambitions": [
            "Our improvement priorities are set from organisational intelligence: PSIRF themes, harm data and the national agenda.",
            "QI collaboratives are started where the data shows need and stepped down when improvements are sustained.",
        ],
        "status": Status.ON_TRACK,
        "narrative": "QiSG reviewed the national agenda, organisational data, PSIRF themes and harm data to set "
        "priorities. In 2023 the meds on time collaborative was stepped down, improvements sustained, to focus on "
        "new areas such as patient positive identification, where PSIRF theme analysis suggests ongoing adverse events.",
        "next_steps": "Launch the patient positive identification collaborative and review PSIRF themes quarterly at QiSG.",
        "evidence": [
            (K.DATA, datetime.date(2023, 6, 14), "Meds on time collaborative stepped down: improvements sustained",
             "QiSG stepped down the meds on time QI collaborative in 2023 because its improvements were sustained, freeing capacity for new priorities."),
            (K.DATA, datetime.date(2023, 7, 12), "Patient positive identification chosen from PSIRF theme analysis",
             "PSIRF theme analysis suggests ongoing adverse events related to patient positive identification; QiSG chose it as a new QI collaborative."),
        ],
    },
    {
        "number": 2,
        "title": "Patients as equal partners",
        "intent": "Patients and members of the public work with us as equal partners in improvement: quality "
        "partners are trained alongside staff and sit on QI collaboratives, improvement events, committees and QiSG.",
        "ambitions": [
            "Quality partners are trained alongside staff in improvement methodology.",
            "Quality partners sit on QI collaboratives, improvement events and committees, and help develop training.",
        ],
        "status": Status.ON_TRACK,
        "narrative": "Quality partners are trained alongside staff and sit on QI collaboratives and improvement "
        "events; a quality partner is a core member of QiSG. A partner on the HCAI collaborative designed the "
        "patient-led intervention \u201ccan my cannula come out?\u201d. A new cohort of partners has recently been recruited.",
        "next_steps": "Induct the new cohort of quality partners and place them on collaboratives.",
        "evidence": [
            (K.PATIENT_LED_INTERVENTION, datetime.date(2023, 3, 8), "\u201cCan my cannula come out?\u201d",
             "A quality partner on the HCAI collaborative designed a patient-led intervention prompting patients to ask whether their cannula can come out."),
            (K.PRESENTATION, datetime.date(2022, 11, 22), "Presented with a quality partner at the 2022 Patient Safety Congress",
             "The trust presented its improvement work together with one of its quality partners at the 2022 Patient Safety Congress."),
            (K.PARTNERSHIP, datetime.date(2023, 1, 11), "A quality partner joins QiSG as a core member",
             "A quality partner is a core member of the Quality Improvement Steering Group."),
            (K.PARTNERSHIP, datetime.date(2023, 10, 2), "New cohort of quality partners recruited",
             "A new cohort of quality partners has recently been recruited."),
        ],
    },
    {
        "number": 3,
        "title": "Developing our workforce improvement skills and capability",
        "intent": "Every member of staff has the improvement skills their role needs, through the Leeds "
        "Improvement Method (LIM) and Quality Improvement (QI) training, developed with the Virginia Mason Institute.",
        "ambitions": [
            "Every member of staff has the improvement skills their role needs: 1715 current staff and partners trained in QI at year one.",
            "Role-based \u201cExcellence In \u2026\u201d programmes bring LIM and QI to Nursing and Administration colleagues.",
            "Participants would recommend the training: over 97% likely or very likely to recommend LIM training.",
        ],
        "status": Status.ON_TRACK,
        "narrative": "620 staff members have completed LIM Foundation training (1 day), including patient partners. "
        "1214 colleagues in Nursing and Administration roles were trained in LIM and QI through the \u201cExcellence In \u2026\u201d "
        "programmes. About 300 people a year receive QI teaching, a high proportion medical trainees and clinical staff. "
        "1715 current staff and partners are trained in QI, and over 3500 staff in improvement principles. Over 97% "
        "of participants are likely or very likely to recommend LIM training.",
        "next_steps": "Extend \u201cExcellence In \u2026\u201d to further staff groups.",
        "evidence": [
            (K.TRAINING, datetime.date(2023, 10, 31), "620 staff completed LIM Foundation training",
             "620 staff members have completed LIM Foundation training (1 day), including patient partners."),
            (K.TRAINING, datetime.date(2023, 10, 31), "1214 colleagues trained through \u201cExcellence In \u2026\u201d",
             "1214 colleagues in Nursing and Administration roles trained in LIM and QI through the \u201cExcellence In \u2026\u201d programmes."),
            (K.TRAINING, datetime.date(2023, 10, 31), "About 300 people a year receive QI teaching",
             "About 300 people a year receive QI teaching, a high proportion of them medical trainees and clinical staff."),
            (K.DATA, datetime.date(2023, 10, 31), "1715 current staff and partners trained in QI",
             "1715 current staff and partners are trained in QI; over 3500 staff trained in improvement principles (board paper)."),
            (K.DATA, datetime.date(2023, 10, 31), "Over 97% likely or very likely to recommend LIM training",
             "Over 97% of participants are likely or very likely to recommend LIM training."),
        ],
    },
    {
        "number": 4,
        "title": "Strengthening relationships in a supportive culture",
        "intent": "Improvement is supported everywhere: coaching, facilitators in every clinical service unit "
        "and a network that meets, learns and celebrates together.",
        "ambitions": [
            "Every clinical service unit (CSU) has a trained LIM facilitator: more than 50% at year one.",
            "Coaching surgeries and improvement network events support teams doing improvement.",
        ],
        "status": Status.ON_TRACK,
        "narrative": "Coaching surgeries run fortnightly; more than 50% of clinical service units have a LIM "
        "facilitator; improvement network and celebration events run every few months.",
        "next_steps": "Reach a LIM facilitator in every CSU.",
        "evidence": [
            (K.EVENT, datetime.date(2023, 10, 31), "Fortnightly coaching surgeries",
             "Coaching surgeries run fortnightly for staff doing improvement work."),
            (K.DATA, datetime.date(2023, 10, 31), "More than 50% of CSUs have a LIM facilitator",
             "More than half of the trust's clinical service units have a trained LIM facilitator."),
            (K.EVENT, datetime.date(2023, 9, 20), "Improvement network and celebration event",
             "Improvement network and celebration events run every few months."),
        ],
    },
    {
        "number": 5,
        "title": "Recognition for measurement excellence",
        "intent": "Measurement for improvement, with statistical process control, guides every QI collaborative.",
        "ambitions": ["Measurement for improvement is used across all QI collaboratives and data guides their direction."],
        "status": Status.ON_TRACK,
        "narrative": "Measurement for improvement is used across all QI collaboratives; data guides direction.",
        "next_steps": "Show every collaborative's measures as Making Data Count SPC charts in this app.",
        "evidence": [
            (K.DATA, datetime.date(2023, 10, 31), "Measurement for improvement across all QI collaboratives",
             "Every QI collaborative uses measurement for improvement; its data guides the collaborative's direction."),
        ],
    },
    {
        "number": 6,
        "title": "Celebration and spread of improvement",
        "intent": "We celebrate improvement and spread what works, inside the trust and nationally.",
        "ambitions": [
            "Improvement is celebrated and shared through open days, conferences and partnerships.",
            "Learning from our collaboratives spreads nationally and internationally.",
        ],
        "status": Status.ON_TRACK,
        "narrative": "Two open days were held, with a further virtual event planned in 2024 with the Health "
        "Foundation. The trust is exploring becoming a preferred partner of the Virginia Mason Institute and "
        "contributed research with Warwick Business School that influenced NHS Impact. The Discharge QI collaborative "
        "presented at national and international conferences and won a national prize; the Falls collaborative saw a "
        "statistically significant reduction in falls per 1000 bed days and shared its learning nationally.",
        "next_steps": "Hold the virtual event with the Health Foundation in 2024.",
        "evidence": [
            (K.EVENT, datetime.date(2023, 3, 15), "First improvement open day", "The first of two open days held in year one."),
            (K.EVENT, datetime.date(2023, 9, 13), "Second improvement open day", "The second of two open days held in year one."),
            (K.PARTNERSHIP, datetime.date(2023, 8, 1), "Exploring preferred partnership with the Virginia Mason Institute",
             "The trust is exploring becoming a preferred partner of the Virginia Mason Institute."),
            (K.PUBLICATION, datetime.date(2023, 5, 1), "Research with Warwick Business School influenced NHS Impact",
             "Contributed research with Warwick Business School that influenced NHS Impact (Improving Patient Care Together)."),
            (K.PRESENTATION, datetime.date(2023, 6, 1), "Discharge collaborative presented at national and international conferences",
             "The Discharge QI collaborative presented its work at national and international conferences."),
            (K.AWARD, datetime.date(2023, 10, 5), "Discharge collaborative won a national prize",
             "The Discharge QI collaborative won a national prize for its improvement work."),
            (K.DATA, datetime.date(2023, 10, 31), "Falls: statistically significant reduction in falls per 1000 bed days",
             "The Falls collaborative saw a statistically significant reduction in falls per 1000 bed days and shared its learning nationally."),
        ],
    },
    {
        "number": 7,
        "title": "Excellence in reducing waste",
        "intent": "To be an organisation recognised for excellence in reducing waste, using Lean and Virginia Mason methods.",
        "ambitions": ["To be an organisation recognised for excellence in reducing waste (Lean, Virginia Mason methods)."],
        "status": Status.AT_RISK,
        "narrative": "The ambition is set and the Leeds Improvement Method includes the removal of waste, but "
        "year one has no measured waste reduction to report yet.",
        "next_steps": "Record Lean events and what they release (hours, money, steps) so that waste reduction can be measured.",
        "evidence": [],
    },
]


def _months(first, count):  # noqa: the demo walks months from a start and a count
    """The last day of `count` consecutive months from `first` (a (year, month) pair)."""
    year, month = first
    days = []
    for _ in range(count):
        following = datetime.date(year + month // 12, month % 12 + 1, 1)
        days.append(following - datetime.timedelta(days=1))
        year, month = following.year, following.month
    return days


def _noisy(rng, levels, spread):
    return [round(level + rng.uniform(-spread, spread), 1) for level in levels]


COLLABORATIVES = [
    {"name": "Falls", "fields": {
        "aim": "Reduce inpatient falls and the harm they cause.", "prompted_by": I.HARM_DATA,
        "rationale": "Falls were the most frequently reported harm incident.", "started_on": datetime.date(2022, 7, 1)}},
    {"name": "Discharge", "fields": {
        "aim": "More patients discharged before noon, with fewer delays.", "prompted_by": I.NATIONAL_AGENDA,
        "rationale": "Flow and length of stay are national priorities.", "started_on": datetime.date(2022, 4, 1)}},
    {"name": "HCAI", "fields": {
        "aim": "Reduce healthcare associated infections.", "prompted_by": I.HARM_DATA,
        "rationale": "C. difficile and line infections above the trust's threshold.", "started_on": datetime.date(2022, 9, 1)}},
    {"name": "Meds on time", "fields": {
        "aim": "Time-critical medicines given on time.", "prompted_by": I.PSIRF_THEME,
        "rationale": "Omitted and delayed medicines were a recurring incident theme.", "started_on": datetime.date(2021, 10, 1),
        "stepped_down_on": datetime.date(2023, 6, 14), "step_down_reason": "Improvements sustained"}},
    {"name": "Patient positive identification", "fields": {
        "aim": "Every patient positively identified before every intervention.", "prompted_by": I.PSIRF_THEME,
        "rationale": "PSIRF theme analysis suggests ongoing adverse events related to patient identification.",
        "started_on": datetime.date(2023, 7, 12)}},
]

_rng = random.Random(2023)
_FALLS_MONTHS = _months((2021, 4), 31)  # April 2021 to October 2023
MEASURES = [
    {"name": "Falls per 1000 bed days", "collaborative": "Falls",
     "fields": {"unit": "falls per 1000 bed days", "improvement_direction": "decrease", "target": 5.5,
                "description": "Inpatient falls per 1000 occupied bed days, monthly."},
     "dates": _FALLS_MONTHS,
     # 15 months before the collaborative (mean about 6.7), 16 after: a run well below the mean.
     "values": [6.8, 6.4, 6.9, 6.5, 7.1, 6.6, 6.3, 6.9, 7.0, 6.5, 6.7, 6.2, 6.8, 6.6, 6.9,
                6.3, 6.0, 5.8, 5.7, 5.9, 5.5, 5.6, 5.4, 5.7, 5.3, 5.5, 5.2, 5.4, 5.3, 5.1, 5.2]},
    {"name": "Discharges before noon", "collaborative": "Discharge",
     "fields": {"unit": "% of discharges", "improvement_direction": "increase", "target": 33},
     "dates": _months((2021, 4), 31), "values": _noisy(_rng, [18] * 12 + [22] * 8 + [26] * 11, 2.5)},
    {"name": "Hospital-onset C. difficile cases", "collaborative": "HCAI",
     "fields": {"unit": "cases per month", "improvement_direction": "decrease"},
     "dates": _months((2021, 4), 31), "values": [float(v) for v in _noisy(_rng, [8] * 31, 3)]},
    {"name": "Time-critical medicines given on time", "collaborative": "Meds on time",
     "fields": {"unit": "%", "improvement_direction": "increase", "target": 90},
     "dates": _months((2021, 4), 31), "values": _noisy(_rng, [78] * 6 + [84] * 6 + [91] * 19, 1.5)},
    {"name": "Patient identification incidents", "collaborative": "Patient positive identification",
     "fields": {"unit": "incidents per month", "improvement_direction": "decrease"},
     "dates": _months((2022, 11), 12), "values": [float(round(v)) for v in _noisy(_rng, [14] * 12, 4)]},
]


MEMBERS = {
    "Falls": [("Sister A. Example", "Ward sister, elderly care"), ("Dr B. Example", "Consultant geriatrician")],
    "Discharge": [("C. Example", "Discharge coordinator"), ("D. Example", "Therapy lead")],
}

LEAN_EVENTS = [  # year two: the first measured releases (year one had none to report)
    {"kind": LeanKind.RPIW, "title": "Outpatient clinic letters RPIW", "unit": "Outpatients", "date": datetime.date(2024, 2, 14),
     "hours_released_per_year": 1250, "money_released_per_year": 31000, "steps_removed": 9, "days_removed": 6,
     "how_measured": "Time studies before and after; letters sent within 7 days audited for 8 weeks."},
    {"kind": LeanKind.FIVE_S, "title": "5S of the theatre stores", "unit": "Theatres and anaesthesia", "date": datetime.date(2024, 5, 8),
     "hours_released_per_year": 430, "money_released_per_year": 18500, "steps_removed": 0, "days_removed": 0,
     "how_measured": "Search time for kit sampled over 2 weeks; expired stock written off, before and after."},
    {"kind": LeanKind.VALUE_STREAM_MAPPING, "title": "Discharge medicines value stream", "unit": "Pharmacy", "date": datetime.date(2024, 9, 18),
     "hours_released_per_year": 800, "money_released_per_year": 12000, "steps_removed": 14, "days_removed": 0.5,
     "how_measured": "Value stream map timings; TTO turnaround from the pharmacy system."},
]


def _seed_events(goals, author):
    """Year one's events (shared/seed/strategy.md), linked to the evidence items that report them."""
    evidence = {item.title: item for item in EvidenceItem.objects.all()}
    rng = random.Random(22)
    for day in fortnightly(datetime.date(2022, 11, 9), YEAR_ONE[1]):
        _get_or_create(Event, author, kind=E.COACHING_SURGERY, date=day,
                       defaults={"title": "Coaching surgery", "goal": goals[4], "attendance": rng.randint(4, 14)})
    for day, kind, title in [
        (datetime.date(2023, 1, 25), E.NETWORK_EVENT, "Improvement network: winter"),
        (datetime.date(2023, 5, 17), E.NETWORK_EVENT, "Improvement network: spring"),
        (datetime.date(2023, 9, 20), E.CELEBRATION, "Improvement network and celebration event"),
    ]:
        _get_or_create(Event, author, kind=kind, date=day, title=title,
                       defaults={"goal": goals[4], "attendance": rng.randint(40, 90),
                                 "evidence": evidence.get(title)})
    open_days = [
        (datetime.date(2023, 3, 15), "First improvement open day", 120, "Leeds Community Healthcare\nBradford Teaching Hospitals"),
        (datetime.date(2023, 9, 13), "Second improvement open day", 150, "Harrogate and District\nNHS England North East and Yorkshire"),
    ]
    for day, title, attendance, organisations in open_days:
        _get_or_create(Event, author, kind=E.OPEN_DAY, date=day, title=title,
                       defaults={"goal": goals[6], "attendance": attendance, "organisations_attending": organisations,
                                 "evidence": evidence.get(title)})
    discharge = Collaborative.objects.get(name="Discharge")
    for day, title, reach in [
        (datetime.date(2023, 6, 1), "Discharge collaborative presented at national and international conferences", "national"),
        (datetime.date(2023, 6, 20), "Discharge collaborative at an international quality forum", "international"),
        (datetime.date(2022, 11, 22), "Presented with a quality partner at the 2022 Patient Safety Congress", "national"),
    ]:
        _get_or_create(Event, author, kind=E.CONFERENCE_TALK, date=day, title=title,
                       defaults={"goal": goals[6], "reach": reach, "evidence": evidence.get(title),
                                 "collaborative": discharge if "Discharge" in title else None})
    _get_or_create(Event, author, kind=E.AWARD, date=datetime.date(2023, 10, 5), title="Discharge collaborative won a national prize",
                   defaults={"goal": goals[6], "award_outcome": "won", "collaborative": discharge,
                             "evidence": evidence.get("Discharge collaborative won a national prize")})


def seed(author):
    strategy, _ = Strategy.objects.get_or_create(name=STRATEGY["name"], defaults=STRATEGY)
    for spec in GOALS:
        goal = _get_or_create(
            Goal, author, strategy=strategy, number=spec["number"],
            defaults={"title": spec["title"], "intent": spec["intent"]},
        )
        for order, text in enumerate(spec["ambitions"], start=1):
            _get_or_create(Ambition, author, goal=goal, text=text, defaults={"order": order})
        _get_or_create(
            ProgressUpdate, author, goal=goal, ambition=None, published_on=BOARD_PAPER_DATE,
            defaults={
                "status": spec["status"], "period_start": YEAR_ONE[0], "period_end": YEAR_ONE[1],
                "narrative": spec["narrative"], "next_steps": spec["next_steps"], "author": author,
            },
        )
        for kind, day, title, summary in spec["evidence"]:
            _get_or_create(EvidenceItem, author, goal=goal, title=title, defaults={"kind": kind, "date": day, "summary": summary})
    goals = {g.number: g for g in strategy.goals.all()}
    for spec in COLLABORATIVES:
        _get_or_create(Collaborative, author, name=spec["name"], defaults={**spec["fields"], "goal": goals[1]})
    for name, members in MEMBERS.items():
        collaborative = Collaborative.objects.get(name=name)
        for member, role in members:
            _get_or_create(CollaborativeMember, author, collaborative=collaborative, name=member, defaults={"role": role})
    if not Event.objects.exists():
        _seed_events(goals, author)
    for spec in LEAN_EVENTS:
        fields = {key: value for key, value in spec.items() if key != "title"}
        _get_or_create(LeanEvent, author, title=spec["title"], defaults={**fields, "goal": goals[7]})
    for spec in MEASURES:
        collaborative = Collaborative.objects.get(name=spec["collaborative"])
        measure = _get_or_create(Measure, author, name=spec["name"], defaults={**spec["fields"], "goal": goals[5], "collaborative": collaborative})
        if not measure.points.exists():
            bulk_create(MeasurePoint, (MeasurePoint(measure=measure, date=day, value=value)
                                       for day, value in zip(spec["dates"], spec["values"])), user=author)
    return strategy


def _get_or_create(model, author, defaults, **lookup):
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **defaults)
        obj._history_user = author  # the history says who made it, as for a change made in the app
        obj.save()
    return obj
