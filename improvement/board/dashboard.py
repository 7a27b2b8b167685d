"""The board's view: the one read-only layer that rolls every app up, per goal, for a strategy year.

`board_view(strategy, period, since)` returns plain data (dataclasses); the dashboard, the annual report, its
PDF and the CSV export all render the same data. A constant number of queries, whatever the data size.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from goals.measures import spc
from goals.measures.charts import analyse_measure, assurance_icon, variation_icon
from goals.models import (
    STATUS_TAG_COLOURS, Collaborative, Event, EvidenceItem, EvidenceKind, Goal, LeanEvent,
    Measure, ProgressUpdate, Status,
)
from partners.models import Partner
from training import rollup as training

EVIDENCE_LABELS = dict(EvidenceKind.choices)
STATUS_LABELS = dict(Status.choices)


@dataclass(frozen=True)
class Figure:
    """A headline figure: a measure's value at the end of the period, against its target and last year."""

    measure: Measure
    value: float | None
    value_date: datetime.date | None
    previous: float | None
    target: float | None
    variation: object
    assurance: object
    sparkline: list  # [(date, value, point_type)] to the end of the period
    by_year: list  # [(year, value or None)] for every strategy year that has started

    @property
    def spark(self):
        """An SVG polyline of the last two years, scaled into 120 × 32, and the last point's place and type."""
        values = [v for _, v, _ in self.sparkline]
        if len(values) < 2:
            return None
        low, high = min(values), max(values)
        span = (high - low) or 1
        xs = [round(i * 116 / (len(values) - 1) + 2, 1) for i in range(len(values))]
        ys = [round(30 - (v - low) * 28 / span, 1) for v in values]
        return {"points": " ".join(f"{x},{y}" for x, y in zip(xs, ys)), "x": xs[-1], "y": ys[-1],
                "kind": (self.sparkline[-1][2] or "common_cause").replace("special_cause_", "")}

    @property
    def year_bars(self):
        """Bars for the strategy years (SVG 120 × 32): [(year, value, x, y, height)], for years with a value."""
        values = [v for _, v in self.by_year if v is not None]
        top = max(values, default=0) or 1
        width = 120 / max(len(self.by_year), 1)
        return [
            (year, value, round(i * width + 2, 1), round(32 - max(value, 0) * 30 / top, 1), round(max(value, 0) * 30 / top, 1))
            for i, (year, value) in enumerate(self.by_year) if value is not None
        ]

    @property
    def meets_target(self):
        if self.value is None or self.target is None:
            return None
        return self.value >= self.target if self.measure.improvement_direction == "increase" else self.value <= self.target


@dataclass(frozen=True)
class StatusChange:
    update: ProgressUpdate
    previous_status: str | None


@dataclass
class GoalView:
    goal: Goal
    update: ProgressUpdate | None
    figures: list = field(default_factory=list)
    evidence_counts: list = field(default_factory=list)  # [(label, kind, count)]
    evidence_total: int = 0
    new_evidence: list = field(default_factory=list)
    status_changes: list = field(default_factory=list)
    highlighted: list = field(default_factory=list)

    @property
    def status_colour(self):
        return STATUS_TAG_COLOURS[self.update.status] if self.update else "grey"

    @property
    def status_label(self):
        return self.update.get_status_display() if self.update else "No update yet"


@dataclass(frozen=True)
class Summary:
    goals_by_status: list  # [(label, colour, count)]
    people_trained_to_date: int
    current_trained_in_qi: int
    active_partners: int
    collaboratives_active: int
    collaboratives_stepped_down: int
    events: int
    prizes_won: int
    prizes_shortlisted: int
    hours_released: float
    money_released: float


@dataclass(frozen=True)
class BoardView:
    period: object
    since: datetime.date
    summary: Summary
    goals: list


def _value_at(points, last):
    """The latest data point on or before `last`."""
    found = None
    for point in points:
        if point.date > last:
            break
        found = point
    return found


