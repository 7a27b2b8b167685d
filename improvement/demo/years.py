"""The demo after year one: illustrative data for every strategy year from year 2 up to today, so that a newcomer
sees the strategy as it lives for five years, not a snapshot of its first.

Year one is the trust's published figures (shared/seed/strategy.md) and stays exactly so: everything here is
dated after 31 October 2023, and every figure of a year is counted as at its end. The later years are made up,
plausible and clearly labelled (the strategy's notice says so on the dashboard and every paper): QiSG judgements
twice a year, evidence, measure data to the last month-end, training, events, Lean events, a new collaborative
and a stepped-down one, a new cohort of quality partners. The board paper of each year that has ended is presented
at the November board (frozen as it was shown); the year in progress has a draft.

Reproducible (one random.Random per part, fixed seeds) for a given day; idempotent: nothing is added when the
marker evidence item of year two is there already.
"""

import datetime
import random
from decimal import Decimal

from goals.models import (
    Checkpoint, Collaborative, Event, EventKind as E, EvidenceItem, EvidenceKind as K, IntelligenceSource as I, LeanEvent,
    LeanKind, LeanRemeasure, Measure, MeasurePoint, ProgressUpdate, Status as S,
)
from goals.programme.rollup import fortnightly
from improvement.core.periods import month_ends
from improvement.core.stamp import bulk_create
from partners.models import Cohort, Partner, PartnerRole, RoleKind
from training import importer
from training.models import Unit

from .partners import email_for, phone_for
from .training import UNITS as YEAR_ONE_UNITS

NOTICE = ("Demo data. Year one (November 2022 to October 2023) reproduces the trust's published one-year figures; "
          "the later years are illustrative, made up to show the strategy over its five years.")
MARKER = "Sepsis collaborative launched from harm data"

