"""The improvement programme: QI collaboratives, events and Lean events (goals 1, 4, 6 and 7 of the demo)."""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, Q
from simple_history.models import HistoricalRecords

from goals.strategy.models import EvidenceItem, EvidenceKind, Goal
from improvement.core.periods import in_period, spans


class IntelligenceSource(models.TextChoices):
    PSIRF_THEME = "psirf_theme", "PSIRF incident theme"
    HARM_DATA = "harm_data", "Harm data"
    NATIONAL_AGENDA = "national_agenda", "National agenda"
    PATIENT_EXPERIENCE = "patient_experience", "Patient experience"


class CollaborativeQuerySet(models.QuerySet):
    @staticmethod
    def active_q(day, prefix=""):
        """Active on `day`: started on or before it, and not stepped down by then."""
        return spans(day, f"{prefix}started_on", f"{prefix}stepped_down_on")

    @staticmethod
    def stepped_down_q(day, prefix=""):
        """Stepped down on or before `day`."""
        return Q(**{f"{prefix}stepped_down_on__lte": day})

    def active(self, on=None):
        return self.filter(self.active_q(on or datetime.date.today()))

    def stepped_down(self, on=None):
        return self.filter(self.stepped_down_q(on or datetime.date.today()))

    def started_in(self, period):
        return self.filter(in_period(period, "started_on"))


class Collaborative(models.Model):
    """A QI collaborative chosen by QiSG from organisational intelligence; stepped down when it has done its work."""

    name = models.CharField(max_length=120, unique=True)
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="collaboratives")
    aim = models.TextField()
    lead = models.CharField(max_length=200, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                              help_text="The QiSG member reminded when it goes stale.")
    prompted_by = models.CharField("intelligence that prompted it", max_length=30, choices=IntelligenceSource.choices)
    rationale = models.TextField(blank=True)
    started_on = models.DateField()
    stepped_down_on = models.DateField(null=True, blank=True)
    step_down_reason = models.CharField(max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False, help_text="Raised by every save: detects concurrent edits.")
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

    def is_active(self, on=None):
        day = on or datetime.date.today()
        return self.started_on <= day and (self.stepped_down_on is None or self.stepped_down_on > day)

    def not_active_reason(self, on=None):
        """Why nothing new can join it on `on` (today), in words; None while it is active."""
        day = on or datetime.date.today()
        if day < self.started_on:
            return f"{self.name} started on {self.started_on:%d/%m/%Y}"
        if self.stepped_down_on is not None and self.stepped_down_on <= day:
            return f"{self.name} stepped down on {self.stepped_down_on:%d/%m/%Y}"
        return None

    @property
    def choice_label(self):
        """How it is offered in a form: its state said when it has stepped down."""
        if self.stepped_down_on:
            return f"{self.name} (stepped down {self.stepped_down_on:%d/%m/%Y})"
        return self.name


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
    def in_period(self, period):
        """Both days included: an event on the first or last day of a strategy year counts in that year, once."""
        return self.filter(in_period(period))


@dataclass(frozen=True)
class EventCounts:
    by_kind: dict = field(default_factory=dict)  # kind label -> count
    attendance: int = 0
    prizes_won: int = 0
    prizes_shortlisted: int = 0
    international_talks: int = 0
    total: int = 0
    planned: int = 0  # dated after the day counted to: in none of the figures above


