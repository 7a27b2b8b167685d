"""Quality partners: members of the public recruited in cohorts, their roles and contributions (Goal 2).

A partner's name and contact details are personal data: only partner admins see them. Everyone else sees
counts, and a partner's display name only where `credit_name` allows it (consent given, not erased).
partners depends on goals and training; neither depends on partners.
"""

import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from goals.models import Collaborative, EvidenceItem, Goal
from improvement.core.history import LastChangeMixin, LastChangeQuerySet
from improvement.core.periods import spans

ANONYMOUS_CREDIT = "a quality partner"
_PHONE_CHARACTERS = re.compile(r"^\+?[0-9 ]+$")
_UK_PHONE_DIGITS = re.compile(r"^(?:\+44|0)[0-9]{9,10}$")


def validate_uk_phone(value):
    """A UK phone number in any spacing: 0113 243 3144, 07700 900123, +44 113 243 3144."""
    if not _PHONE_CHARACTERS.match(value) or not _UK_PHONE_DIGITS.match(value.replace(" ", "")):
        raise ValidationError("Enter a UK phone number, like 01632 960 123 or +44 1632 960 123", code="invalid")


class Cohort(models.Model):
    """Partners recruited together."""

    name = models.CharField(max_length=120, unique=True)
    recruited_on = models.DateField()
    intake_target = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Optional: how many partners this cohort set out to recruit.")
    version = models.PositiveIntegerField(default=1, editable=False, help_text="Raised by every save: detects concurrent edits.")
    history = HistoricalRecords(related_name="changes")

    class Meta:
        ordering = ["-recruited_on", "name"]

    def __str__(self):
        return self.name


class PartnerQuerySet(LastChangeQuerySet):
    @staticmethod
    def active_q(day, prefix=""):
        """An active partner on `day`: joined on or before it and not left by then."""
        return spans(day, f"{prefix}joined_on", f"{prefix}left_on")

    def active(self, on=None):
        return self.filter(self.active_q(on or datetime.date.today()))

    def left(self, on=None):
        return self.filter(left_on__lte=on or datetime.date.today())

    def not_erased(self):
        return self.filter(erased_on__isnull=True)

    def search(self, text):
        text = text.strip()
        if not text:
            return self
        return self.filter(Q(full_name__icontains=text) | Q(display_name__icontains=text))

    def with_role(self, kind):
        return self.filter(Exists(PartnerRole.objects.filter(partner=OuterRef("pk"), kind=kind)))

    def trained(self):
        """Partners whose training record holds a QI course completion."""
        from training.models import Completion, QI_KINDS

        return self.filter(Exists(Completion.objects.filter(learner=OuterRef("learner"), course__kind__in=QI_KINDS)))