# Each goal's status in its annual judgement of years 2, 3, 4, 5 (the mid-year judgement is the same or one step back).
STATUSES = {
    1: [S.ON_TRACK, S.ON_TRACK, S.ON_TRACK, S.ON_TRACK],
    2: [S.ON_TRACK, S.AT_RISK, S.ON_TRACK, S.ON_TRACK],
    3: [S.ON_TRACK, S.ON_TRACK, S.ACHIEVED, S.ACHIEVED],
    4: [S.AT_RISK, S.ON_TRACK, S.ON_TRACK, S.ON_TRACK],
    5: [S.ON_TRACK, S.ON_TRACK, S.ON_TRACK, S.ON_TRACK],
    6: [S.ON_TRACK, S.ON_TRACK, S.ON_TRACK, S.ACHIEVED],
    7: [S.AT_RISK, S.AT_RISK, S.ON_TRACK, S.ON_TRACK],
}
NARRATIVES = {
    1: ("QiSG reviewed PSIRF themes and harm data each quarter. {event}", "Review the portfolio against the PSIRF themes at each QiSG."),
    2: ("Quality partners sat on every active collaborative and co-designed training. {event}", "Recruit the next cohort and keep partners on every collaborative."),
    3: ("Improvement training continued across staff groups; the figures below are counted from the learning system's exports. {event}",
        "Keep LIM Foundation and Excellence In running; widen QI teaching to new doctors."),
    4: ("Coaching surgeries ran fortnightly and more clinical service units gained a trained LIM facilitator. {event}",
        "Train facilitators for the units that still have none."),
    5: ("Every active collaborative reported its measures as SPC charts at QiSG. {event}", "Keep measurement for improvement in every collaborative."),
    6: ("Improvement work was shared at open days, network events and conferences. {event}", "Hold the annual open day and share learning nationally."),
    7: ("Lean events released staff time and money; each release is measured before and after. {event}",
        "Re-measure each Lean event's release and plan the next events."),
}
# (goal, month of the year (1 = November), kind, title, summary), per strategy year from 2
EVIDENCE = {
    2: [(1, 10, K.DATA, MARKER, "Sepsis was the most frequent theme in harm reviews; QiSG started a sepsis collaborative."),
        (2, 6, K.PARTNERSHIP, "Quality partners co-designed the sepsis collaborative's patient leaflet", "Two quality partners led the leaflet's design."),
        (3, 8, K.TRAINING, "QI teaching added to the foundation doctors' programme", "Every foundation doctor now has an afternoon of QI teaching."),
        (4, 4, K.EVENT, "Improvement network: spring 2024", "Teams shared their work at the spring network event."),
        (6, 11, K.PRESENTATION, "Falls collaborative presented at a national conference", "The falls team shared its sustained reduction."),
        (7, 4, K.DATA, "First Lean releases measured", "Clinic letters and theatre stores released staff time and money.")],
    3: [(1, 5, K.DATA, "Discharge collaborative reviewed for step-down", "QiSG reviewed whether the discharge improvements were sustained."),
        (2, 12, K.PARTNERSHIP, "A new cohort of quality partners recruited", "Eight quality partners joined in October 2025."),
        (3, 7, K.TRAINING, "Excellence In Allied Health programme planned", "The programme's first cohort is planned for next year."),
        (5, 9, K.DATA, "Sepsis screening shown as an SPC chart at QiSG", "The sepsis collaborative's first measures were reviewed."),
        (6, 10, K.EVENT, "Third improvement open day", "Teams from the region visited the improvement open day."),
        (7, 8, K.DATA, "Pharmacy dispensing 5S", "A 5S event in pharmacy dispensing released staff time.")],
    4: [(1, 5, K.DATA, "Discharge collaborative stepped down: improvements sustained", "QiSG stepped the discharge collaborative down."),
        (2, 3, K.STORY, "A quality partner's story at the Trust Board", "A quality partner told the board about her collaborative's work."),
        (3, 9, K.TRAINING, "Trust-wide improvement principles e-learning refreshed", "The e-learning module was updated."),
        (4, 6, K.EVENT, "Improvement network and celebration event 2026", "The annual celebration of improvement work."),
        (6, 8, K.AWARD, "Falls collaborative shortlisted for a national award", "The falls team was shortlisted nationally."),
        (7, 7, K.DATA, "Emergency department flow value stream mapped", "A value stream map of ED flow found waste to remove.")],
    5: [(3, 1, K.TRAINING, "Year five training plan agreed", "QiSG agreed the training plan for the strategy's last year.")],
}
# Entered measures after year one: (level, drift per month, spread)
CONTINUATIONS = {
    "Falls per 1000 bed days": (5.2, -0.005, 0.35),
    "Discharges before noon": (27.5, 0.05, 2.0),
    "Hospital-onset C. difficile cases": (7.5, -0.02, 2.5),
    "Time-critical medicines given on time": (91.0, 0.0, 1.2),
    "Patient identification incidents": (13.0, -0.12, 2.5),
}
LEAN = {
    3: [(LeanKind.FIVE_S, "Pharmacy dispensing 5S", "Pharmacy", 8, 350, 6000), (LeanKind.KAIZEN, "Ward 12 discharge kaizen", "Elderly care", 3, 600, 9000)],
    4: [(LeanKind.VALUE_STREAM_MAPPING, "Emergency department flow value stream", "Emergency medicine", 7, 900, 14000),
        (LeanKind.RPIW, "Radiology booking RPIW", "Radiology", 10, 1100, 21000)],
}
SUMMARY = ("Illustrative demo data: this paper reports year {year} of the strategy. Every goal was judged by QiSG; "
           "the headline figures, SPC verdicts and charts below are as at {last:%d %B %Y}.")


def board_meeting(strategy, year):
    """The Trust Board that reads year `year`'s paper: the last Thursday of the November after the year ends."""
    last = strategy.year_bounds(year)[1]
    day = datetime.date(last.year, 11, 30)
    return day - datetime.timedelta(days=(day.weekday() - 3) % 7)


def seed(strategy, author, today=None):
    """The later years' data (not the papers: improvement.demo.board presents them once everything is there)."""
    today = today or datetime.date.today()
    strategy.notice = NOTICE
    strategy.save(update_fields=["notice"])
    if EvidenceItem.objects.filter(title=MARKER).exists():
        return
    years = [y for y in range(2, strategy.years + 1) if strategy.year_bounds(y)[0] <= today]
    goals = {g.number: g for g in strategy.goals.all()}
    _collaboratives(goals, author, today)
    for year in years:
        first, last = strategy.year_bounds(year)
        _judgements(strategy, goals, year, author, today)
        for number, month, kind, title, summary in EVIDENCE.get(year, []):
            day = min(_in_month(first, month, 15), today)
            item = EvidenceItem(goal=goals[number], kind=kind, date=day, title=title, summary=summary)
            item._history_user = author
            item.save()
        _events(goals, year, first, min(last, today), author)
        for kind, title, unit, month, hours, money in LEAN.get(year, []):
            day = _in_month(first, month, 12)
            if day <= today:
                lean = LeanEvent(kind=kind, title=title, unit=unit, date=day, goal=goals[7], hours_released_per_year=hours,
                                 money_released_per_year=money, steps_removed=hours // 100, how_measured="Time studies before and after.",
                                 owner=author)
                lean._history_user = author
                lean.save()
    _measure_points(strategy, author, today)
    _remeasures(author, today)
    _training(strategy, years, today)
    _partners(strategy, author, today)


