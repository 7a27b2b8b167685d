"""The annual board report's own words: the cover sheet and free-text sections QiSG writes before the board.
Everything else in the report (status, narratives, figures, charts, evidence) is read from the apps.

Also the strategy's rhythm: its meetings (by default QiSG quarterly, QASG, QAC and the Trust Board yearly: Committee),
at which papers are presented, and the reminders sent before them (what was sent, once, and who wants which digest)."""

from django.conf import settings
from django.db import models
from django.utils.functional import cached_property
from simple_history.models import HistoricalRecords

from goals.models import Goal, ProgressUpdate, Status, Strategy
from improvement.core.history import LastChangeMixin


class Appetite(models.TextChoices):
    AVERSE = "averse", "Averse"
    MINIMAL = "minimal", "Minimal"
    CAUTIOUS = "cautious", "Cautious"
    OPEN = "open", "Open"
    SEEK = "seek", "Seek"


class Impact(models.TextChoices):
    TOWARDS = "towards", "Moving towards"
    AWAY = "away", "Moving away"
    NONE = "none", "No impact"


class PaperState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SHARED = "shared", "Shared with the board"
    PRESENTED = "presented", "Presented"


class MeetingKind(models.TextChoices):
    """The four parts a meeting plays in the strategy's oversight; what the trust calls each, and how often it meets,
    are data (Committee), with the defaults below when the strategy file says nothing. The steering group's meetings
    have an agenda pack and reminders; the board's is where the year's paper is presented."""

    QISG = "qisg", "Improvement steering group"
    QASG = "qasg", "Assurance group"
    QAC = "qac", "Assurance committee"
    TRUST_BOARD = "trust_board", "Board"


class CommitteeQuerySet(models.QuerySet):
    def by_kind(self):
        """{kind: Committee} for every kind of meeting: the trust's rows, the defaults for the kinds it has not named
        (unsaved). One query."""
        named = {c.kind: c for c in self}
        return {kind: named.get(kind) or Committee(kind=kind, **DEFAULT_COMMITTEES[kind]) for kind in MeetingKind.values}

    def of(self, kind):
        return self.by_kind()[kind]


class Committee(models.Model):
    """What the trust calls one kind of meeting and how often it meets (the strategy file's `meeting_kinds:`)."""

    kind = models.CharField(max_length=15, choices=MeetingKind.choices, unique=True)
    name = models.CharField(max_length=100, help_text="In full, for example Quality Improvement Steering Group (QiSG).")
    short_name = models.CharField(max_length=40, help_text="As pages say it, for example QiSG.")
    every_months = models.PositiveSmallIntegerField("meets every (months)", help_text="3: quarterly; 12: yearly.")

    objects = CommitteeQuerySet.as_manager()

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=MeetingKind.values), name="committee_kind_valid"),
            models.CheckConstraint(condition=models.Q(every_months__gte=1, every_months__lte=12),
                                   name="committee_meets_at_least_yearly"),
        ]

    def __str__(self):
        return self.name

    @property
    def how_often(self):
        return {1: "monthly", 3: "quarterly", 6: "twice a year", 12: "yearly"}.get(self.every_months,
                                                                                 f"every {self.every_months} months")


# What a trust's file does not name: the demo's four (Leeds Teaching Hospitals' oversight of its strategy).
DEFAULT_COMMITTEES = {
    MeetingKind.QISG: {"name": "Quality Improvement Steering Group (QiSG)", "short_name": "QiSG", "every_months": 3},
    MeetingKind.QASG: {"name": "Quality Assurance Steering Group (QASG)", "short_name": "QASG", "every_months": 12},
    MeetingKind.QAC: {"name": "Quality Assurance Committee (QAC)", "short_name": "QAC", "every_months": 12},
    MeetingKind.TRUST_BOARD: {"name": "Trust Board", "short_name": "Trust Board", "every_months": 12},
}


class MeetingQuerySet(models.QuerySet):
    def qisg(self):
        return self.filter(kind=MeetingKind.QISG)

    def upcoming(self, today):
        """On or after `today`, soonest first."""
        return self.filter(date__gte=today).order_by("date", "kind")