class Partner(LastChangeMixin, models.Model):
    full_name = models.CharField(max_length=200)
    display_name = models.CharField(
        "preferred display name", max_length=100,
        help_text="The name they would like to be known by, for example their first name.",
    )
    email = models.EmailField(max_length=254, blank=True)
    phone = models.CharField(max_length=30, blank=True, validators=[validate_uk_phone])
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="partners")
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)
    credit_consent = models.BooleanField(
        "consents to be credited by name", default=False,
        help_text="Yes: their display name may appear on evidence they took part in. No: they are “a quality partner”.",
    )
    consent_recorded_on = models.DateField("date consent was recorded", null=True, blank=True)
    learner = models.OneToOneField(
        "training.Learner", on_delete=models.SET_NULL, null=True, blank=True, related_name="partner",
        help_text="Their record in the training records (staff group “Quality partner”), if they train.",
    )
    erased_on = models.DateField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False, help_text="Raised by every save: detects concurrent edits.")
    history = HistoricalRecords(related_name="changes")

    objects = PartnerQuerySet.as_manager()

    class Meta:
        ordering = ["full_name", "id"]
        permissions = [
            ("export_partner", "Can download everything held about a partner"),
            ("erase_partner", "Can erase a partner's personal data"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")), name="partner_leaves_after_joining"),
            models.CheckConstraint(
                condition=Q(credit_consent=False) | Q(consent_recorded_on__isnull=False), name="partner_consent_has_a_date",
            ),
        ]
        indexes = [models.Index(fields=["cohort", "left_on"])]

    def __str__(self):
        return "Erased partner" if self.erased_on else self.full_name

    @property
    def is_active(self):
        today = datetime.date.today()
        return self.joined_on <= today and (self.left_on is None or self.left_on > today)

    @property
    def credit_name(self):
        """What anyone but a partner admin may see: the display name only with consent, never once erased."""
        if self.credit_consent and not self.erased_on and self.display_name:
            return self.display_name
        return ANONYMOUS_CREDIT


class RoleKind(models.TextChoices):
    QISG_CORE_MEMBER = "qisg_core_member", "QiSG core member"
    COLLABORATIVE_MEMBER = "collaborative_member", "QI collaborative member"
    COMMITTEE_MEMBER = "committee_member", "Quality committee member"
    IMPROVEMENT_EVENT = "improvement_event", "Improvement event participant"
    TRAINING_CODESIGN = "training_codesign", "Training co-designer"


class PartnerRoleQuerySet(models.QuerySet):
    @staticmethod
    def current_q(day, prefix=""):
        """A role held on `day`: begun on or before it and not ended by then."""
        return spans(day, f"{prefix}started_on", f"{prefix}ended_on")

    def current(self, on=None):
        return self.filter(self.current_q(on or datetime.date.today()))


class PartnerRole(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField("role", max_length=30, choices=RoleKind.choices)
    collaborative = models.ForeignKey(
        Collaborative, on_delete=models.PROTECT, null=True, blank=True, related_name="partner_roles",
        help_text="For a QI collaborative member: which collaborative.",
    )
    committee = models.CharField(max_length=200, blank=True, help_text="For a committee member: the committee's name.")
    started_on = models.DateField("from")
    ended_on = models.DateField("to", null=True, blank=True, help_text="Leave empty while the role continues.")
    history = HistoricalRecords(related_name="changes")

    objects = PartnerRoleQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=RoleKind.values), name="partnerrole_kind_valid"),
            models.CheckConstraint(
                condition=Q(kind=RoleKind.COLLABORATIVE_MEMBER, collaborative__isnull=False)
                | (~Q(kind=RoleKind.COLLABORATIVE_MEMBER) & Q(collaborative__isnull=True)),
                name="partnerrole_collaborative_iff_member",
            ),
            models.CheckConstraint(
                condition=(Q(kind=RoleKind.COMMITTEE_MEMBER) & ~Q(committee="")) | (~Q(kind=RoleKind.COMMITTEE_MEMBER) & Q(committee="")),
                name="partnerrole_committee_iff_member",
            ),
            models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")), name="partnerrole_ends_after_start"),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self):
        if self.kind == RoleKind.COLLABORATIVE_MEMBER and self.collaborative_id:
            return f"{self.collaborative} collaborative member"
        if self.kind == RoleKind.COMMITTEE_MEMBER:
            return f"{self.committee} member"
        return self.get_kind_display()


class ContributionKind(models.TextChoices):
    PATIENT_LED_INTERVENTION = "patient_led_intervention", "Patient-led intervention"
    TALK = "talk", "Talk"
    OTHER = "other", "Other"


class Contribution(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contributions")
    kind = models.CharField(max_length=30, choices=ContributionKind.choices)
    title = models.CharField(max_length=200)
    date = models.DateField()
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="partner_contributions")
    evidence = models.ForeignKey(
        EvidenceItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="partner_contributions",
        help_text="Optional: the evidence item this contribution is part of.",
    )
    history = HistoricalRecords(related_name="changes")

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [models.CheckConstraint(condition=Q(kind__in=ContributionKind.values), name="contribution_kind_valid")]

    def __str__(self):
        return self.title


class AccessAction(models.TextChoices):
    VIEWED = "viewed", "Viewed"
    EXPORTED = "exported", "Exported"
    ERASED = "erased", "Erased"


class PartnerAccessLog(models.Model):
    """Who looked at, downloaded or erased a partner's record, and when. Holds no personal data of the partner."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="access_log")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=10, choices=AccessAction.choices)
    detail = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(action__in=AccessAction.values), name="partneraccesslog_action_valid")]
        indexes = [models.Index(fields=["partner", "-at"])]

    def __str__(self):
        return f"{self.get_action_display()} partner {self.partner_id} at {self.at:%d/%m/%Y %H:%M}"

    @classmethod
    def record(cls, request, partner, action, detail=""):
        return cls.objects.create(partner=partner, user=request.user, action=action, detail=detail)
