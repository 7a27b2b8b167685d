"""Trust-scale data on top of the demo: what a large trust holds after five years, for `bench/run` and the
query-count tests (`seed_demo --scale trust`; `generate(factor=…)` makes a proportionally smaller set).

At factor 1: 24,000 learners, 100,000 training completions, 20,000 feedback answers, 400 quality partners in 8
cohorts with their roles, 5,000 evidence items, 200 progress updates, 60 measures with five years of monthly
data, 150 events and 80 Lean events. Dates fall in the five years to 31 October 2026 (the year before the
strategy and strategy years 1 to 4), so the set is the same whatever day it is made on.

Reproducible: one `random.Random(SEED)` draws everything, in a fixed order. Idempotent: every generated row
carries the marker `MARKER` (in a staff number, response id, name or title); when the marker's cohort exists
the generator does nothing, so running it twice adds nothing. Everything is written with `bulk_create`; the
models that keep history get it through simple-history's `bulk_create_with_history` (one "created" record
each, by the demo's QiSG user), so "last changed by" and the history pages behave as for data entered in the
app. Training records keep no history (as the importer). Each bulk write is noted by the write hook
(improvement.core.stamp), which refreshes the derived measures when the data commit.
"""

import datetime
import random
from dataclasses import dataclass

from django.db import transaction

from goals.models import (
    Ambition, Collaborative, Event, EventKind, EvidenceItem, EvidenceKind, Goal, ImprovementDirection, LeanEvent,
    LeanKind, Measure, MeasurePoint, ProgressUpdate, Reach, Status, Strategy,
)
from improvement.core.stamp import bulk_create
from partners.models import Cohort, Partner, PartnerRole, RoleKind
from training.models import Answer, Completion, Course, FeedbackResponse, Learner, StaffGroup, Unit

from .training import seed_courses

SEED = 20260901
MARKER = "TS"  # in every generated row's natural key: "TS-…" staff numbers and response ids, "[TS]" names and titles
FIRST_DAY = datetime.date(2021, 11, 1)  # the year before the strategy …
LAST_DAY = datetime.date(2026, 10, 31)  # … to the end of strategy year 4: five whole years
BATCH = 5000

TRUST = {
    "learners": 24_000, "completions": 100_000, "feedback": 20_000, "cohorts": 8, "partners": 400,
    "evidence": 5_000, "updates": 200, "measures": 60, "events": 150, "lean_events": 80,
}
MONTHS = 60  # five years of monthly data per measure

GROUP_WEIGHTS = [(StaffGroup.NURSING, 40), (StaffGroup.ADMINISTRATION, 20), (StaffGroup.MEDICAL, 15),
                 (StaffGroup.ALLIED_HEALTH, 15), (StaffGroup.OTHER, 10)]
EXTRA_UNITS = [f"Clinical service unit {n}" for n in range(21, 41)]  # beside the demo's 20
COMMITTEES = ["Patient Experience Group", "Quality Assurance Sub-Committee", "Nursing and Midwifery Board",
              "Medicines Safety Group", "Deteriorating Patient Group"]
ANSWER_WEIGHTS = [(Answer.VERY_LIKELY, 60), (Answer.LIKELY, 30), (Answer.NEITHER, 4), (Answer.UNLIKELY, 2),
                  (Answer.VERY_UNLIKELY, 1), (Answer.DONT_KNOW, 3)]
TOPICS = ["Pressure ulcers", "Sepsis screening", "Theatre utilisation", "Length of stay", "Readmissions", "Falls with harm",
          "Medication errors", "Discharge letters", "Outpatient DNA rate", "Staff sickness", "Complaints answered on time",
          "VTE assessment", "Hand hygiene", "Cancelled operations", "Emergency department waits"]


def counts(factor=1.0):
    """How many of each at `factor` (at least one of each; cohorts stay 8)."""
    sized = {key: max(1, round(value * factor)) for key, value in TRUST.items()}
    sized["cohorts"] = TRUST["cohorts"]
    sized["partners"] = max(sized["partners"], sized["cohorts"])
    sized["completions"] = max(sized["completions"], sized["learners"])
    return sized