def _in_month(first, month, day):
    """Day `day` of the `month`th month (1: the first) of a year starting on `first`."""
    months = first.month - 1 + month - 1
    return datetime.date(first.year + months // 12, months % 12 + 1, day)


def _judgements(strategy, goals, year, author, today):
    first, last = strategy.year_bounds(year)
    status_index = min(year - 2, 3)
    mid_end = _in_month(first, 6, 1) - datetime.timedelta(days=1)  # the end of April
    judgements = [(first, mid_end, _in_month(first, 7, 20), True), (first, last, board_meeting(strategy, year) - datetime.timedelta(days=11), False)]
    events = {number: next((title for n, _, _, title, _ in EVIDENCE.get(year, []) if n == number), "") for number in goals}
    for start, end, published, mid_year in judgements:
        if published > today:
            continue
        for number, goal in goals.items():
            status = STATUSES[number][status_index]
            if mid_year and status == S.ACHIEVED:
                status = S.ON_TRACK
            text, next_steps = NARRATIVES[number]
            event = f"{events[number]}." if events[number] else ""
            update = ProgressUpdate(goal=goal, status=status, period_start=start, period_end=end, published_on=published, author=author,
                                    narrative=f"{'Mid-year' if mid_year else 'Year'} {year} (illustrative): " + text.format(event=event),
                                    next_steps=next_steps)
            update._history_user = author
            update.save()


def _collaboratives(goals, author, today):
    sepsis_start = datetime.date(2024, 8, 7)
    if sepsis_start <= today:
        sepsis = Collaborative(name="Sepsis", goal=goals[1], aim="Antibiotics within an hour for every patient with sepsis.",
                               prompted_by=I.HARM_DATA, rationale="Sepsis was the most frequent theme in harm reviews.",
                               started_on=sepsis_start, owner=author)
        sepsis._history_user = author
        sepsis.save()
    step_down = datetime.date(2026, 3, 18)
    if step_down <= today:
        discharge = Collaborative.objects.get(name="Discharge")
        discharge.stepped_down_on, discharge.step_down_reason = step_down, "Improvements sustained"
        discharge._history_user = author
        discharge.save()


def _events(goals, year, first, last, author):
    rng = random.Random(year)
    surgeries = [Event(kind=E.COACHING_SURGERY, title="Coaching surgery", date=day, goal=goals[4], attendance=rng.randint(5, 16))
                 for day in fortnightly(first + datetime.timedelta(days=7), last)]
    others = [(4, E.NETWORK_EVENT, "Improvement network: spring", 6, rng.randint(40, 90)),
              (4, E.CELEBRATION, "Improvement network and celebration event", 11, rng.randint(60, 110)),
              (6, E.OPEN_DAY, "Improvement open day", 5, rng.randint(100, 160)),
              (6, E.CONFERENCE_TALK, "Collaborative presented at a national conference", 8, None)]
    made = surgeries + [
        Event(kind=kind, title=f"{title} {first.year + 1}", date=_in_month(first, month, 18), goal=goals[number], attendance=attendance,
              reach="national" if kind == E.CONFERENCE_TALK else "")
        for number, kind, title, month, attendance in others if _in_month(first, month, 18) <= last
    ]
    bulk_create(Event, made, user=author)


# What each re-measure finds of the first claim (the year-two clinic letters RPIW slipped at one year: not sustained).
REMEASURE_SHARE = {Checkpoint.DAYS_30: 1.0, Checkpoint.DAYS_60: 0.95, Checkpoint.DAYS_90: 0.9, Checkpoint.ONE_YEAR: 0.85}


def _remeasures(author, today):
    """Every Lean event re-measured at each checkpoint reached, except the newest event's latest one (left due, so
    that the stale list and the reminders have it)."""
    events = list(LeanEvent.objects.order_by("date", "id"))
    made = []
    for lean in events:
        reached = [c for c in Checkpoint if lean.checkpoint_date(c) <= today]
        if lean is events[-1]:
            reached = reached[:-1]
        for checkpoint in reached:
            share = REMEASURE_SHARE[checkpoint]
            slipped = checkpoint == Checkpoint.ONE_YEAR and lean.kind == LeanKind.RPIW and lean.date.year == 2024
            share = 0.6 if slipped else share
            made.append(LeanRemeasure(
                lean_event=lean, checkpoint=checkpoint, measured_on=lean.checkpoint_date(checkpoint), checked_by=author,
                hours_released_per_year=round(lean.hours_released_per_year * Decimal(share)),
                money_released_per_year=round(lean.money_released_per_year * Decimal(share)),
                steps_removed=round(lean.steps_removed * share), sustained=not slipped,
                notes="Illustrative demo re-measure.",
            ))
    bulk_create(LeanRemeasure, made, user=author)


def _measure_points(strategy, author, today):
    rng = random.Random(2024)
    days = month_ends(datetime.date(2023, 11, 1), today)
    for name, (level, drift, spread) in CONTINUATIONS.items():
        measure = Measure.objects.filter(name=name).first()
        if measure is None:
            continue
        if measure.owner_id is None:  # named on the record: reminded when its data are overdue
            measure.owner = author
            measure._history_user = author
            measure.save(update_fields=["owner"])
        digits = 0 if "cases" in name or "incidents" in name else 1
        bulk_create(MeasurePoint, [
            MeasurePoint(measure=measure, date=day, value=round(max(level + drift * i + rng.uniform(-spread, spread), 0), digits))
            for i, day in enumerate(days)
        ], user=author)


def _training(strategy, years, today):
    """Each later year's training, through the importer as the learning system's exports arrive."""
    rng = random.Random(2025)
    rows, number = [], 40000001
    courses = [("LIM Foundation", 150, "Nursing"), ("Excellence In Nursing", 120, "Nursing"),
               ("Excellence In Administration", 80, "Administration"), ("QI teaching", 280, "Medical"),
               ("LIM facilitator training", 2, "Allied Health")]
    units = YEAR_ONE_UNITS[11:]  # the units without a facilitator at the end of year one
    for year in years:
        first, last = strategy.year_bounds(year)
        last = min(last, today)
        for course, count, group in courses:
            count = count if last == strategy.year_bounds(year)[1] else count * (last - first).days // 365
            for _ in range(count):
                day = first + datetime.timedelta(days=rng.randint(0, (last - first).days))
                rows.append([str(number), f"Illustrative learner {number}", group, rng.choice(units) if course.startswith("LIM f") else "",
                             course, day.isoformat(), ""])
                number += 1
    known_units = set(Unit.objects.values_list("name", flat=True))
    rows = [row[:3] + [row[3] if row[3] in known_units else ""] + row[4:] for row in rows]  # no new units: year one's coverage holds
    report = importer.import_file("training", _chunks(importer.TRAINING_COLUMNS, rows))
    if not report.ok:
        raise RuntimeError(f"The later years' training did not import: {report.file_error or report.errors[:5]}")
    feedback, n = [], 1
    for year in years:
        first, last = strategy.year_bounds(year)
        last = min(last, today)
        for _ in range(400 * (last - first).days // 365):
            day = first + datetime.timedelta(days=rng.randint(0, (last - first).days))
            answer = rng.choices(["Very likely", "Likely", "Neither likely nor unlikely", "Unlikely"], weights=[70, 27, 2, 1])[0]
            feedback.append([f"DEMO-Y{year}-{n:05d}", rng.choice(["LIM Foundation", "Excellence In Nursing"]), day.isoformat(), answer])
            n += 1
    report = importer.import_file("feedback", _chunks(importer.FEEDBACK_COLUMNS, feedback))
    if not report.ok:
        raise RuntimeError(f"The later years' feedback did not import: {report.file_error or report.errors[:5]}")


def _chunks(header, rows):
    lines = [",".join(header)] + [",".join(row) for row in rows]
    yield ("\n".join(lines) + "\n").encode("utf-8")


def _partners(strategy, author, today):
    recruited = datetime.date(2025, 10, 6)
    if recruited > today:
        return
    cohort = Cohort(name="October 2025 cohort", recruited_on=recruited, intake_target=8)
    cohort._history_user = author
    cohort.save()
    names = ["Aisha Rahman", "Tom Whitaker", "Grace Liu", "Peter Novak", "Mary O'Connell", "Dev Patel", "Ruth Adeyemi", "Sam Hughes"]
    for i, name in enumerate(names):
        partner = Partner(full_name=name, display_name=name.split()[0], email=email_for(name), phone=phone_for(90 + i),
                          cohort=cohort, joined_on=recruited + datetime.timedelta(days=14), credit_consent=False)
        partner._history_user = author
        partner.save()
        if i < 3:
            role = PartnerRole(partner=partner, kind=RoleKind.COLLABORATIVE_MEMBER, collaborative=Collaborative.objects.get(name="Sepsis"),
                               started_on=recruited + datetime.timedelta(days=30))
            role._history_user = author
            role.save()
