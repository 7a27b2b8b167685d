import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models import Prefetch, Q
from simple_history.models import HistoricalRecords

from . import attachments
from .periods import Period, parse_year


class StrategyQuerySet(models.QuerySet):
    def current(self):
        """The strategy the trust is running: the newest (None before one is loaded)."""
        return self.order_by("-start_date").first()


class Strategy(models.Model):
    name = models.CharField(max_length=200)
    start_date = models.DateField(help_text="The day year 1 starts.")
    years = models.PositiveSmallIntegerField(default=5, validators=[MinValueValidator(1), MaxValueValidator(20)])

    objects = StrategyQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "strategies"
        constraints = [models.CheckConstraint(condition=Q(years__gte=1), name="strategy_has_years")]

    def __str__(self):
        return self.name

    def year_bounds(self, year):
        """(first day, last day) of strategy year `year` (1-based): 12 months from the start."""
        start = _add_years(self.start_date, year - 1)
        return start, _add_years(self.start_date, year) - datetime.timedelta(days=1)

    def year_of(self, day):
        """The strategy year that `day` falls in (0 before the start; may exceed `years` after the end)."""
        if day < self.start_date:
            return 0
        year = day.year - self.start_date.year + 1
        if day < _add_years(self.start_date, year - 1):
            year -= 1
        return year

    def year_label(self, year):
        first, last = self.year_bounds(year)
        return f"Year {year} ({first:%b %Y} to {last:%b %Y})"

    def years_so_far(self, today=None):
        """The strategy years that have started, 1 first."""
        today = today or datetime.date.today()
        return list(range(1, min(max(self.year_of(today), 0), self.years) + 1))

    def current_year(self, today=None):
        started = self.years_so_far(today)
        return started[-1] if started else 1

    def latest_full_year(self, today=None):
        """The last strategy year that has ended (the board's annual update covers it); year 1 before any has."""
        today = today or datetime.date.today()
        ended = [y for y in self.years_so_far(today) if self.year_bounds(y)[1] < today]
        return ended[-1] if ended else 1

    def periods_so_far(self, today=None):
        """A Period for each strategy year that has started (year 1 at least)."""
        return [self.period(year) for year in (self.years_so_far(today) or [1])]

    def year_choices(self):
        """(value, label) for a year picker: each year so far, then "all" for the strategy to date."""
        return [(str(p.year), p.label) for p in self.periods_so_far()] + [("all", "To date")]

    def period_asked(self, asked, default_year):
        """The period a URL asks for: ?year=N, ?year=all (to date), else `default_year`."""
        if asked == "all":
            return self.period(None)
        return self.period(parse_year(asked, self.years) or default_year)

    def period(self, year=None, today=None):
        """Strategy year `year`, or with None the whole strategy to date."""
        if year is None:
            today = today or datetime.date.today()
            return Period(None, self.start_date, today, "To date")
        first, last = self.year_bounds(year)
        return Period(year, first, last, self.year_label(year))


def _add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class GoalQuerySet(models.QuerySet):
    def for_overview(self, latest_evidence=3):
        """Goals with their ambitions, current status and newest evidence, in a constant number of queries."""
        return self.select_related("strategy").prefetch_related(
            "ambitions",
            Prefetch(
                "updates",
                queryset=ProgressUpdate.objects.filter(ambition=None).newest_first()[:1],
                to_attr="latest_goal_updates",
            ),
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

    @property
    def current_update(self):
        """The goal's current status: its newest goal-level progress update (None if it has none)."""
        if hasattr(self, "latest_goal_updates"):
            return self.latest_goal_updates[0] if self.latest_goal_updates else None
        return self.updates.filter(ambition=None).newest_first().first()


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


class LastChangeQuerySet(models.QuerySet):
    def with_last_change(self):
        """Prefetch each row's newest history record (and its user) in one query, for "last changed by"."""
        history_model = self.model.history.model
        return self.prefetch_related(
            Prefetch(
                "changes",
                queryset=history_model.objects.select_related("history_user").order_by("-history_date", "-history_id")[:1],
                to_attr="latest_history",
            )
        )


class LastChangeMixin:
    @property
    def last_change(self):
        """The newest history record: who changed this and when (None before the first save)."""
        if hasattr(self, "latest_history"):
            return self.latest_history[0] if self.latest_history else None
        return self.history.select_related("history_user").first()


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


class EvidenceQuerySet(LastChangeQuerySet):
    def newest_first(self):
        return self.order_by("-date", "-id")


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



class IntelligenceSource(models.TextChoices):
    PSIRF_THEME = "psirf_theme", "PSIRF incident theme"
    HARM_DATA = "harm_data", "Harm data"
    NATIONAL_AGENDA = "national_agenda", "National agenda"
    PATIENT_EXPERIENCE = "patient_experience", "Patient experience"


class CollaborativeQuerySet(models.QuerySet):
    def active_on(self, day):
        return self.filter(started_on__lte=day).filter(Q(stepped_down_on__isnull=True) | Q(stepped_down_on__gt=day))


class Collaborative(models.Model):
    """A QI collaborative chosen by QiSG from organisational intelligence; stepped down when it has done its work."""

    name = models.CharField(max_length=120, unique=True)
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="collaboratives")
    aim = models.TextField()
    lead = models.CharField(max_length=200, blank=True)
    prompted_by = models.CharField("intelligence that prompted it", max_length=30, choices=IntelligenceSource.choices)
    rationale = models.TextField(blank=True)
    started_on = models.DateField()
    stepped_down_on = models.DateField(null=True, blank=True)
    step_down_reason = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords(related_name="changes")

    objects = CollaborativeQuerySet.as_manager()

    class Meta:
        ordering = ["started_on", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(prompted_by__in=IntelligenceSource.values), name="collaborative_prompted_by_valid"),
            models.CheckConstraint(
                condition=Q(stepped_down_on__isnull=True) | Q(stepped_down_on__gte=models.F("started_on")),
                name="collaborative_steps_down_after_start",
            ),
        ]

    def __str__(self):
        return self.name


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
    derived_from = models.CharField(max_length=60, blank=True, help_text="For derived measures: which figure feeds it.")
    history = HistoricalRecords(related_name="changes")

    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["goal__number", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(improvement_direction__in=ImprovementDirection.values), name="measure_direction_valid"),
            models.CheckConstraint(condition=Q(frequency__in=Frequency.values), name="measure_frequency_valid"),
            models.CheckConstraint(condition=Q(source__in=MeasureSource.values), name="measure_source_valid"),
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


