"""What has gone stale: the records nobody has updated when the strategy's rhythm says they should have been.

The rules, each judged on a day (`today`, for tests a frozen date):

1. A goal with no QiSG judgement this quarter: no goal-level progress update published from the first day of the
   strategy quarter that `today` falls in (each strategy year is four quarters of three months; QiSG meets
   quarterly) up to `today`.
2. A measure overdue for data by its frequency: an entered measure (derived ones fill themselves) of a collaborative
   not stepped down, with no point dated in its last whole period before `today` or later: a monthly measure with no
   point in last month, a weekly one none last week (Monday to Sunday), a quarterly one none in the last calendar
   quarter, a yearly one none last calendar year, a daily one none yesterday. A measure created with no points at
   all is overdue too.
3. An ambition with no evidence in six months: no evidence item linked to it dated after the day six months before
   `today`.
4. A collaborative with no evidence or data in three months: an active collaborative, started more than three months
   ago, with no evidence item linked to it and no point of any of its measures dated after the day three months
   before `today`.
5. A Lean event due a re-measure: it is re-measured 30, 60 and 90 days and one year after the event; it is due when
   the latest of those days reached by `today` has passed without a re-measure at that checkpoint or a later one.
   After the one-year re-measure, nothing more is due; an event more than two years old is no longer asked for.
6. A training export older than its usual interval: the newest import of the learning system's training records is
   older than the usual interval between its imports (the median gap of the last six imports; a month, 31 days,
   until there are three imports). No import at all is stale too.

Each item names its owner where the record has one (collaboratives, measures and Lean events do), so that a digest
lists what is the reader's first. Everything is read in a constant number of queries.
"""

import datetime
import statistics
from dataclasses import dataclass, field

from django.db.models import Exists, Max, OuterRef, Q
from django.urls import reverse

from goals.models import (
    Ambition, Checkpoint, Collaborative, EvidenceItem, Frequency, Goal, LeanEvent, LeanRemeasure, Measure, MeasurePoint,
    MeasureSource, ProgressUpdate,
)
from improvement.core.history import name_of
from improvement.core.periods import add_months, quarter_bounds
from training.models import ImportRun

AMBITION_MONTHS = 6
COLLABORATIVE_MONTHS = 3
TRAINING_DEFAULT_INTERVAL = datetime.timedelta(days=31)
TRAINING_RUNS_FOR_INTERVAL = 6


class Rule:
    GOAL = "Goal not judged this quarter"
    MEASURE = "Measure overdue for data"
    AMBITION = "Ambition with no evidence in six months"
    COLLABORATIVE = "Collaborative with no evidence or data in three months"
    LEAN = "Lean event due a re-measure"
    TRAINING = "Training export out of date"

    ORDER = [GOAL, MEASURE, AMBITION, COLLABORATIVE, LEAN, TRAINING]


@dataclass(frozen=True)
class StaleItem:
    rule: str
    title: str
    reason: str
    url: str  # a path into the app
    owner_id: int | None = None
    owner_name: str = ""


@dataclass(frozen=True)
class StaleList:
    as_at: datetime.date
    quarter: tuple  # (first day, last day) of the strategy quarter `as_at` falls in
    items: list = field(default_factory=list)

    def by_rule(self):
        """[(rule, [item])] in the rules' order, rules with no item left out."""
        return [(rule, [i for i in self.items if i.rule == rule]) for rule in Rule.ORDER
                if any(i.rule == rule for i in self.items)]

    def for_user(self, user):
        """(theirs, the rest): the items `user` owns first."""
        theirs = [i for i in self.items if i.owner_id == user.pk]
        return theirs, [i for i in self.items if i.owner_id != user.pk]


def frequency_of(measure):
    """How often a measure has data: the one place the stale rule asks (the measure's own frequency, monthly by default)."""
    return measure.frequency or Frequency.MONTHLY


def last_whole_period_start(frequency, today):
    """The first day of the last whole period of `frequency` before `today`."""
    if frequency == Frequency.DAILY:
        return today - datetime.timedelta(days=1)
    if frequency == Frequency.WEEKLY:
        return today - datetime.timedelta(days=today.weekday() + 7)
    if frequency == Frequency.QUARTERLY:
        this_quarter = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        return add_months(this_quarter, -3)
    if frequency == Frequency.YEARLY:
        return datetime.date(today.year - 1, 1, 1)
    return add_months(today.replace(day=1), -1)


def stale_list(strategy, today=None):
    today = today or datetime.date.today()
    quarter = quarter_bounds(strategy.start_date, today)
    items = (_goals(strategy, today, quarter) + _measures(strategy, today) + _ambitions(strategy, today)
             + _collaboratives(strategy, today) + _lean_events(strategy, today) + _training(today))
    return StaleList(as_at=today, quarter=quarter, items=items)


def _owner(record):
    user = record.owner
    return {"owner_id": user.pk, "owner_name": name_of(user)} if user else {}