class EventQuerySet(DatedQuerySet):
    """An event dated after today is planned (a surgery of a fortnightly series, say): it has no attendance and
    counts nowhere until its day comes."""

    @staticmethod
    def happened_q(day=None):
        return Q(date__lte=day or datetime.date.today())

    def happened(self, on=None):
        return self.filter(self.happened_q(on))

    def planned(self, on=None):
        return self.exclude(self.happened_q(on))

    def counts(self, on=None):
        """What the events of this queryset that have happened by `on` (today) add up to, and how many more are
        planned, in one query."""
        return self.counts_by_period([None], on)[0]

    def counts_by_period(self, periods, on=None):
        """EventCounts of these events in each of `periods` (None: all of them), as `counts`, in one query of a few
        columns, counted here: a trust has hundreds of events, and an aggregate per kind, outcome and period costs
        more to build than the rows it saves."""
        rows = list(self.annotate(happened=ExpressionWrapper(self.happened_q(on), output_field=BooleanField()))
                    .values_list("date", "kind", "award_outcome", "reach", "attendance", "happened"))
        return [_event_counts([row for row in rows if period is None or period.contains(row[0])]) for period in periods]


def _event_counts(rows):
    """EventCounts of (date, kind, award_outcome, reach, attendance, happened) rows."""
    happened = [row for row in rows if row[5]]
    kinds = Counter(row[1] for row in happened)
    return EventCounts(
        by_kind={label: kinds[kind] for kind, label in EventKind.choices if kinds[kind]},
        attendance=sum(row[4] or 0 for row in happened),
        prizes_won=sum(1 for row in happened if row[1] == EventKind.AWARD and row[2] == AwardOutcome.WON),
        prizes_shortlisted=sum(1 for row in happened if row[1] == EventKind.AWARD and row[2] == AwardOutcome.SHORTLISTED),
        international_talks=sum(1 for row in happened if row[1] == EventKind.CONFERENCE_TALK and row[3] == Reach.INTERNATIONAL),
        total=len(happened),
        planned=len(rows) - len(happened),
    )


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
    version = models.PositiveIntegerField(default=1, editable=False, help_text="Raised by every save: detects concurrent edits.")
    history = HistoricalRecords(related_name="changes")

    objects = EventQuerySet.as_manager()

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

    @property
    def is_planned(self):
        return self.date > datetime.date.today()


class LeanKind(models.TextChoices):
    RPIW = "rpiw", "Rapid process improvement workshop"
    FIVE_S = "5s", "5S"
    VALUE_STREAM_MAPPING = "vsm", "Value stream mapping"
    KAIZEN = "kaizen", "Kaizen event"


@dataclass(frozen=True)
class WasteTotals:
    """What Lean events released, as their latest re-measure says (the first claim where none was made yet), beside
    what they first claimed."""

    events: int
    hours: Decimal
    money: Decimal
    steps: int
    days: Decimal
    claimed_hours: Decimal = Decimal(0)
    claimed_money: Decimal = Decimal(0)
    claimed_steps: int = 0
    remeasured: int = 0  # events re-measured at least once
    not_sustained: int = 0  # events whose latest re-measure found the change not sustained


class Checkpoint(models.IntegerChoices):
    """When a Lean event is re-measured: days after the event."""

    DAYS_30 = 30, "30 days"
    DAYS_60 = 60, "60 days"
    DAYS_90 = 90, "90 days"
    ONE_YEAR = 365, "One year"


class LeanEventQuerySet(DatedQuerySet):
    def totals(self, as_at=None):
        """What these Lean events released, in one query: each event's latest re-measure made by `as_at` (None: any)."""
        return self._totals([(None, as_at)])[0]

    def totals_by_period(self, periods):
        """WasteTotals of these Lean events in each of `periods` (None: all of them), in one query. Each event counts
        what its latest re-measure made by the period's end (today while it runs) found (what it first claimed before
        any)."""
        return self._totals([(period, period.as_at()) if period else (None, None) for period in periods])

    def _totals(self, specs):
        """[WasteTotals] for each (period or None: all of these events, as_at or None: any re-measure) of `specs`, from
        one query of these events with their re-measures, counted here: a trust holds tens of Lean events a year, and
        a subquery and ten aggregates per period cost more to build than the rows they save."""
        events = {}
        for pk, *claim, checkpoint, measured_on, hours, money, steps, sustained in self.values_list(
            "pk", "date", "hours_released_per_year", "money_released_per_year", "steps_removed", "days_removed",
            "remeasures__checkpoint", "remeasures__measured_on", "remeasures__hours_released_per_year",
            "remeasures__money_released_per_year", "remeasures__steps_removed", "remeasures__sustained",
        ):
            remeasures = events.setdefault(pk, (claim, []))[1]
            if checkpoint is not None:
                remeasures.append((checkpoint, measured_on, hours, money, steps, sustained))
        return [_waste_totals(events.values(), period, as_at) for period, as_at in specs]


