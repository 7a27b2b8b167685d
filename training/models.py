"""Training records: courses, learners (staff or quality partners), completions and course feedback.

The words of Goal 3's figures live here as QuerySet methods: a *current* learner has not left (on a given
day); a completion is *in* a period when its date falls in it; a course is *QI training* when its kind is
one of `QI_KINDS`. training depends on no other app of ours.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower


class CourseKind(models.TextChoices):
    """What a course counts towards; the trust's own name for each kind is data (CourseKindName)."""

    FOUNDATION = "foundation", "Foundation course"
    EXCELLENCE_IN = "excellence_in", "Excellence In \u2026 programme"
    QI_TEACHING = "qi_teaching", "QI teaching"
    FACILITATOR = "facilitator", "Facilitator training"
    OTHER = "other", "Other"


class CourseKindNameQuerySet(models.QuerySet):
    def names(self):
        """{kind: the trust's name for it}, each kind without a name of its own by its general label."""
        return {**dict(CourseKind.choices), **dict(self.values_list("kind", "name"))}


class CourseKindName(models.Model):
    """The trust's name for a kind of course, as its pages say it (Improvement Essentials, say, for the foundation course)."""

    kind = models.CharField(max_length=20, choices=CourseKind.choices, unique=True)
    name = models.CharField(max_length=100)

    objects = CourseKindNameQuerySet.as_manager()

    class Meta:
        ordering = ["kind"]
        constraints = [models.CheckConstraint(condition=Q(kind__in=CourseKind.values), name="coursekindname_kind_valid")]

    def __str__(self):
        return self.name


# Trained "in QI": any course of these kinds (an "other" course, such as an e-learning module, is not).
QI_KINDS = (CourseKind.FOUNDATION, CourseKind.EXCELLENCE_IN, CourseKind.QI_TEACHING, CourseKind.FACILITATOR)
# The improvement method's own training (Strategy.improvement_method), whose recommend score is the headline figure.
METHOD_KINDS = (CourseKind.FOUNDATION, CourseKind.EXCELLENCE_IN, CourseKind.FACILITATOR)


class StaffGroup(models.TextChoices):
    NURSING = "nursing", "Nursing"
    ADMINISTRATION = "administration", "Administration"
    MEDICAL = "medical", "Medical"
    ALLIED_HEALTH = "allied_health", "Allied Health"
    OTHER = "other", "Other"
    QUALITY_PARTNER = "quality_partner", "Quality partner"


# The "Excellence In …" figure counts colleagues in these groups.
EXCELLENCE_IN_GROUPS = (StaffGroup.NURSING, StaffGroup.ADMINISTRATION)


class Answer(models.TextChoices):
    """The Friends and Family Test scale: "how likely are you to recommend this training?"."""

    VERY_LIKELY = "very_likely", "Very likely"
    LIKELY = "likely", "Likely"
    NEITHER = "neither", "Neither likely nor unlikely"
    UNLIKELY = "unlikely", "Unlikely"
    VERY_UNLIKELY = "very_unlikely", "Very unlikely"
    DONT_KNOW = "dont_know", "Don't know"


POSITIVE_ANSWERS = (Answer.VERY_LIKELY, Answer.LIKELY)


class Course(models.Model):
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=CourseKind.choices)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="course_name_unique_ignoring_case"),
            models.CheckConstraint(condition=Q(kind__in=CourseKind.values), name="course_kind_valid"),
        ]

    def __str__(self):
        return self.name


class UnitQuerySet(models.QuerySet):
    def clinical(self):
        """Clinical service units: what facilitator coverage counts (a corporate department is not one)."""
        return self.filter(is_clinical=True)


class Unit(models.Model):
    """A unit of the `unit` column of an import: a clinical service unit (CSU), or a corporate department (estates,
    finance, HR), which QiSG says when the import that first names it is confirmed."""

    name = models.CharField(max_length=200, unique=True)
    is_clinical = models.BooleanField("clinical service unit", default=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "clinical service unit"

    def __str__(self):
        return self.name


class LearnerQuerySet(models.QuerySet):
    @staticmethod
    def current_q(on, prefix=""):
        """A current learner on `on`: no leaving date, or one after it."""
        return Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": on})

    def current(self, on=None):
        """Learners who had not left on `on` (today by default)."""
        return self.filter(self.current_q(on or datetime.date.today()))

    def leavers(self, on=None):
        on = on or datetime.date.today()
        return self.filter(left_on__lte=on)


class Learner(models.Model):
    """A member of staff (by staff number) or a quality partner who trains alongside staff."""

    staff_number = models.CharField(max_length=30, unique=True)
    name = models.CharField(max_length=200)
    staff_group = models.CharField(max_length=20, choices=StaffGroup.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="learners")
    left_on = models.DateField(null=True, blank=True, help_text="Empty while they work here.")

    objects = LearnerQuerySet.as_manager()

    class Meta:
        ordering = ["staff_number"]
        constraints = [models.CheckConstraint(condition=Q(staff_group__in=StaffGroup.values), name="learner_staff_group_valid")]

    def __str__(self):
        return f"{self.name} ({self.staff_number})"


class CompletionQuerySet(models.QuerySet):
    def completed_in(self, start, end):
        """Completed between `start` and `end`, both included (`start` None: from the beginning)."""
        if start is None:
            return self.filter(completed_on__lte=end)
        return self.filter(completed_on__range=(start, end))

    def in_qi(self):
        return self.filter(course__kind__in=QI_KINDS)


class Completion(models.Model):
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="completions")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="completions")
    completed_on = models.DateField()

    objects = CompletionQuerySet.as_manager()

    class Meta:
        ordering = ["-completed_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["learner", "course", "completed_on"], name="completion_once_per_day"),
        ]
        indexes = [models.Index(fields=["course", "completed_on"]), models.Index(fields=["completed_on"])]

    def __str__(self):
        return f"{self.learner} completed {self.course} on {self.completed_on:%d/%m/%Y}"