@dataclass(frozen=True)
class Generated:
    skipped: bool
    counts: dict


def already_generated():
    return Cohort.objects.filter(name__startswith=f"[{MARKER}]").exists()


@transaction.atomic
def generate(factor=1.0, author=None, seed=SEED):
    """Add the trust-scale set (scaled by `factor`) on top of the demo; nothing when it is there already."""
    if already_generated():
        return Generated(True, {})
    strategy = Strategy.objects.current()
    if strategy is None:
        raise RuntimeError("Load the demo first (seed_demo): the trust-scale data builds on its strategy and goals.")
    sized = counts(factor)
    rng = random.Random(seed)
    goals = list(Goal.objects.filter(strategy=strategy).order_by("number"))
    ambitions = list(Ambition.objects.filter(goal__in=goals))
    collaboratives = list(Collaborative.objects.order_by("pk"))
    made = {}
    made.update(_training(rng, sized))
    made.update(_partners(rng, sized, collaboratives, author))
    made.update(_goals(rng, sized, goals, ambitions, collaboratives, author))
    return Generated(False, made)


def _day(rng, first=FIRST_DAY, last=LAST_DAY):
    return first + datetime.timedelta(days=rng.randint(0, (last - first).days))


def _weighted(rng, pairs):
    return rng.choices([value for value, _ in pairs], weights=[weight for _, weight in pairs])[0]


def _training(rng, sized):
    seed_courses()  # the demo's courses, whatever else the installation has
    courses = list(Course.objects.order_by("name"))
    course_weights = {"foundation": 30, "excellence_in": 15, "qi_teaching": 20, "facilitator": 3, "other": 32}
    weights = [course_weights[c.kind] for c in courses]
    existing = set(Unit.objects.values_list("name", flat=True))
    bulk_create(Unit, [Unit(name=name) for name in EXTRA_UNITS if name not in existing])
    units = list(Unit.objects.order_by("name"))

    partner_learners = sized["partners"] // 2  # half the quality partners train alongside staff
    learners = []
    for n in range(sized["learners"]):
        partner = n < partner_learners
        learners.append(Learner(
            staff_number=f"{MARKER}-{n + 1:06d}", name=f"[{MARKER}] Learner {n + 1}",
            staff_group=StaffGroup.QUALITY_PARTNER if partner else _weighted(rng, GROUP_WEIGHTS),
            unit=None if partner else rng.choice(units),
            left_on=_day(rng, datetime.date(2023, 1, 1)) if rng.random() < 0.12 else None,
        ))
    bulk_create(Learner, learners, batch_size=BATCH)
    learners = list(Learner.objects.filter(staff_number__startswith=f"{MARKER}-").order_by("staff_number").only("pk", "left_on"))

    seen, completions = set(), []
    # every learner completes at least one course; the rest of the completions fall on random learners
    order = list(range(len(learners))) + [rng.randrange(len(learners)) for _ in range(sized["completions"] - len(learners))]
    for index in order:
        learner = learners[index]
        while True:
            course = rng.choices(courses, weights=weights)[0]
            day = _day(rng, last=min(LAST_DAY, learner.left_on or LAST_DAY))
            key = (learner.pk, course.pk, day)
            if key not in seen:
                break
        seen.add(key)
        completions.append(Completion(learner_id=learner.pk, course_id=course.pk, completed_on=day))
    bulk_create(Completion, completions, batch_size=BATCH)

    lim = [c for c in courses if c.kind != "other"]
    bulk_create(
        FeedbackResponse,
        [FeedbackResponse(response_id=f"{MARKER}-{n + 1:06d}", course=rng.choice(lim), responded_on=_day(rng),
                          answer=_weighted(rng, ANSWER_WEIGHTS)) for n in range(sized["feedback"])],
        batch_size=BATCH,
    )
    return {"learners": len(learners), "completions": len(completions), "feedback": sized["feedback"]}


