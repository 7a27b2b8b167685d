"""Measures: time series shown as XmR charts with Making Data Count rules, their points and rebases."""

import datetime
from collections import defaultdict
from functools import cached_property
from typing import NamedTuple

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from goals.programme.models import Collaborative
from goals.strategy.models import Ambition, Goal


class ImprovementDirection(models.TextChoices):
    INCREASE = "increase", "Up is better"
    DECREASE = "decrease", "Down is better"
    NEUTRAL = "neutral", "Neither"


class Frequency(models.TextChoices):
    """How often a measure has a value: one point per period (a week from Monday, a calendar month, a quarter, a
    financial year from April), or "as dated", where every date is its own period."""

    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    YEARLY = "yearly", "Yearly (April to March)"
    AS_DATED = "as_dated", "As dated (each date is its own period)"


def period_of(frequency, day):
    """(first day, last day) of the period of `frequency` that `day` falls in."""
    if frequency == Frequency.WEEKLY:
        first = day - datetime.timedelta(days=day.weekday())
        return first, first + datetime.timedelta(days=6)
    if frequency in (Frequency.MONTHLY, Frequency.QUARTERLY, Frequency.YEARLY):
        if frequency == Frequency.MONTHLY:
            first, months = day.replace(day=1), 1
        elif frequency == Frequency.QUARTERLY:
            first, months = datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1), 3
        else:
            first, months = datetime.date(day.year if day.month >= 4 else day.year - 1, 4, 1), 12
        month = first.month - 1 + months
        following = datetime.date(first.year + month // 12, month % 12 + 1, 1)
        return first, following - datetime.timedelta(days=1)
    return day, day


def period_name(frequency, day):
    """The period `day` falls in, as a QiSG member says it: "November 2026", "the week from 9 Nov 2026"."""
    first, last = period_of(frequency, day)
    if frequency == Frequency.WEEKLY:
        return f"the week from {first.day} {first:%b %Y}"
    if frequency == Frequency.MONTHLY:
        return f"{first:%B %Y}"
    if frequency == Frequency.QUARTERLY:
        return f"{first:%b} to {last:%b %Y}"
    if frequency == Frequency.YEARLY:
        return f"{first.year}-{last:%y}"
    return f"{day.day} {day:%b %Y}"


class MeasureSource(models.TextChoices):
    ENTERED = "entered", "Entered by hand or CSV"
    DERIVED = "derived", "Derived from the app's own records"


class SeriesKind(models.TextChoices):
    """What a measure's values are: SPC (and its icons) is for a value per period, never for a running total or a
    count at a moment, whose points are not independent (a flat running total is no "special cause")."""

    PER_PERIOD = "per_period", "A value for each period (SPC applies)"
    RUNNING_TOTAL = "running_total", "A running total to date"
    SNAPSHOT = "snapshot", "A count or share at a moment"


class DerivedFigure(models.TextChoices):
    """The figures a derived measure can show, each worked out month by month by improvement.board.derived."""

    ACTIVE_COLLABORATIVES = "goals.active_collaboratives", "QI collaboratives active at the end of each month"
    COACHING_ATTENDANCE = "goals.coaching_attendance", "Coaching surgery attendance in each month"
    SPREAD_EVENTS_TO_DATE = "goals.spread_events_to_date", "Open days, conference talks, prizes and celebrations to date"
    HOURS_RELEASED_TO_DATE = "goals.hours_released_to_date", "Staff hours a year released by Lean events to date"
    ACTIVE_PARTNERS = "partners.active_partners", "Active quality partners at the end of each month"
    CURRENT_TRAINED_IN_QI = "training.current_trained_in_qi", "Current staff and partners trained in QI"
    FOUNDATION_COMPLETIONS_TO_DATE = "training.foundation_completions_to_date", "Foundation course completions to date"
    FACILITATOR_COVERAGE = "training.facilitator_coverage", "Share of CSUs with a current trained facilitator (%)"
    RECOMMEND_LAST_12_MONTHS = "training.recommend_last_12_months", "Likely or very likely to recommend the improvement method's training, last 12 months (%)"


# What each derived figure's values are (a measure showing it is created with this kind).
DERIVED_KINDS = {
    DerivedFigure.ACTIVE_COLLABORATIVES: SeriesKind.SNAPSHOT,
    DerivedFigure.COACHING_ATTENDANCE: SeriesKind.PER_PERIOD,
    DerivedFigure.SPREAD_EVENTS_TO_DATE: SeriesKind.RUNNING_TOTAL,
    DerivedFigure.HOURS_RELEASED_TO_DATE: SeriesKind.RUNNING_TOTAL,
    DerivedFigure.ACTIVE_PARTNERS: SeriesKind.SNAPSHOT,
    DerivedFigure.CURRENT_TRAINED_IN_QI: SeriesKind.SNAPSHOT,
    DerivedFigure.FOUNDATION_COMPLETIONS_TO_DATE: SeriesKind.RUNNING_TOTAL,
    DerivedFigure.FACILITATOR_COVERAGE: SeriesKind.SNAPSHOT,
    DerivedFigure.RECOMMEND_LAST_12_MONTHS: SeriesKind.SNAPSHOT,  # a rolling twelve months: overlapping, not independent
}


class SeriesPoint(NamedTuple):
    """A stored point as the analyses read it: plain values, not a model instance (a chart reads hundreds)."""

    pk: int
    date: datetime.date
    value: float


class MeasureQuerySet(models.QuerySet):
    def with_points(self):
        """These measures, as a list, each with its points (`series`) and rebase dates at hand: three queries for
        any number of measures."""
        measures = list(self)
        series, rebases = defaultdict(list), defaultdict(list)
        pks = [measure.pk for measure in measures]
        points = MeasurePoint.objects.filter(measure__in=pks).order_by("date").values_list("measure_id", "pk", "date", "value")
        for measure_id, *point in points:
            series[measure_id].append(SeriesPoint(*point))
        for measure_id, day in Rebase.objects.filter(measure__in=pks).order_by("date").values_list("measure_id", "date"):
            rebases[measure_id].append(day)
        for measure in measures:
            measure.series, measure.rebase_dates = series[measure.pk], rebases[measure.pk]
        return measures


class Measure(models.Model):
    """A time series shown as an XmR chart with Making Data Count rules."""

    name = models.CharField(max_length=200, unique=True)
    unit = models.CharField(max_length=60, help_text="For example: falls per 1000 bed days, %, people.")
    improvement_direction = models.CharField(max_length=10, choices=ImprovementDirection.choices)
    target = models.FloatField(null=True, blank=True, help_text="Optional. Leave empty when there is no target.")
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY,
                                 help_text="One value per period: a second value for the same period replaces the first.")
    decimals = models.PositiveSmallIntegerField(
        "decimal places shown", null=True, blank=True, validators=[MaxValueValidator(4)],
        help_text="Optional, 0 to 4. Empty: as many as its values have (at most 4).",
    )
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="measures")
    ambition = models.ForeignKey(Ambition, on_delete=models.SET_NULL, null=True, blank=True, related_name="measures")
    collaborative = models.ForeignKey(Collaborative, on_delete=models.SET_NULL, null=True, blank=True, related_name="measures")
    description = models.TextField(blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                              help_text="The QiSG member reminded when its data are overdue.")
    fix_after_n_points = models.PositiveSmallIntegerField(
        "fix the limits after this many points", null=True, blank=True, validators=[MinValueValidator(12)],
        help_text="Optional, 12 or more: each period's limits are calculated from its first points only.",
    )
    on_dashboard = models.BooleanField(
        "a headline figure on the board dashboard", default=False,
        help_text="Two or three per goal: shown with its icons, sparkline and previous year's value.",
    )
    dashboard_order = models.PositiveSmallIntegerField(default=0)
    source = models.CharField(max_length=10, choices=MeasureSource.choices, default=MeasureSource.ENTERED)
    series_kind = models.CharField("its values are", max_length=15, choices=SeriesKind.choices, default=SeriesKind.PER_PERIOD)
    derived_from = models.CharField(max_length=60, blank=True, choices=DerivedFigure.choices,
                                    help_text="For derived measures: which figure feeds it.")
    version = models.PositiveIntegerField(default=1, editable=False, help_text="Raised by every save: detects concurrent edits.")
    history = HistoricalRecords(related_name="changes")

    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["goal__number", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(improvement_direction__in=ImprovementDirection.values), name="measure_direction_valid"),
            models.CheckConstraint(condition=Q(frequency__in=Frequency.values), name="measure_frequency_valid"),
            models.CheckConstraint(condition=Q(source__in=MeasureSource.values), name="measure_source_valid"),
            models.CheckConstraint(condition=Q(series_kind__in=SeriesKind.values), name="measure_series_kind_valid"),
            models.CheckConstraint(
                condition=Q(source=MeasureSource.ENTERED, derived_from="")
                | Q(source=MeasureSource.DERIVED, derived_from__in=DerivedFigure.values),
                name="measure_derived_from_a_known_figure",
            ),
            models.CheckConstraint(
                condition=Q(fix_after_n_points__isnull=True) | Q(fix_after_n_points__gte=12), name="measure_fix_after_at_least_12",
            ),
            models.CheckConstraint(condition=Q(decimals__isnull=True) | Q(decimals__lte=4), name="measure_decimals_at_most_4"),
        ]

    @cached_property
    def series(self):
        """Its points in date order, as SeriesPoint values (Measure.objects.with_points() reads many measures' at once)."""
        return [SeriesPoint(*point) for point in self.points.order_by("date").values_list("pk", "date", "value")]

    @cached_property
    def rebase_dates(self):
        """The dates its process limits are recalculated from, in order."""
        return list(self.rebases.order_by("date").values_list("date", flat=True))

    def without_points(self):
        """This measure as a page's cached figures keep it: its decimals worked out from its points, then the points
        and rebase dates let go (the analysis holds what is shown of them): a few fields in the cache, not a series."""
        self.shown_decimals  # noqa: B018 (worked out while the points are here)
        self.__dict__.pop("series", None)
        self.__dict__.pop("rebase_dates", None)
        return self

    def __str__(self):
        return self.name

    @property
    def is_derived(self):
        return self.source == MeasureSource.DERIVED

    @property
    def uses_spc(self):
        return self.series_kind == SeriesKind.PER_PERIOD

    def period_name(self, day):
        return period_name(self.frequency, day)

    @cached_property
    def shown_decimals(self):
        """Decimal places its figures are shown with: its own setting, or as many as its values have (at most 4)."""
        if self.decimals is not None:
            return self.decimals
        return max((decimals_of(p.value) for p in self.series), default=0)

    def shown(self, value, decimals=None):
        """A figure of this measure as text: its decimals, thousands separated ("1,234.5"); "" for no value."""
        if value is None:
            return ""
        return f"{value:,.{self.shown_decimals if decimals is None else decimals}f}"