class Meeting(models.Model):
    """A meeting of the strategy's oversight: by default QiSG quarterly (its dates set by QiSG), QASG, QAC and the
    Trust Board yearly (Committee). It belongs to a strategy year: the board that reads year 3's paper meets in year 4's
    November, for year 3."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField("meeting", max_length=15, choices=MeetingKind.choices)
    date = models.DateField()
    year = models.PositiveSmallIntegerField("strategy year")
    notes = models.CharField("notes (optional)", max_length=300, blank=True, help_text="For example, where it meets.")
    history = HistoricalRecords(related_name="changes")

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["date", "kind"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=MeetingKind.values), name="meeting_kind_valid"),
            models.CheckConstraint(condition=models.Q(year__gte=1), name="meeting_year_from_one"),
            models.UniqueConstraint(fields=["strategy", "kind", "date"], name="one_meeting_of_a_kind_a_day"),
        ]

    def __str__(self):
        return f"{self.committee.short_name}, {self.date:%d %B %Y}"

    @cached_property
    def committee(self):
        """What the trust calls this kind of meeting (one query; a list sets it for all its meetings at once)."""
        return Committee.objects.of(self.kind)

    @property
    def name(self):
        return self.committee.name

    @property
    def short_name(self):
        return self.committee.short_name

    @property
    def is_qisg(self):
        return self.kind == MeetingKind.QISG

    def previous(self):
        """The meeting of the same kind before this one (None for the first)."""
        return (Meeting.objects.filter(strategy_id=self.strategy_id, kind=self.kind, date__lt=self.date)
                .order_by("-date").first())


class BoardReportQuerySet(models.QuerySet):
    def readable_by(self, user):
        """Drafts are QiSG's own until they share them; board members read shared and presented papers."""
        if user.has_perm("board.change_boardreport"):
            return self
        return self.exclude(state=PaperState.DRAFT)

    def presented(self):
        return self.filter(state=PaperState.PRESENTED)

    def earlier_than(self, strategy):
        """The papers of the strategies that started before `strategy` (the ones it followed)."""
        return self.filter(strategy__start_date__lt=strategy.start_date)


class BoardReport(LastChangeMixin, models.Model):
    """The board paper of one strategy year: a draft prefilled from the data (improvement.board.papers), shared
    with the board, and frozen when presented (FrozenPaper): what the board read never changes."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="board_reports")
    year = models.PositiveSmallIntegerField("strategy year")
    title = models.CharField(max_length=200)
    meeting_date = models.DateField("board meeting date")
    paper_date = models.DateField("date of the paper", null=True, blank=True)
    author = models.CharField(max_length=200)
    purpose = models.CharField(max_length=60, default="For assurance")
    summary = models.TextField(blank=True)
    key_points = models.TextField(blank=True, help_text="One key point per line.")
    background = models.TextField(blank=True)
    financial_implications = models.TextField(blank=True)
    risk = models.TextField(blank=True)
    communication_and_involvement = models.TextField(blank=True)
    equality_analysis = models.TextField(blank=True)
    freedom_of_information = models.TextField("publication under the Freedom of Information Act", blank=True)
    recommendation = models.TextField(blank=True)
    supporting_information = models.TextField(blank=True)
    state = models.CharField(max_length=10, choices=PaperState.choices, default=PaperState.DRAFT, editable=False)
    shared_on = models.DateField(null=True, blank=True, editable=False)
    presented_to = models.CharField("presented to (meeting)", max_length=200, blank=True, editable=False)
    presented_on = models.DateField(null=True, blank=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, null=True, blank=True, editable=False,
                                related_name="papers", help_text="The meeting it was presented at.")
    version = models.PositiveIntegerField(default=1, editable=False, help_text="Raised by every save: detects concurrent edits.")
    history = HistoricalRecords(related_name="changes")

    objects = BoardReportQuerySet.as_manager()

    class Meta:
        ordering = ["strategy", "year"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "year"], name="one_board_report_per_year"),
            models.CheckConstraint(condition=models.Q(state__in=PaperState.values), name="boardreport_state_valid"),
            models.CheckConstraint(
                condition=~models.Q(state=PaperState.PRESENTED) | models.Q(presented_on__isnull=False),
                name="boardreport_presented_has_a_date",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def key_point_list(self):
        return [line.strip() for line in self.key_points.splitlines() if line.strip()]

    @property
    def is_draft(self):
        return self.state == PaperState.DRAFT

    @property
    def is_presented(self):
        return self.state == PaperState.PRESENTED


class AnnualCommitment(models.Model):
    report = models.ForeignKey(BoardReport, on_delete=models.CASCADE, related_name="commitments")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=200)
    supported = models.BooleanField("this paper supports it", default=False)
    history = HistoricalRecords(related_name="changes")

    class Meta:
        ordering = ["report", "order", "id"]

    def __str__(self):
        return self.text


class RiskAppetite(models.Model):
    report = models.ForeignKey(BoardReport, on_delete=models.CASCADE, related_name="risks")
    order = models.PositiveSmallIntegerField(default=0)
    level_1 = models.CharField("level 1 risk", max_length=100)
    level_2 = models.CharField("level 2 risk", max_length=300)
    appetite = models.CharField(max_length=10, choices=Appetite.choices)
    impact = models.CharField("impact of this work", max_length=10, choices=Impact.choices)
    history = HistoricalRecords(related_name="changes")

    class Meta:
        ordering = ["report", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(appetite__in=Appetite.values), name="riskappetite_appetite_valid"),
            models.CheckConstraint(condition=models.Q(impact__in=Impact.values), name="riskappetite_impact_valid"),
        ]

    def __str__(self):
        return f"{self.level_1}: {self.level_2}"


class StandingCommitment(models.Model):
    """One of the trust's annual commitments as the strategy file gives it: a strategy's first paper starts with these."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="standing_commitments")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=200)

    class Meta:
        ordering = ["strategy", "order", "id"]

    def __str__(self):
        return self.text