def _waste_totals(events, period, as_at):
    """WasteTotals of ([date, hours, money, steps, days], [re-measures]) events in `period` (None: all), each counting
    its latest re-measure (the latest checkpoint) made by `as_at` (None: any), else what it claimed."""
    totals = dict(events=0, hours=Decimal(0), money=Decimal(0), steps=0, days=Decimal(0), claimed_hours=Decimal(0),
                  claimed_money=Decimal(0), claimed_steps=0, remeasured=0, not_sustained=0)
    for (day, hours, money, steps, days), remeasures in events:
        if period is not None and not period.contains(day):
            continue
        latest = max((r for r in remeasures if as_at is None or r[1] <= as_at), default=None)
        totals["events"] += 1
        totals["days"] += days
        totals["claimed_hours"] += hours
        totals["claimed_money"] += money
        totals["claimed_steps"] += steps
        if latest is None:
            totals["hours"] += hours
            totals["money"] += money
            totals["steps"] += steps
        else:
            totals["hours"] += latest[2]
            totals["money"] += latest[3]
            totals["steps"] += latest[4]
            totals["remeasured"] += 1
            totals["not_sustained"] += not latest[5]
    return WasteTotals(**totals)


class LeanEvent(models.Model):
    """Waste reduction (the demo's goal 7): a Lean event and what it released."""

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
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                              help_text="The QiSG member reminded when a re-measure is due.")
    evidence = models.OneToOneField(EvidenceItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="lean_event")
    version = models.PositiveIntegerField(default=1, editable=False, help_text="Raised by every save: detects concurrent edits.")
    history = HistoricalRecords(related_name="changes")

    objects = LeanEventQuerySet.as_manager()

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

    def checkpoint_date(self, checkpoint):
        return self.date + datetime.timedelta(days=int(checkpoint))


class LeanRemeasure(models.Model):
    """A Lean event measured again (at 30, 60 and 90 days and at one year): what the change still releases, whether it
    is sustained, and who checked. The latest re-measure is what the waste totals count."""

    lean_event = models.ForeignKey(LeanEvent, on_delete=models.CASCADE, related_name="remeasures")
    checkpoint = models.PositiveSmallIntegerField("re-measure at", choices=Checkpoint.choices)
    measured_on = models.DateField()
    hours_released_per_year = models.DecimalField("staff hours still released a year", max_digits=10, decimal_places=1,
                                                  validators=[MinValueValidator(0)])
    money_released_per_year = models.DecimalField("money still released a year (£)", max_digits=12, decimal_places=2,
                                                  validators=[MinValueValidator(0)])
    steps_removed = models.PositiveIntegerField("process steps still removed")
    sustained = models.BooleanField("the change is sustained")
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    notes = models.TextField("what was found (optional)", blank=True)
    history = HistoricalRecords(related_name="changes")

    class Meta:
        ordering = ["lean_event", "checkpoint"]
        constraints = [
            models.UniqueConstraint(fields=["lean_event", "checkpoint"], name="one_remeasure_per_checkpoint"),
            models.CheckConstraint(condition=Q(checkpoint__in=Checkpoint.values), name="leanremeasure_checkpoint_valid"),
            models.CheckConstraint(condition=Q(hours_released_per_year__gte=0) & Q(money_released_per_year__gte=0),
                                   name="leanremeasure_releases_not_negative"),
        ]

    def __str__(self):
        return f"{self.lean_event}: re-measured at {self.get_checkpoint_display()}"
