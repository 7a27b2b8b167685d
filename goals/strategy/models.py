"""The strategy and what QiSG records against it: goals, ambitions, progress updates (judgements) and evidence."""

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from simple_history.models import HistoricalRecords

from improvement.core.history import LastChangeMixin, LastChangeQuerySet
from improvement.core import periods
from improvement.core.periods import Period, in_period, parse_year

from . import attachments


class StrategyQuerySet(models.QuerySet):
    def current(self, today=None):
        """The strategy the trust is running: the newest that has started, so that the next one, loaded ahead, becomes
        current on its start date (the old one stays readable); before any has started, the first (None before one is
        loaded)."""
        started = self.filter(start_date__lte=today or datetime.date.today()).order_by("-start_date").first()
        return started or self.order_by("start_date").first()


class Strategy(models.Model):
    organisation = models.CharField(max_length=200, blank=True, help_text="The trust, as its board papers name it.")
    name = models.CharField(max_length=200)
    improvement_method = models.CharField(
        max_length=60, blank=True, help_text="Optional: the trust's improvement method as its pages name it (its training, its facilitators).",
    )
    start_date = models.DateField(help_text="The day year 1 starts.")
    years = models.PositiveSmallIntegerField(default=5, validators=[MinValueValidator(1), MaxValueValidator(20)])
    notice = models.TextField(
        blank=True, help_text="Optional: shown on the dashboard and every board paper, e.g. that some data are illustrative.",
    )

    objects = StrategyQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "strategies"
        constraints = [models.CheckConstraint(condition=Q(years__gte=1), name="strategy_has_years")]

    def __str__(self):
        return self.name

    @property
    def method(self):
        """The improvement method's name for the pages: its own, or "improvement" ("improvement training")."""
        return self.improvement_method or "improvement"

    def year_bounds(self, year):
        """(first day, last day) of strategy year `year` (1-based): 12 months from the start."""
        return periods.year_bounds(self.start_date, year)

    def year_of(self, day):
        """The strategy year that `day` falls in (0 before the start; may exceed `years` after the end)."""
        return periods.year_of(self.start_date, day)

    def years_so_far(self, today=None):
        """The strategy years that have started, 1 first (year 1 at least, before the start too)."""
        return list(range(1, periods.default_year(self.start_date, self.years, today) + 1))

    def default_year(self, today=None):
        """The year every page opens on (improvement.core.periods.default_year)."""
        return periods.default_year(self.start_date, self.years, today)

    def periods_so_far(self, today=None):
        """A Period for each strategy year that has started (year 1 at least)."""
        return [self.period(year) for year in self.years_so_far(today)]

    def year_choices(self):
        """(value, label) for a year picker: each year so far, then "all" for the strategy to date."""
        return [(str(p.year), p.label) for p in self.periods_so_far()] + [("all", "To date")]

    def period_asked(self, asked, today=None):
        """The period a URL asks for: ?year=N, ?year=all (to date), else the default year."""
        if asked == "all":
            return self.period(None, today)
        return self.period(parse_year(asked, self.years) or self.default_year(today))

    def period(self, year=None, today=None):
        """Strategy year `year`, or with None the whole strategy to date."""
        if year is None:
            return Period(None, self.start_date, today or datetime.date.today())
        return Period(year, *self.year_bounds(year))


class GoalQuerySet(models.QuerySet):
    def fed_by(self, app_label):
        """Goals with a measure derived from `app_label`'s records (training: the goals its figures serve), by number."""
        return self.filter(measures__derived_from__startswith=f"{app_label}.").distinct().order_by("number")

    def with_current_status(self):
        """Goals with their current status (`current_update`) fetched in one more query."""
        return self.prefetch_related(Prefetch(
            "updates", queryset=ProgressUpdate.objects.filter(ambition=None).newest_first()[:1], to_attr="latest_goal_updates",
        ))

    def for_overview(self, latest_evidence=3):
        """Goals with their ambitions, current status and newest evidence, in a constant number of queries."""
        return self.with_current_status().select_related("strategy").prefetch_related(
            "ambitions",
            Prefetch(
                "evidence",
                queryset=EvidenceItem.objects.newest_first()[:latest_evidence],
                to_attr="latest_evidence",
            ),
        )