class FeedbackQuerySet(models.QuerySet):
    def responded_in(self, start, end):
        if start is None:
            return self.filter(responded_on__lte=end)
        return self.filter(responded_on__range=(start, end))

    def positive(self):
        return self.filter(answer__in=POSITIVE_ANSWERS)


class FeedbackResponse(models.Model):
    """One participant's answer to "how likely are you to recommend this training?" (anonymous)."""

    response_id = models.CharField(max_length=64, unique=True, help_text="The survey tool's id for the response.")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="feedback")
    responded_on = models.DateField()
    answer = models.CharField(max_length=20, choices=Answer.choices)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        ordering = ["-responded_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(answer__in=Answer.values), name="feedback_answer_valid")]
        indexes = [models.Index(fields=["course", "responded_on"])]

    def __str__(self):
        return f"{self.course}: {self.get_answer_display()} ({self.responded_on:%d/%m/%Y})"


class ImportKind(models.TextChoices):
    TRAINING = "training", "Training records"
    FEEDBACK = "feedback", "Course feedback"


class ImportRunQuerySet(models.QuerySet):
    def of_training(self):
        return self.filter(kind=ImportKind.TRAINING)


class ImportRun(models.Model):
    """An export of the learning system imported (training records or feedback): when, and what it added."""

    kind = models.CharField(max_length=20, choices=ImportKind.choices)
    imported_on = models.DateField()
    imported_at = models.DateTimeField(auto_now_add=True)
    rows = models.PositiveIntegerField()
    added = models.PositiveIntegerField(help_text="New completions or feedback answers.")

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        ordering = ["-imported_at"]
        constraints = [models.CheckConstraint(condition=Q(kind__in=ImportKind.values), name="importrun_kind_valid")]
        indexes = [models.Index(fields=["kind", "imported_on"])]

    def __str__(self):
        return f"{self.get_kind_display()} imported on {self.imported_on:%d/%m/%Y}"


class PendingUpload(models.Model):
    """A checked file waiting for its uploader to confirm the import: kept in the database, not on one server's
    disk, so that confirm works on any app server. Deleted when imported or after `PENDING_UPLOAD_HOURS`."""

    kind = models.CharField(max_length=20, choices=ImportKind.choices)
    filename = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(kind__in=ImportKind.values), name="pendingupload_kind_valid")]

    def __str__(self):
        return f"{self.filename} ({self.get_kind_display()}, {self.uploaded_at:%d/%m/%Y %H:%M})"

    def chunks(self):
        """The file's bytes, one stored chunk at a time (memory stays bounded)."""
        for data in self.parts.order_by("index").values_list("data", flat=True).iterator(chunk_size=1):
            yield bytes(data)


class PendingUploadPart(models.Model):
    upload = models.ForeignKey(PendingUpload, on_delete=models.CASCADE, related_name="parts")
    index = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["upload", "index"], name="pendinguploadpart_order_unique")]


class StoredFigures(models.Model):
    """The Training page's figures for one period, as training.stored counted them when the records last changed
    (an import stores them in its own transaction; the write hook after any other change; a daily command for the
    year in progress). Read by the Training page and the board's roll-ups instead of counting 100,000 records."""

    start = models.DateField()
    end = models.DateField()
    as_at = models.DateField()
    years = models.JSONField(help_text="The strategy years counted year by year: [[name, first day, last day], …].")
    figures = models.JSONField()
    counted_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "stored figures"
        constraints = [models.UniqueConstraint(fields=["start", "end", "as_at"], name="storedfigures_once_per_period")]

    def __str__(self):
        return f"Training figures {self.start:%d/%m/%Y} to {self.end:%d/%m/%Y}, as at {self.as_at:%d/%m/%Y}"
