"""The board's view: the one read-only layer that rolls every app up, per goal, for a strategy year.

`board_view(strategy, period, since)` returns plain data (dataclasses); the dashboard, the board papers, their
PDF and the CSV export all render the same data. Everything stops at the period's end: a figure is its value on or
before the last day, its SPC analysis uses only the points up to it, its strip shows only the years up to it; a
judgement is the QiSG's of that period, or is marked stale. A constant number of queries, whatever the data size.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.humanize.templatetags.humanize import intcomma
from django.db.models import Count
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.formats import date_format

from goals.measures.charts import analyse_points
from goals.models import (
    STATUS_TAG_COLOURS, Collaborative, Event, EvidenceItem, EvidenceKind, Goal, LeanEvent,
    Measure, ProgressUpdate, Status,
)
from partners.models import Partner
from training import stored as training

from .models import Committee, MeetingKind

EVIDENCE_LABELS = dict(EvidenceKind.choices)
STATUS_LABELS = dict(Status.choices)


# Making Data Count: process limits from fewer points than this are not to be trusted, so no variation or assurance
# judgement is shown (NHS England, "Making Data Count": at least 15 data points, 20 better). The engine's own
# output is not changed; the page says why there is no icon.
MDC_MIN_POINTS = 15


@dataclass(frozen=True)
class Figure:
    """A headline figure of a period: the measure's value at the end of the period (never after it), against its
    target and the year before; with SPC icons only for a value per period with enough points. What the pages show
    of it is worked out once, here (`_figure`), since the view is cached: drawing it formats nothing."""

    measure: Measure
    url: str  # the measure's page
    value: float | None
    value_date: datetime.date | None
    value_date_text: str  # "Oct 2023"
    carried: bool  # the value is from before the period (none in it): shown with its own date, not as the year's
    previous: float | None
    target: float | None
    analysis: object  # the SPC analysis of the points to the end of the period (goals.measures.charts.Analysis)
    spc_note: str  # why there is no SPC judgement ("" when there is one)
    sparkline: list  # [(date, value, point_type)], the last two years to the end of the period
    by_year: list  # [(year, value or None)] for each strategy year up to the period's
    value_text: str  # as shown: "1,234.5"
    target_text: str
    previous_text: str
    meets_target: bool | None
    spark: dict | None  # the sparkline as SVG: {"points", "x", "y", "kind", "label"}; None under two points
    year_bars: list  # [(year, value as shown, x, y, height, is the period's year)] for years with a value
    years_text: str  # "Y1: 1,234 · Y2: –"

    @property
    def variation(self):
        return None if self.spc_note else self.analysis.variation

    @property
    def assurance(self):
        return None if self.spc_note else self.analysis.assurance


def figure_text(value):
    """A figure as the board's pages show it: at most one decimal place, thousands grouped ("1,234.5"); "" for none."""
    return "" if value is None else intcomma(floatformat(value, "-1"))


def _spark(sparkline, value, spc_note, period):
    """An SVG polyline of the last two years, scaled into 120 × 32, and the last point's place and type."""
    values = [v for _, v, _ in sparkline]
    if len(values) < 2:
        return None
    low, high = min(values), max(values)
    span = (high - low) or 1
    xs = [round(i * 116 / (len(values) - 1) + 2, 1) for i in range(len(values))]
    ys = [round(30 - (v - low) * 28 / span, 1) for v in values]
    kind = (sparkline[-1][2] or "common_cause").replace("special_cause_", "") if not spc_note else "common_cause"
    label = f"Trend of the last {len(values)} points to {date_format(period.last, 'M Y')}, latest {floatformat(value, '-1')}"
    return {"points": " ".join(f"{x},{y}" for x, y in zip(xs, ys)), "x": xs[-1], "y": ys[-1], "kind": kind, "label": label}


def _year_bars(by_year, period):
    """Bars for the strategy years (SVG 120 × 32), for years with a value."""
    values = [v for _, v in by_year if v is not None]
    top = max(values, default=0) or 1
    width = 120 / max(len(by_year), 1)
    return [
        (year, floatformat(value, "-1"), round(i * width + 2, 1), round(32 - max(value, 0) * 30 / top, 1),
         round(max(value, 0) * 30 / top, 1), year == period.year)
        for i, (year, value) in enumerate(by_year) if value is not None
    ]


def _meets_target(measure, value):
    if value is None or measure.target is None:
        return None
    return value >= measure.target if measure.improvement_direction == "increase" else value <= measure.target


@dataclass(frozen=True)
class StatusChange:
    update: ProgressUpdate
    previous_status: str | None
    said: str  # "changed to" or "set to" (the goal's first judgement)
    status_label: str
    published_on: str  # "1 Dec 2026"