class StandingRisk(models.Model):
    """A risk appetite row as the strategy file gives it: a strategy's first paper starts with these."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="standing_risks")
    order = models.PositiveSmallIntegerField(default=0)
    level_1 = models.CharField("level 1 risk", max_length=100)
    level_2 = models.CharField("level 2 risk", max_length=300)
    appetite = models.CharField(max_length=10, choices=Appetite.choices)
    impact = models.CharField("impact of this work", max_length=10, choices=Impact.choices)

    class Meta:
        ordering = ["strategy", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(appetite__in=Appetite.values), name="standingrisk_appetite_valid"),
            models.CheckConstraint(condition=models.Q(impact__in=Impact.values), name="standingrisk_impact_valid"),
        ]

    def __str__(self):
        return f"{self.level_1}: {self.level_2}"


class PaperGoal(models.Model):
    """A goal's section of the paper: its status and narrative, carried from the latest QiSG judgement of the year
    when the paper was started, and the paper's own words from then on."""

    report = models.ForeignKey(BoardReport, on_delete=models.CASCADE, related_name="goal_sections")
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    narrative = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    judgement = models.ForeignKey(ProgressUpdate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                  help_text="The QiSG judgement the section was started from.")
    history = HistoricalRecords(related_name="changes")

    class Meta:
        ordering = ["report", "goal__number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "goal"], name="one_section_per_goal_and_paper"),
            models.CheckConstraint(condition=models.Q(status="") | models.Q(status__in=Status.values), name="papergoal_status_valid"),
        ]

    def __str__(self):
        return f"{self.report}: goal {self.goal.number}"


class FrozenPaper(models.Model):
    """What the board was shown, kept as it was shown: the paper's text, figures, verdicts and charts as HTML, its
    headline figures as data (to tell what has changed since), and its PDF."""

    report = models.OneToOneField(BoardReport, on_delete=models.PROTECT, related_name="frozen")
    frozen_at = models.DateTimeField()
    html = models.TextField()
    figures = models.JSONField()
    pdf = models.BinaryField(null=True, editable=False)
    pdf_sha256 = models.CharField(max_length=64, blank=True)

    def __str__(self):
        return f"{self.report}, as presented"


class Amendment(models.Model):
    """A correction of a presented paper: dated, with who made it and why; shown on the paper, which stays as it was."""

    report = models.ForeignKey(BoardReport, on_delete=models.PROTECT, related_name="amendments")
    made_on = models.DateField()
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField("why", max_length=300)
    correction = models.TextField()
    history = HistoricalRecords(related_name="changes")

    class Meta:
        ordering = ["report", "made_on", "id"]

    def __str__(self):
        return f"Amendment of {self.report} on {self.made_on:%d/%m/%Y}"


class Digest(models.TextChoices):
    BEFORE_QISG = "before_qisg", "Before each QiSG meeting"
    WEEKLY_STALE = "weekly_stale", "Every week: what has gone stale"


class ReminderPreference(models.Model):
    """Which digests a user is sent (both, until they choose)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_preference")
    before_qisg = models.BooleanField("before each QiSG meeting", default=True)
    weekly_stale = models.BooleanField("every week: what has gone stale", default=True)

    def __str__(self):
        return f"Reminders for {self.user}"

    def wants(self, digest):
        return getattr(self, digest)


class SendState(models.TextChoices):
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed, to be retried"


class SentReminder(models.Model):
    """One reminder to one user: claimed under its unique key before it is sent, so that two runs (or two machines)
    never send it twice; a failed send stays here to be retried by the next run."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=15, choices=Digest.choices)
    key = models.CharField(max_length=40, help_text="What it is about: a meeting (meeting-12) or a week (2026-W49).")
    state = models.CharField(max_length=10, choices=SendState.choices, default=SendState.SENDING)
    claimed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=1)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-claimed_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "digest", "key"], name="one_reminder_per_user_digest_and_key"),
            models.CheckConstraint(condition=models.Q(digest__in=Digest.values), name="sentreminder_digest_valid"),
            models.CheckConstraint(condition=models.Q(state__in=SendState.values), name="sentreminder_state_valid"),
        ]

    def __str__(self):
        return f"{self.get_digest_display()} {self.key} to {self.user}: {self.get_state_display()}"
