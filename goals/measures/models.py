"""Measures: time series shown as XmR charts with Making Data Count rules, their points and rebases."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Prefetch, Q
from simple_history.models import HistoricalRecords

from goals.programme.models import Collaborative
from goals.strategy.models import Ambition, Goal


class ImprovementDirection(models.TextChoices):
    INCREASE = "increase", "Up is better"
    DECREASE = "decrease", "Down is better"
    NEUTRAL = "neutral", "Neither"


class Frequency(models.TextChoices):
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    YEARLY = "yearly", "Yearly"


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
    FOUNDATION_COMPLETIONS_TO_DATE = "training.foundation_completions_to_date", "LIM Foundation completions to date"
    FACILITATOR_COVERAGE = "training.facilitator_coverage", "Share of CSUs with a current trained LIM facilitator (%)"
    RECOMMEND_LAST_12_MONTHS = "training.recommend_last_12_months", "Likely or very likely to recommend LIM training, last 12 months (%)"


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


def _points_and_rebases():
    return (
        Prefetch("points", queryset=MeasurePoint.objects.order_by("date")),
        Prefetch("rebases", queryset=Rebase.objects.order_by("date")),
    )


class MeasureQuerySet(models.QuerySet):
    def with_points(self):
        return self.prefetch_related(*_points_and_rebases())


class Measure(models.Model):
    """A time series shown as an XmR chart with Making Data Count rules."""

    name = models.CharField(max_length=200, unique=True)
    unit = models.CharField(max_length=60, help_text="For example: falls per 1000 bed days, %, people.")
    improvement_direction = models.CharField(max_length=10, choices=ImprovementDirection.choices)
    target = models.FloatField(null=True, blank=True, help_text="Optional. Leave empty when there is no target.")
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY)
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="measures")
    ambition = models.ForeignKey(Ambition, on_delete=models.SET_NULL, null=True, blank=True, related_name="measures")
    collaborative = models.ForeignKey(Collaborative, on_delete=models.SET_NULL, null=True, blank=True, related_name="measures")
    description = models.TextField(blank=True)
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
        ]

    def with_points(self):
        """This measure with its points and rebases fetched (as the queryset's with_points() fetches them)."""
        models.prefetch_related_objects([self], *_points_and_rebases())
        return self

    def __str__(self):
        return self.name

    @property
    def is_derived(self):
        return self.source == MeasureSource.DERIVED

    @property
    def uses_spc(self):
        return self.series_kind == SeriesKind.PER_PERIOD


class MeasurePoint(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="points")
    date = models.DateField()
    value = models.FloatField()
    history = HistoricalRecords(related_name="changes")

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