def decimals_of(value):
    """Decimal places a value was typed with (its shortest form), at most 4: 27.2 → 1, 12 → 0."""
    text = repr(float(value))
    if "e" in text or "." not in text:
        return 0 if "e" not in text else 4
    return min(4, len(text.split(".")[1].rstrip("0")))


class MeasurePointQuerySet(models.QuerySet):
    def in_period_of(self, measure, day):
        """The measure's points in the period (of its frequency) that `day` falls in: at most one is kept."""
        first, last = period_of(measure.frequency, day)
        return self.filter(measure=measure, date__gte=first, date__lte=last)


class MeasurePoint(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="points")
    date = models.DateField()
    value = models.FloatField()
    history = HistoricalRecords(related_name="changes")

    objects = MeasurePointQuerySet.as_manager()

    class Meta:
        ordering = ["measure", "date"]
        constraints = [models.UniqueConstraint(fields=["measure", "date"], name="one_point_per_measure_and_date")]

    def __str__(self):
        return f"{self.measure}: {self.value} on {self.date}"


class Rebase(models.Model):
    """From this date the measure's process limits are recalculated, e.g. after a change was made."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="rebases")
    date = models.DateField()
    reason = models.CharField(max_length=300)
    history = HistoricalRecords(related_name="changes")

    class Meta:
        ordering = ["measure", "date"]
        constraints = [models.UniqueConstraint(fields=["measure", "date"], name="one_rebase_per_measure_and_date")]

    def __str__(self):
        return f"Rebase of {self.measure} on {self.date}"