@dataclass(frozen=True)
class NewEvidence:
    title: str
    url: str  # its card on the goal page
    date: str  # "1 Dec 2026"


@dataclass
class GoalView:
    goal: Goal
    url: str  # the goal's page
    update: ProgressUpdate | None  # the QiSG judgement shown: of the period, or (stale) the latest before it
    stale: bool = False  # no judgement of the period: `update` is older than the period shown
    judged_on: str = ""  # the judgement's date, "15 November 2026"
    judged_period: str = ""  # the period it judged, "Aug 2026 to Oct 2026"
    figures: list = field(default_factory=list)
    evidence_counts: list = field(default_factory=list)  # [("3 audit reports", the evidence list of them)]
    evidence_total: int = 0
    new_evidence: list = field(default_factory=list)  # [NewEvidence], newest first
    status_changes: list = field(default_factory=list)
    highlighted: list = field(default_factory=list)

    @property
    def status_colour(self):
        return STATUS_TAG_COLOURS[self.update.status] if self.update and not self.stale else "grey"

    @property
    def status_label(self):
        if self.update is None:
            return "No judgement yet"
        return "No judgement this year" if self.stale else self.update.get_status_display()


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
    as_at: datetime.date  # the day the period's figures are counted to: its last day, or today while it runs
    since: datetime.date
    summary: Summary
    goals: list
    steering: str = "QiSG"  # what the trust calls the group whose judgements these are (Committee)


def _value_at(points, last):
    """The latest data point on or before `last`."""
    found = None
    for point in points:
        if point.date > last:
            break
        found = point
    return found


def analysis_to(measure, last):
    """The SPC analysis of the measure's points up to `last` (read at once for many: Measure.objects.with_points())."""
    return analyse_points(measure, [p for p in measure.series if p.date <= last], [day for day in measure.rebase_dates if day <= last])


def _figure(measure, strategy, period):
    analysis = analysis_to(measure, period.last)
    points = [p for p in analysis.result.points if p.value is not None]
    current = _value_at(points, period.last)
    previous = None
    if period.year and period.year > 1:
        first, last = strategy.year_bounds(period.year - 1)
        prior = _value_at(points, last)
        previous = prior.value if prior and prior.date >= first else None
    years = range(1, (period.year or strategy.default_year()) + 1)
    by_year = []
    for year in years:
        first, last = strategy.year_bounds(year)
        point = _value_at(points, last)
        by_year.append((year, point.value if point and point.date >= first else None))
    if not measure.uses_spc:
        note = f"{measure.get_series_kind_display()}: shown against its target, not as SPC."
    elif len(points) < MDC_MIN_POINTS:
        note = (f"Too few points for SPC: Making Data Count needs {MDC_MIN_POINTS} before judging variation "
                f"(this measure has {len(points)} to {period.last:%b %Y}).")
    else:
        note = ""
    value = current.value if current else None
    sparkline = [(p.date, p.value, p.point_type) for p in points][-24:]
    return Figure(
        measure=measure, url=reverse("goals:measure_detail", args=[measure.pk]), value=value,
        value_date=current.date if current else None, value_date_text=date_format(current.date, "M Y") if current else "",
        carried=bool(current) and current.date < period.first, previous=previous, target=measure.target,
        analysis=analysis, spc_note=note, sparkline=sparkline, by_year=by_year,
        value_text=figure_text(value), target_text=figure_text(measure.target), previous_text=figure_text(previous),
        meets_target=_meets_target(measure, value),
        spark=_spark(sparkline, value, note, period), year_bars=_year_bars(by_year, period),
        years_text=" · ".join(f"Y{year}: {figure_text(v) or '–'}" for year, v in by_year),
    )


def judgement_of(updates, period):
    """(update, stale): the QiSG judgement of a goal for `period`: the newest goal-level update (newest first) whose
    judged period ends in it; without one, the latest that ended before it, which is stale (older than the period)."""
    for update in updates:
        if period.contains(update.period_end):
            return update, False
    for update in updates:
        if update.period_end < period.first:
            return update, True
    return None, False