class CollaborativeMember(models.Model):
    """A member of staff on a collaborative (quality partners join through the partners app)."""

    collaborative = models.ForeignKey(Collaborative, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200, blank=True, help_text="For example: ward sister, clinical lead.")
    history = HistoricalRecords(related_name="changes")

    class Meta:
        ordering = ["collaborative", "name"]

    def __str__(self):
        return self.name


class EventKind(models.TextChoices):
    COACHING_SURGERY = "coaching_surgery", "Coaching surgery"
    NETWORK_EVENT = "network_event", "Improvement network event"
    CELEBRATION = "celebration", "Celebration event"
    OPEN_DAY = "open_day", "Open day"
    CONFERENCE_TALK = "conference_talk", "Conference presentation"
    AWARD = "award", "Award or prize"


EVENT_EVIDENCE_KIND = {
    EventKind.CONFERENCE_TALK: EvidenceKind.PRESENTATION,
    EventKind.AWARD: EvidenceKind.AWARD,
}


class Reach(models.TextChoices):
    REGIONAL = "regional", "Regional"
    NATIONAL = "national", "National"
    INTERNATIONAL = "international", "International"


class AwardOutcome(models.TextChoices):
    WON = "won", "Won"
    SHORTLISTED = "shortlisted", "Shortlisted"


class DatedQuerySet(models.QuerySet):
    def between(self, first, last):
        """Both days included: an event on the first or last day of a strategy year counts in that year, once."""
        return self.filter(date__gte=first, date__lte=last)


class Event(models.Model):
    """Culture and spread (goals 4 and 6): surgeries, network events, open days, talks and prizes."""

    kind = models.CharField(max_length=20, choices=EventKind.choices)
    title = models.CharField(max_length=200)
    date = models.DateField()
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="events")
    attendance = models.PositiveIntegerField(null=True, blank=True)
    organisations_attending = models.TextField(blank=True, help_text="Open days: one organisation per line.")
    reach = models.CharField(max_length=15, choices=Reach.choices, blank=True, help_text="Conference presentations.")
    award_outcome = models.CharField(max_length=15, choices=AwardOutcome.choices, blank=True, help_text="Awards and prizes.")
    collaborative = models.ForeignKey(Collaborative, on_delete=models.SET_NULL, null=True, blank=True, related_name="events")
    evidence = models.OneToOneField(EvidenceItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="event")
    history = HistoricalRecords(related_name="changes")

    objects = DatedQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="event_kind_valid"),
            models.CheckConstraint(condition=Q(reach="") | Q(reach__in=Reach.values), name="event_reach_valid"),
            models.CheckConstraint(condition=Q(award_outcome="") | Q(award_outcome__in=AwardOutcome.values), name="event_award_outcome_valid"),
        ]
        indexes = [models.Index(fields=["date", "kind"])]

    def __str__(self):
        return self.title

    @property
    def organisations(self):
        return [line.strip() for line in self.organisations_attending.splitlines() if line.strip()]


class LeanKind(models.TextChoices):
    RPIW = "rpiw", "Rapid process improvement workshop"
    FIVE_S = "5s", "5S"
    VALUE_STREAM_MAPPING = "vsm", "Value stream mapping"
    KAIZEN = "kaizen", "Kaizen event"


class LeanEvent(models.Model):
    """Waste reduction (goal 7): a Lean event and what it released."""

    kind = models.CharField(max_length=10, choices=LeanKind.choices)
    title = models.CharField(max_length=200)
    unit = models.CharField("clinical service unit or department", max_length=200)
    date = models.DateField()
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="lean_events")
    hours_released_per_year = models.DecimalField("staff hours released a year", max_digits=10, decimal_places=1, default=0,
                                                  validators=[MinValueValidator(0)])
    money_released_per_year = models.DecimalField("money released a year (£)", max_digits=12, decimal_places=2, default=0,
                                                  validators=[MinValueValidator(0)])
    steps_removed = models.PositiveIntegerField("process steps removed", default=0)
    days_removed = models.DecimalField("days removed from the process", max_digits=7, decimal_places=1, default=0,
                                       validators=[MinValueValidator(0)])
    how_measured = models.TextField("how it was measured")
    evidence = models.OneToOneField(EvidenceItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="lean_event")
    history = HistoricalRecords(related_name="changes")

    objects = DatedQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=LeanKind.values), name="leanevent_kind_valid"),
            models.CheckConstraint(
                condition=Q(hours_released_per_year__gte=0) & Q(money_released_per_year__gte=0) & Q(days_removed__gte=0),
                name="leanevent_releases_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["date"])]

    def __str__(self):
        return self.title