def _goals(strategy, today, quarter):
    judged = ProgressUpdate.objects.filter(goal=OuterRef("pk"), ambition=None, published_on__range=(quarter[0], today))
    goals = (Goal.objects.filter(strategy=strategy).annotate(judged=Exists(judged), last=Max("updates__published_on",
             filter=Q(updates__ambition=None, updates__published_on__lte=today))).filter(judged=False).order_by("number"))
    return [
        StaleItem(Rule.GOAL, str(goal), (f"No QiSG judgement since {goal.last:%d %B %Y}" if goal.last else "Never judged by QiSG")
                  + f"; this quarter began on {quarter[0]:%d %B %Y}.", reverse("goals:update_new", args=[goal.number]))
        for goal in goals
    ]


def _measures(strategy, today):
    measures = (Measure.objects.filter(goal__strategy=strategy, source=MeasureSource.ENTERED)
                .exclude(collaborative__stepped_down_on__lte=today).select_related("owner")
                .annotate(last=Max("points__date", filter=Q(points__date__lte=today))).order_by("goal__number", "name"))
    items = []
    for measure in measures:
        frequency = frequency_of(measure)
        due_from = last_whole_period_start(frequency, today)
        if measure.last is None or measure.last < due_from:
            label = Frequency(frequency).label.lower()
            reason = (f"A {label} measure: its last point is dated {measure.last:%d %B %Y}, none since {due_from:%d %B %Y}."
                      if measure.last else f"A {label} measure with no data yet.")
            items.append(StaleItem(Rule.MEASURE, measure.name, reason, reverse("goals:measure_detail", args=[measure.pk]),
                                   **_owner(measure)))
    return items


def _ambitions(strategy, today):
    since = add_months(today, -AMBITION_MONTHS)
    recent = EvidenceItem.objects.filter(ambition=OuterRef("pk"), date__gt=since, date__lte=today)
    ambitions = (Ambition.objects.filter(goal__strategy=strategy).select_related("goal")
                 .annotate(recent=Exists(recent), last=Max("evidence__date", filter=Q(evidence__date__lte=today)))
                 .filter(recent=False).order_by("goal__number", "order", "id"))
    return [
        StaleItem(Rule.AMBITION, f"Goal {a.goal.number}: {a.text}",
                  f"Its last evidence is dated {a.last:%d %B %Y}." if a.last else "No evidence linked to it yet.",
                  reverse("goals:goal_detail", args=[a.goal.number]) + f"#ambition-{a.pk}")
        for a in ambitions
    ]


def _collaboratives(strategy, today):
    since = add_months(today, -COLLABORATIVE_MONTHS)
    evidence = EvidenceItem.objects.filter(collaborative=OuterRef("pk"), date__gt=since, date__lte=today)
    data = MeasurePoint.objects.filter(measure__collaborative=OuterRef("pk"), date__gt=since, date__lte=today)
    quiet = (Collaborative.objects.active(today).filter(goal__strategy=strategy, started_on__lte=since).select_related("owner")
             .annotate(evidence_recent=Exists(evidence), data_recent=Exists(data))
             .filter(evidence_recent=False, data_recent=False).order_by("name"))
    return [
        StaleItem(Rule.COLLABORATIVE, c.name, f"No evidence and no data since {since:%d %B %Y}.",
                  reverse("goals:collaborative_detail", args=[c.pk]), **_owner(c))
        for c in quiet
    ]


def lean_checkpoint_due(lean, done, today):
    """The checkpoint a Lean event is due a re-measure at on `today` (None: nothing due); `done`: its checkpoints."""
    reached = [c for c in Checkpoint if lean.checkpoint_date(c) <= today]
    if not reached:
        return None
    latest = reached[-1]
    return None if any(d >= latest for d in done) else latest


def _lean_events(strategy, today):
    events = (LeanEvent.objects.filter(goal__strategy=strategy, date__gte=add_months(today, -24))
              .select_related("owner").order_by("date", "id"))
    done = {}
    for lean_id, checkpoint in LeanRemeasure.objects.filter(lean_event__in=events, measured_on__lte=today).values_list("lean_event", "checkpoint"):
        done.setdefault(lean_id, []).append(checkpoint)
    items = []
    for lean in events:
        due = lean_checkpoint_due(lean, done.get(lean.pk, []), today)
        if due is not None:
            items.append(StaleItem(Rule.LEAN, lean.title,
                                   f"Its {Checkpoint(due).label.lower()} re-measure was due on {lean.checkpoint_date(due):%d %B %Y}.",
                                   reverse("goals:lean_remeasure", args=[lean.pk]), **_owner(lean)))
    return items


def training_interval(dates):
    """The usual interval between imports (`dates`: newest first)."""
    if len(dates) < 3:
        return TRAINING_DEFAULT_INTERVAL
    return datetime.timedelta(days=statistics.median((a - b).days for a, b in zip(dates, dates[1:])))


def _training(today):
    dates = list(ImportRun.objects.of_training().filter(imported_on__lte=today).order_by("-imported_on")
                 .values_list("imported_on", flat=True)[:TRAINING_RUNS_FOR_INTERVAL])
    url = reverse("training:import_training")
    if not dates:
        return [StaleItem(Rule.TRAINING, "Training records", "No export of the learning system has been imported yet.", url)]
    interval = training_interval(dates)
    if today - dates[0] > interval:
        return [StaleItem(Rule.TRAINING, "Training records",
                          f"The last export was imported on {dates[0]:%d %B %Y}; they usually come every {interval.days} days.", url)]
    return []