def _partners(rng, sized, collaboratives, author):
    cohorts = bulk_create(Cohort, [
        Cohort(name=f"[{MARKER}] Cohort {n + 1}", recruited_on=datetime.date(2021, 11, 1) + datetime.timedelta(days=n * 228),
               intake_target=sized["partners"] // sized["cohorts"] + 5)
        for n in range(sized["cohorts"])
    ], user=author)
    trained = list(Learner.objects.filter(staff_number__startswith=f"{MARKER}-", staff_group=StaffGroup.QUALITY_PARTNER)
                   .order_by("staff_number").values_list("pk", flat=True))
    partners = []
    for n in range(sized["partners"]):
        cohort = cohorts[n % len(cohorts)]
        joined = cohort.recruited_on + datetime.timedelta(days=rng.randint(0, 60))
        left = joined + datetime.timedelta(days=rng.randint(180, 1200)) if rng.random() < 0.2 else None
        consents = rng.random() < 0.6
        partners.append(Partner(
            full_name=f"[{MARKER}] Partner {n + 1}", display_name=f"Partner {n + 1}",
            email=f"ts.partner{n + 1}@example.org", phone=f"01632 96{n % 10000:04d}", cohort=cohort, joined_on=joined,
            left_on=left if left and left <= LAST_DAY else None, credit_consent=consents,
            consent_recorded_on=joined if consents else None, learner_id=trained[n] if n < len(trained) else None,
        ))
    partners = bulk_create(Partner, partners, batch_size=BATCH, user=author)
    roles = []
    kinds = list(RoleKind.values)
    for partner in partners:
        for kind in rng.sample(kinds, rng.randint(1, 3)):
            started = partner.joined_on + datetime.timedelta(days=rng.randint(0, 200))
            ended = partner.left_on or (started + datetime.timedelta(days=rng.randint(30, 700)) if rng.random() < 0.3 else None)
            roles.append(PartnerRole(
                partner=partner, kind=kind, started_on=started, ended_on=max(ended, started) if ended else None,
                collaborative=rng.choice(collaboratives) if kind == RoleKind.COLLABORATIVE_MEMBER else None,
                committee=rng.choice(COMMITTEES) if kind == RoleKind.COMMITTEE_MEMBER else "",
            ))
    if not collaboratives:  # no demo collaboratives: no collaborative roles
        roles = [r for r in roles if r.kind != RoleKind.COLLABORATIVE_MEMBER]
    bulk_create(PartnerRole, roles, batch_size=BATCH, user=author)
    return {"cohorts": len(cohorts), "partners": len(partners), "partner roles": len(roles)}


def _goals(rng, sized, goals, ambitions, collaboratives, author):
    by_goal = {}
    for ambition in ambitions:
        by_goal.setdefault(ambition.goal_id, []).append(ambition)
    kinds = list(EvidenceKind.values)
    evidence = []
    for n in range(sized["evidence"]):
        goal = rng.choice(goals)
        evidence.append(EvidenceItem(
            goal=goal, ambition=rng.choice(by_goal[goal.pk]) if goal.pk in by_goal and rng.random() < 0.5 else None,
            collaborative=rng.choice(collaboratives) if collaboratives and rng.random() < 0.1 else None,
            kind=rng.choice(kinds), date=_day(rng), title=f"[{MARKER}] Evidence {n + 1}",
            summary=f"Generated evidence item {n + 1} for the trust-scale benchmark.",
        ))
    bulk_create(EvidenceItem, evidence, batch_size=BATCH, user=author)

    updates = []
    statuses = list(Status.values)
    for n in range(sized["updates"]):
        goal = rng.choice(goals)
        start = _day(rng, FIRST_DAY, LAST_DAY - datetime.timedelta(days=120))
        end = start + datetime.timedelta(days=rng.randint(28, 100))
        updates.append(ProgressUpdate(
            goal=goal, ambition=rng.choice(by_goal[goal.pk]) if goal.pk in by_goal and rng.random() < 0.3 else None,
            status=rng.choice(statuses), period_start=start, period_end=end, published_on=end + datetime.timedelta(days=rng.randint(1, 20)),
            narrative=f"[{MARKER}] Generated progress update {n + 1}.", next_steps="Carry on.", author=author,
        ))
    bulk_create(ProgressUpdate, updates, batch_size=BATCH, user=author)

    directions = list(ImprovementDirection.values)
    measures = bulk_create(Measure, [
        Measure(name=f"[{MARKER}] {TOPICS[n % len(TOPICS)]} {n + 1}", unit="per month", improvement_direction=rng.choice(directions),
                target=float(rng.randint(40, 60)) if rng.random() < 0.4 else None, goal=goals[n % len(goals)],
                collaborative=rng.choice(collaboratives) if collaboratives and rng.random() < 0.2 else None,
                description="Generated for the trust-scale benchmark: five years of monthly data.")
        for n in range(sized["measures"])
    ], user=author)
    month_ends = _month_ends(FIRST_DAY, MONTHS)
    points = []
    for measure in measures:
        level, drift = rng.uniform(30, 70), rng.uniform(-0.2, 0.2)
        points.extend(MeasurePoint(measure=measure, date=day, value=round(level + drift * i + rng.gauss(0, 3), 1))
                      for i, day in enumerate(month_ends))
    bulk_create(MeasurePoint, points, batch_size=BATCH, user=author)

    goal = {g.number: g for g in goals}
    events = []
    for n in range(sized["events"]):
        kind = rng.choice(EventKind.values)
        events.append(Event(
            kind=kind, title=f"[{MARKER}] Event {n + 1}", date=_day(rng), goal=goal.get(6 if kind in ("open_day", "conference_talk", "award") else 4, goals[0]),
            attendance=rng.randint(5, 120) if kind in ("coaching_surgery", "network_event", "celebration", "open_day") else None,
            reach=rng.choice(Reach.values) if kind == EventKind.CONFERENCE_TALK else "",
            award_outcome=rng.choice(["won", "shortlisted"]) if kind == EventKind.AWARD else "",
        ))
    bulk_create(Event, events, batch_size=BATCH, user=author)
    lean = [
        LeanEvent(kind=rng.choice(LeanKind.values), title=f"[{MARKER}] Lean event {n + 1}", unit=rng.choice(EXTRA_UNITS), date=_day(rng),
                  goal=goal.get(7, goals[-1]), hours_released_per_year=rng.randint(0, 1500), money_released_per_year=rng.randint(0, 40000),
                  steps_removed=rng.randint(0, 15), days_removed=rng.randint(0, 10), how_measured="Time studies before and after.")
        for n in range(sized["lean_events"])
    ]
    bulk_create(LeanEvent, lean, batch_size=BATCH, user=author)
    return {"evidence items": len(evidence), "progress updates": len(updates), "measures": len(measures),
            "measure points": len(points), "events": len(events), "Lean events": len(lean)}


def _month_ends(first, count):
    days, year, month = [], first.year, first.month
    for _ in range(count):
        following = datetime.date(year + month // 12, month % 12 + 1, 1)
        days.append(following - datetime.timedelta(days=1))
        year, month = following.year, following.month
    return days


# The pages bench/run times and tests/test_scale.py pins: (label, login, URL). The measure is the demo's falls chart
# (there at both scales); the PDF is the report printed by Chromium.
BENCH_LOGINS = {"board": "board", "partners": "partneradmin"}


def bench_pages():
    from django.urls import reverse

    falls = Measure.objects.filter(name="Falls per 1000 bed days").values_list("pk", flat=True).first()
    return [
        ("floor", "board", reverse("bench_floor")),
        ("dashboard", "board", reverse("dashboard") + "?year=1"),
        ("goal page", "board", reverse("goals:goal_detail", args=[3])),
        ("measure chart", "board", reverse("goals:measure_detail", args=[falls])),
        ("evidence list", "board", reverse("goals:evidence_list") + "?goal=3&kind=training&year=1"),
        ("training", "board", reverse("training:overview")),
        ("partner list", "partneradmin", reverse("partners:partner_list")),
        ("report", "board", reverse("report", args=[1])),
        ("report PDF", "board", reverse("report_pdf", args=[1])),
        ("API measures", "api", reverse("api:measures")),
        ("search", "board", reverse("goals:search") + "?q=falls+collaborative"),
    ]