def _figure(measure, analysis, strategy, period):
    points = [p for p in analysis.result.points if p.value is not None]
    current = _value_at(points, period.last)
    previous = None
    if period.year and period.year > 1:
        prior = _value_at(points, strategy.year_bounds(period.year - 1)[1])
        previous = prior.value if prior else None
    by_year = []
    for year in strategy.years_so_far():
        point = _value_at(points, strategy.year_bounds(year)[1])
        by_year.append((year, point.value if point and point.date >= strategy.year_bounds(year)[0] else None))
    # The icons judge the series as it stood at the end of the period.
    shown = [p for p in analysis.result.points if p.date <= period.last]
    if shown and shown != analysis.result.points:
        result = spc.analyse([p.date for p in shown], [p.value for p in shown], measure.improvement_direction,
                             measure.target, [d for d in analysis.rebase_dates if d <= period.last], measure.fix_after_n_points)
        variation, assurance = variation_icon(result.variation_type, measure.improvement_direction), assurance_icon(result.assurance_type)
        shown = result.points
    else:
        variation, assurance = analysis.variation, analysis.assurance
    return Figure(
        measure=measure, value=current.value if current else None, value_date=current.date if current else None,
        previous=previous, target=measure.target, variation=variation, assurance=assurance,
        sparkline=[(p.date, p.value, p.point_type) for p in shown if p.value is not None][-24:], by_year=by_year,
    )


def _update_as_at(updates, last):
    """The goal's status as judged for the period: the newest goal-level update whose period ends by `last`."""
    candidates = [u for u in updates if u.period_end <= last]
    return candidates[0] if candidates else None


def board_view(strategy, period, since):
    goals = list(Goal.objects.filter(strategy=strategy).order_by("number"))
    views = {g.pk: GoalView(goal=g, update=None) for g in goals}

    updates_by_goal = defaultdict(list)
    for update in ProgressUpdate.objects.filter(goal__strategy=strategy, ambition=None).select_related("author").newest_first():
        updates_by_goal[update.goal_id].append(update)
    for goal_id, updates in updates_by_goal.items():
        view = views[goal_id]
        view.update = _update_as_at(updates, period.last) if period.year else updates[0]
        chronological = list(reversed(updates))
        for before, after in zip([None] + chronological, chronological):
            if after.published_on >= since and (before is None or before.status != after.status):
                view.status_changes.append(StatusChange(after, before.status if before else None))

    measures = Measure.objects.filter(goal__strategy=strategy, on_dashboard=True).order_by("goal__number", "dashboard_order", "name").with_points()
    for measure in measures:
        if len(views[measure.goal_id].figures) < 3:
            views[measure.goal_id].figures.append(_figure(measure, analyse_measure(measure), strategy, period))

    in_period = EvidenceItem.objects.filter(goal__strategy=strategy).in_period(period)
    for row in in_period.values("goal_id", "kind").annotate(n=Count("pk")).order_by("goal_id", "kind"):
        view = views[row["goal_id"]]
        view.evidence_counts.append((EVIDENCE_LABELS.get(row["kind"], row["kind"]), row["kind"], row["n"]))
        view.evidence_total += row["n"]

    for item in EvidenceItem.objects.filter(goal__strategy=strategy, date__gte=since, date__lte=period.last).newest_first()[:200]:
        if len(views[item.goal_id].new_evidence) < 5:
            views[item.goal_id].new_evidence.append(item)

    for item in in_period.filter(highlighted=True).order_by("date"):
        views[item.goal_id].highlighted.append(item)

    return BoardView(period=period, since=since, summary=_summary(views.values(), period), goals=[views[g.pk] for g in goals])


def _summary(goal_views, period):
    statuses = Counter(v.update.status if v.update else None for v in goal_views)
    goals_by_status = [(label, STATUS_TAG_COLOURS[status], statuses[status]) for status, label in Status.choices if statuses[status]]
    if statuses[None]:
        goals_by_status.append(("No update yet", "grey", statuses[None]))
    trained = training.headline(period.first, period.last, min(period.last, datetime.date.today()))
    as_at = period.as_at()
    active_partners = Partner.objects.active(as_at).count()
    collaboratives = Collaborative.objects.aggregate(
        active=Count("pk", filter=Collaborative.objects.active_q(as_at)),
        stepped_down=Count("pk", filter=Collaborative.objects.stepped_down_q(as_at)),
    )
    events = Event.objects.in_period(period).counts()
    waste = LeanEvent.objects.in_period(period).totals()
    return Summary(
        goals_by_status=goals_by_status,
        people_trained_to_date=trained.trained_in_improvement_principles,
        current_trained_in_qi=trained.current_trained_in_qi,
        active_partners=active_partners,
        collaboratives_active=collaboratives["active"],
        collaboratives_stepped_down=collaboratives["stepped_down"],
        events=events.total, prizes_won=events.prizes_won, prizes_shortlisted=events.prizes_shortlisted,
        hours_released=float(waste.hours), money_released=float(waste.money),
    )
