"""The agenda pack of a QiSG meeting: what changed since the previous meeting, each goal's status, the measures whose
SPC signal changed, and what has gone stale.

"Since the previous meeting" is the days after the previous QiSG meeting up to and including this meeting's day
(before the meeting, up to today): each day belongs to exactly one pack. A pack whose previous meeting is still to
come has nothing in it yet; its stale list is as at today. Without a previous meeting it is the three
months before this one. Records count by their own dates: evidence by the day it happened, judgements by the day they
were published, points by their date, collaboratives by the day they started or stepped down, training by the day
its export was imported.

A goal is "judged this quarter" when a goal-level QiSG judgement was published in the window. A measure's SPC signal
changed when its variation or assurance verdict as at the window's last day differs from the one as at the previous
meeting (a per-period measure, with enough points: improvement.board.dashboard.MDC_MIN_POINTS).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q

from goals.measures.charts import analyse_points
from goals.models import (
    STATUS_TAG_COLOURS, Collaborative, EvidenceItem, Goal, Measure, ProgressUpdate, SeriesKind,
)
from improvement.core.periods import add_months
from training.models import ImportRun

from . import stale
from .dashboard import MDC_MIN_POINTS


@dataclass(frozen=True)
class GoalLine:
    goal: Goal
    update: ProgressUpdate | None  # the newest goal-level judgement up to the window's end
    judged_this_quarter: bool

    @property
    def status_label(self):
        return self.update.get_status_display() if self.update else "No judgement yet"

    @property
    def status_colour(self):
        return STATUS_TAG_COLOURS[self.update.status] if self.update else "grey"


@dataclass(frozen=True)
class SignalChange:
    measure: Measure
    before: str  # the verdicts as at the previous meeting, in words
    now: str


@dataclass(frozen=True)
class Pack:
    meeting: object
    previous: object  # the previous QiSG meeting, or None
    since: datetime.date  # the window is the days after this one...
    until: datetime.date  # ...up to and including this one
    to_date: bool  # the meeting is still to come: the window stops today
    evidence: list
    judgements: list
    points: list  # [(measure, number of new points)]
    started: list
    stepped_down: list
    training_imports: list
    goals: list  # [GoalLine]
    signals: list  # [SignalChange]
    stale: object  # stale.StaleList as at the window's end

    @property
    def first_day(self):
        return self.since + datetime.timedelta(days=1)

    @property
    def not_begun(self):
        """The previous meeting has not happened yet: nothing can have changed since it."""
        return self.until <= self.since


def window(meeting, today=None):
    """(previous meeting or None, since (excluded), until (included), to_date)."""
    today = today or datetime.date.today()
    previous = meeting.previous()
    since = previous.date if previous else add_months(meeting.date, -3)
    return previous, since, min(meeting.date, today), meeting.date > today


def pack(meeting, today=None):
    previous, since, until, to_date = window(meeting, today)
    strategy = meeting.strategy
    inside = {"__gt": since, "__lte": until}

    def dated(field):
        return {f"{field}{k}": v for k, v in inside.items()}

    evidence = list(EvidenceItem.objects.filter(goal__strategy=strategy, **dated("date")).select_related("goal", "collaborative")
                    .order_by("goal__number", "date", "id"))
    judgements = list(ProgressUpdate.objects.filter(goal__strategy=strategy, **dated("published_on"))
                      .select_related("goal", "ambition", "author").order_by("goal__number", "published_on", "id"))
    points = [(m, m.new_points) for m in Measure.objects.filter(goal__strategy=strategy).annotate(
        new_points=Count("points", filter=Q(**dated("points__date")))).filter(new_points__gt=0).order_by("goal__number", "name")]
    collaboratives = Collaborative.objects.filter(goal__strategy=strategy)
    started = list(collaboratives.filter(**dated("started_on")).order_by("started_on"))
    stepped_down = list(collaboratives.filter(**dated("stepped_down_on")).order_by("stepped_down_on"))
    imports = list(ImportRun.objects.filter(**dated("imported_on")).order_by("imported_on", "imported_at"))
    return Pack(
        meeting=meeting, previous=previous, since=since, until=until, to_date=to_date, evidence=evidence,
        judgements=judgements, points=points, started=started, stepped_down=stepped_down, training_imports=imports,
        goals=_goals(strategy, since, until), signals=_signals(strategy, since, until),
        stale=stale.stale_list(strategy, until),
    )


def _goals(strategy, since, until):
    goals = Goal.objects.filter(strategy=strategy).prefetch_related(Prefetch(
        "updates", queryset=ProgressUpdate.objects.filter(ambition=None, published_on__lte=until).newest_first(),
        to_attr="judgements_to_date"))
    return [GoalLine(goal, goal.judgements_to_date[0] if goal.judgements_to_date else None,
                     any(since < u.published_on <= until for u in goal.judgements_to_date))
            for goal in goals.order_by("number")]


def _verdict(measure, points, rebases, day):
    shown = [p for p in points if p.date <= day]
    if len(shown) < MDC_MIN_POINTS:
        return None
    analysis = analyse_points(measure, shown, [rebase for rebase in rebases if rebase <= day])
    return (analysis.variation.label, analysis.assurance.label if analysis.assurance else "")


def _signals(strategy, since, until):
    measures = Measure.objects.filter(goal__strategy=strategy, series_kind=SeriesKind.PER_PERIOD).order_by("goal__number", "name").with_points()
    changes = []
    for measure in measures:
        points, rebases = measure.series, measure.rebase_dates
        before, now = _verdict(measure, points, rebases, since), _verdict(measure, points, rebases, until)
        if now is not None and before != now:
            changes.append(SignalChange(measure, _words(before), _words(now)))
    return changes


def _words(verdict):
    if verdict is None:
        return "Not enough data for a judgement"
    variation, assurance = verdict
    return f"{variation}; {assurance}" if assurance else variation