def board_view(strategy, period, since):
    """Every goal's judgement, figures and evidence for `period`, as they stood at its end: nothing after it."""
    goals = list(Goal.objects.filter(strategy=strategy).order_by("number"))
    views = {g.pk: GoalView(goal=g, url=reverse("goals:goal_detail", args=[g.number]), update=None) for g in goals}
    as_at = period.as_at()

    updates_by_goal = defaultdict(list)
    for update in ProgressUpdate.objects.filter(goal__strategy=strategy, ambition=None, published_on__lte=datetime.date.today(),
                                                period_end__lte=period.last).select_related("author").newest_first():
        updates_by_goal[update.goal_id].append(update)
    for goal_id, updates in updates_by_goal.items():
        view = views[goal_id]
        view.update, view.stale = judgement_of(updates, period)
        if view.update:
            view.judged_on = date_format(view.update.published_on, "j F Y")
            view.judged_period = f"{date_format(view.update.period_start, 'M Y')} to {date_format(view.update.period_end, 'M Y')}"
        chronological = list(reversed(updates))
        for before, after in zip([None] + chronological, chronological):
            if after.published_on >= since and (before is None or before.status != after.status):
                view.status_changes.append(StatusChange(
                    after, before.status if before else None, "changed to" if before else "set to",
                    after.get_status_display(), date_format(after.published_on, "j M Y"),
                ))

    measures = Measure.objects.filter(goal__strategy=strategy, on_dashboard=True).order_by("goal__number", "dashboard_order", "name").with_points()
    for measure in measures:
        if len(views[measure.goal_id].figures) < 3:
            views[measure.goal_id].figures.append(_figure(measure, strategy, period))
        measure.without_points()  # the figure's analysis holds what is shown (the view is cached)

    evidence_list = reverse("goals:evidence_list")
    year = f"&year={period.year}" if period.year else ""
    in_period = EvidenceItem.objects.filter(goal__strategy=strategy).in_period(period)
    for row in in_period.values("goal_id", "kind").annotate(n=Count("pk")).order_by("goal_id", "kind"):
        view = views[row["goal_id"]]
        view.evidence_counts.append((f"{row['n']} {EVIDENCE_LABELS.get(row['kind'], row['kind']).lower()}",
                                     f"{evidence_list}?goal={view.goal.number}&kind={row['kind']}{year}"))
        view.evidence_total += row["n"]

    new = EvidenceItem.objects.filter(goal__strategy=strategy, date__gte=since, date__lte=period.last).newest_first()
    for goal_id, pk, title, day in new.values_list("goal_id", "pk", "title", "date")[:200]:
        if len(views[goal_id].new_evidence) < 5:
            views[goal_id].new_evidence.append(NewEvidence(title, f"{views[goal_id].url}#evidence-{pk}", date_format(day, "j M Y")))

    for item in in_period.filter(highlighted=True).order_by("date"):
        views[item.goal_id].highlighted.append(item)

    return BoardView(period=period, as_at=as_at, since=since, summary=_summary(views.values(), period),
                     goals=[views[g.pk] for g in goals], steering=Committee.objects.of(MeetingKind.QISG).short_name)


def _summary(goal_views, period):
    statuses = Counter(v.update.status if v.update and not v.stale else None for v in goal_views)
    goals_by_status = [(label, STATUS_TAG_COLOURS[status], statuses[status]) for status, label in Status.choices if statuses[status]]
    if statuses[None]:
        goals_by_status.append(("No judgement this year", "grey", statuses[None]))
    as_at = period.as_at()
    trained = training.headline(period.first, period.last, as_at)
    active_partners = Partner.objects.active(as_at).count()
    collaboratives = Collaborative.objects.aggregate(
        active=Count("pk", filter=Collaborative.objects.active_q(as_at)),
        stepped_down=Count("pk", filter=Collaborative.objects.stepped_down_q(as_at)),
    )
    events = Event.objects.in_period(period).counts()
    waste = LeanEvent.objects.in_period(period).totals(period.as_at())
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


@dataclass(frozen=True)
class HeadlineRow:
    """One headline figure of one strategy year, as the CSV, the xlsx and the API give it."""

    goal_number: int
    goal_title: str
    measure_id: int
    figure: str
    unit: str
    year: int
    period: str
    as_at: datetime.date
    value: float | None  # None when the value is carried from an earlier year (see value_date)
    value_date: datetime.date | None
    carried: bool
    previous: float | None
    target: float | None
    variation: str  # the SPC icon's words, or why there is none
    assurance: str


def headline_figures(strategy, years=None):
    """Every goal's headline figures for each strategy year so far (or only `years`), each as at its year's end."""
    rows = []
    for period in strategy.periods_so_far():
        if years is not None and period.year not in years:
            continue
        view = board_view(strategy, period, period.first)
        for goal_view in view.goals:
            for figure in goal_view.figures:
                rows.append(HeadlineRow(
                    goal_number=goal_view.goal.number, goal_title=goal_view.goal.title, measure_id=figure.measure.pk,
                    figure=figure.measure.name, unit=figure.measure.unit, year=period.year, period=period.label,
                    as_at=view.as_at, value=None if figure.carried else figure.value, value_date=figure.value_date,
                    carried=figure.carried, previous=figure.previous, target=figure.target,
                    variation=figure.variation.label if figure.variation else figure.spc_note,
                    assurance=figure.assurance.label if figure.assurance else "",
                ))
    return rows