class Goal(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.PROTECT, related_name="goals")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    intent = models.TextField(help_text="One paragraph: what this goal means for the trust.")
    executive_lead = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords(related_name="changes")

    objects = GoalQuerySet.as_manager()

    class Meta:
        ordering = ["strategy", "number"]
        constraints = [models.UniqueConstraint(fields=["strategy", "number"], name="goal_number_unique_in_strategy")]

    def __str__(self):
        return f"Goal {self.number}: {self.title}"

    @cached_property
    def current_update(self):
        """The goal's current status: its newest goal-level progress update (None if it has none)."""
        if hasattr(self, "latest_goal_updates"):
            return self.latest_goal_updates[0] if self.latest_goal_updates else None
        return self.updates.filter(ambition=None).newest_first().first()

    @cached_property
    def record_counts(self):
        """How many progress updates and evidence items it has, in one query."""
        def count_of(related):
            return Subquery(related.objects.filter(goal=OuterRef("pk")).order_by().values("goal").annotate(n=Count("pk")).values("n"))

        row = Goal.objects.filter(pk=self.pk).values(n_updates=count_of(ProgressUpdate), n_evidence=count_of(EvidenceItem)).get()
        return GoalCounts(updates=row["n_updates"] or 0, evidence=row["n_evidence"] or 0)


@dataclass(frozen=True)
class GoalCounts:
    updates: int
    evidence: int


class Ambition(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="ambitions")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField()
    history = HistoricalRecords(related_name="changes")

    class Meta:
        ordering = ["goal", "order", "id"]

    def __str__(self):
        return self.text


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"
    ACHIEVED = "achieved", "Achieved"


STATUS_TAG_COLOURS = {
    Status.NOT_STARTED: "grey",
    Status.ON_TRACK: "green",
    Status.AT_RISK: "orange",
    Status.OFF_TRACK: "red",
    Status.ACHIEVED: "blue",
}


class EvidenceKind(models.TextChoices):
    TRAINING = "training", "Training"
    EVENT = "event", "Event"
    PRESENTATION = "presentation", "Presentation"
    AWARD = "award", "Award"
    PUBLICATION = "publication", "Publication"
    PARTNERSHIP = "partnership", "Partnership"
    PATIENT_LED_INTERVENTION = "patient_led_intervention", "Patient-led intervention"
    DATA = "data", "Data"
    STORY = "story", "Story"
    OTHER = "other", "Other"


class ProgressUpdateQuerySet(LastChangeQuerySet):
    def newest_first(self):
        return self.order_by("-published_on", "-id")


class ProgressUpdate(LastChangeMixin, models.Model):
    """A QiSG judgement on a goal for a period; the newest is the goal's current status."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="updates")
    ambition = models.ForeignKey(
        Ambition, on_delete=models.SET_NULL, null=True, blank=True, related_name="updates",
        help_text="Leave empty when the update is about the goal as a whole.",
    )
    status = models.CharField(max_length=20, choices=Status.choices)
    period_start = models.DateField("period from")
    period_end = models.DateField("period to")
    narrative = models.TextField()
    next_steps = models.TextField(blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_on = models.DateField(default=datetime.date.today)
    version = models.PositiveIntegerField(default=1, editable=False, help_text="Raised by every save: detects concurrent edits.")
    history = HistoricalRecords(related_name="changes")

    objects = ProgressUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values), name="progressupdate_status_valid"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="progressupdate_period_ordered"),
        ]
        indexes = [models.Index(fields=["goal", "-published_on"])]

    def __str__(self):
        return f"{self.goal} – {self.get_status_display()} ({self.published_on:%d %b %Y})"

    @property
    def status_colour(self):
        return STATUS_TAG_COLOURS[self.status]

    @property
    def status_label(self):
        return self.get_status_display()


class EvidenceQuerySet(LastChangeQuerySet):
    def newest_first(self):
        return self.order_by("-date", "-id")

    def in_period(self, period):
        return self.filter(in_period(period))


class EvidenceItem(LastChangeMixin, models.Model):
    """Something that happened and shows progress towards a goal."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="evidence")
    ambition = models.ForeignKey(Ambition, on_delete=models.SET_NULL, null=True, blank=True, related_name="evidence")
    collaborative = models.ForeignKey(
        "Collaborative", on_delete=models.SET_NULL, null=True, blank=True, related_name="evidence"
    )
    kind = models.CharField(max_length=30, choices=EvidenceKind.choices)
    date = models.DateField()
    title = models.CharField(max_length=200)
    summary = models.TextField()
    highlighted = models.BooleanField("highlight in the board report", default=False)
    attachment = models.FileField(upload_to=attachments.storage_name, blank=True, max_length=200)
    attachment_name = models.CharField("file name", max_length=200, blank=True, editable=False)
    link = models.URLField(
        blank=True, max_length=500, validators=[URLValidator(schemes=["http", "https"])],
        help_text="Optional: a web address (http or https) where more can be read.",
    )
    version = models.PositiveIntegerField(default=1, editable=False, help_text="Raised by every save: detects concurrent edits.")
    history = HistoricalRecords(related_name="changes")

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = "evidence item"
        ordering = ["-date", "-id"]
        constraints = [models.CheckConstraint(condition=Q(kind__in=EvidenceKind.values), name="evidenceitem_kind_valid")]
        indexes = [models.Index(fields=["goal", "-date"])]

    def __str__(self):
        return self.title



