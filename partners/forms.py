from django import forms
from django.core.exceptions import ValidationError

from goals.models import EvidenceItem, Goal
from goals.programme.forms import collaborative_choices
from improvement.core.forms import CreateOnceMixin, NHSFormMixin, UKDateField, VersionedFormMixin, not_in_future
from training.models import Learner, StaffGroup

from .models import Cohort, Contribution, Partner, PartnerRole, RoleKind

YES_NO = [(True, "Yes"), (False, "No")]


class CohortForm(NHSFormMixin, CreateOnceMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ["name", "recruited_on", "intake_target"]
        field_classes = {"recruited_on": UKDateField}
        labels = {"recruited_on": "Recruited on", "intake_target": "Intake target (optional)"}
        widgets = {"intake_target": forms.NumberInput(attrs={"class": "nhsuk-input--width-4", "inputmode": "numeric"})}
        error_messages = {
            "name": {"required": "Enter the cohort's name", "unique": "A cohort with this name already exists"},
            "recruited_on": {"required": "Enter the date the cohort was recruited", "invalid": "Enter a real date, for example 02/10/2023"},
            "intake_target": {"invalid": "Enter a whole number, for example 12", "min_value": "Enter 0 or more"},
        }


class PartnerForm(NHSFormMixin, CreateOnceMixin, VersionedFormMixin, forms.ModelForm):
    credit_consent = forms.TypedChoiceField(
        label="Consents to be credited by name", choices=YES_NO, coerce=lambda value: value in (True, "True"),
        widget=forms.RadioSelect, help_text=Partner._meta.get_field("credit_consent").help_text,
        error_messages={"required": "Select yes if they consent to be credited by name"},
    )

    class Meta:
        model = Partner
        fields = ["full_name", "display_name", "cohort", "email", "phone", "joined_on", "credit_consent", "consent_recorded_on", "learner"]
        field_classes = {"joined_on": UKDateField, "consent_recorded_on": UKDateField}
        labels = {
            "email": "Email (optional)",
            "phone": "Phone (optional)",
            "consent_recorded_on": "Date consent was recorded",
            "learner": "Training record (optional)",
        }
        widgets = {
            "full_name": forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
            "display_name": forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
            "phone": forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel", "class": "nhsuk-input--width-20"}),
        }
        error_messages = {
            "full_name": {"required": "Enter their full name"},
            "display_name": {"required": "Enter the name they would like to be known by"},
            "cohort": {"required": "Select their cohort"},
            "email": {"invalid": "Enter an email address like name@example.org"},
            "joined_on": {"required": "Enter the date they joined", "invalid": "Enter a real date, for example 02/10/2023"},
            "consent_recorded_on": {"invalid": "Enter a real date, for example 02/10/2023"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent_recorded_on"].help_text = "Needed when they consent. For example, 15/03/2023"
        learner = self.fields["learner"]
        linked = Partner.objects.exclude(pk=self.instance.pk).filter(learner__isnull=False).values("learner")
        learner.queryset = Learner.objects.filter(staff_group=StaffGroup.QUALITY_PARTNER).exclude(pk__in=linked)
        learner.empty_label = "Not in the training records"
        if self.instance.pk is None:
            self.initial.setdefault("credit_consent", False)

    def clean_full_name(self):
        return self.cleaned_data["full_name"].strip()

    def clean_display_name(self):
        return self.cleaned_data["display_name"].strip()

    def clean_joined_on(self):
        return not_in_future(self.cleaned_data.get("joined_on"), "The date they joined")

    def clean_consent_recorded_on(self):
        return not_in_future(self.cleaned_data.get("consent_recorded_on"), "The date consent was recorded")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("credit_consent") and not cleaned.get("consent_recorded_on") and "consent_recorded_on" not in self.errors:
            self.add_error("consent_recorded_on", "Enter the date consent was recorded")
        left_on = self.instance.left_on
        if left_on and cleaned.get("joined_on") and cleaned["joined_on"] > left_on:
            self.add_error("joined_on", f"They left on {left_on:%d/%m/%Y}: the date they joined must be before that")
        return cleaned


class LeaveForm(NHSFormMixin, forms.Form):
    left_on = UKDateField(label="Date they left", error_messages={"required": "Enter the date they left", "invalid": "Enter a real date, for example 31/10/2023"})

    def __init__(self, *args, partner, **kwargs):
        super().__init__(*args, **kwargs)
        self.partner = partner

    def clean_left_on(self):
        day = not_in_future(self.cleaned_data["left_on"], "The date they left")
        if day < self.partner.joined_on:
            raise ValidationError(f"They joined on {self.partner.joined_on:%d/%m/%Y}: the date they left must be on or after that")
        return day


class PartnerRoleForm(NHSFormMixin, CreateOnceMixin, forms.ModelForm):
    prefix = "role"

    class Meta:
        model = PartnerRole
        fields = ["kind", "collaborative", "committee", "started_on", "ended_on"]
        field_classes = {"started_on": UKDateField, "ended_on": UKDateField}
        labels = {"collaborative": "QI collaborative (for a collaborative member)", "committee": "Committee (for a committee member)",
                  "started_on": "From", "ended_on": "To (optional)"}
        error_messages = {
            "kind": {"required": "Select the role"},
            "started_on": {"required": "Enter the date the role started", "invalid": "Enter a real date, for example 11/01/2023"},
            "ended_on": {"invalid": "Enter a real date, for example 31/10/2023"},
        }

    def __init__(self, *args, partner, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.partner = partner
        collaborative_choices(self.fields["collaborative"]).empty_label = "Not a collaborative role"

    def clean_started_on(self):
        return not_in_future(self.cleaned_data.get("started_on"), "The date the role started")

    def clean_ended_on(self):
        return not_in_future(self.cleaned_data.get("ended_on"), "The date the role ended")

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == RoleKind.COLLABORATIVE_MEMBER and not cleaned.get("collaborative") and "collaborative" not in self.errors:
            self.add_error("collaborative", "Select the QI collaborative")
        elif kind and kind != RoleKind.COLLABORATIVE_MEMBER:
            cleaned["collaborative"] = None
        cleaned["committee"] = cleaned.get("committee", "").strip()
        if kind == RoleKind.COMMITTEE_MEMBER and not cleaned["committee"] and "committee" not in self.errors:
            self.add_error("committee", "Enter the committee's name")  # not when the name typed was refused
        elif kind and kind != RoleKind.COMMITTEE_MEMBER:
            cleaned["committee"] = ""
        start, end = cleaned.get("started_on"), cleaned.get("ended_on")
        if start and end and end < start:
            self.add_error("ended_on", "The role must end on or after the day it starts")
        collaborative = cleaned.get("collaborative")
        if collaborative and start and "collaborative" not in self.errors:
            reason = collaborative.not_active_reason(start)
            if reason:
                self.add_error("collaborative", f"{reason}: a role on it must start while it is active")
            elif collaborative.stepped_down_on and end and end > collaborative.stepped_down_on:
                self.add_error("ended_on", f"{collaborative.name} stepped down on {collaborative.stepped_down_on:%d/%m/%Y}: "
                                           "the role must end by then")
        return cleaned


class ContributionForm(NHSFormMixin, CreateOnceMixin, forms.ModelForm):
    prefix = "contribution"

    class Meta:
        model = Contribution
        fields = ["kind", "title", "date", "goal", "evidence"]
        field_classes = {"date": UKDateField}
        labels = {"evidence": "Evidence item (optional)"}
        error_messages = {
            "kind": {"required": "Select the kind of contribution"},
            "title": {"required": "Enter a title, for example “Can my cannula come out?”"},
            "date": {"required": "Enter the date", "invalid": "Enter a real date, for example 22/11/2022"},
            "goal": {"required": "Select the goal it contributes to"},
        }

    def __init__(self, *args, partner, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.partner = partner
        self.fields["goal"].queryset = Goal.objects.select_related("strategy")
        self.fields["goal"].label_from_instance = lambda goal: f"Goal {goal.number}: {goal.title}"
        self.fields["evidence"].queryset = EvidenceItem.objects.select_related("goal").order_by("goal__number", "-date")
        self.fields["evidence"].label_from_instance = lambda item: f"Goal {item.goal.number}: {item.title[:90]}"
        self.fields["evidence"].empty_label = "None"

    def clean_date(self):
        return not_in_future(self.cleaned_data.get("date"), "The date")

    def clean(self):
        cleaned = super().clean()
        goal, evidence = cleaned.get("goal"), cleaned.get("evidence")
        if goal and evidence and evidence.goal_id != goal.pk:
            self.add_error("evidence", "Choose evidence of the selected goal, or none")
        return cleaned


STATUS_CHOICES = [("", "Any status"), ("active", "Active"), ("left", "Left")]


class PartnerFilterForm(NHSFormMixin, forms.Form):
    """The list's filter: a GET form, so the URL holds the filter (bookmarks and the back button work)."""

    q = forms.CharField(label="Search by name", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}))
    cohort = forms.ModelChoiceField(queryset=Cohort.objects.all(), required=False, empty_label="All cohorts")
    status = forms.ChoiceField(choices=STATUS_CHOICES, required=False)
    role = forms.ChoiceField(choices=[("", "Any role"), *RoleKind.choices], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # the cohorts read once, as a list: drawn from its queryset, the field counts them, then reads them again
        # through a server-side cursor (bench/run: the partner list is never cached, personal data)
        self.fields["cohort"].choices = [("", "All cohorts"), *Cohort.objects.values_list("pk", "name")]

    @property
    def has_cohorts(self):
        return len(self.fields["cohort"].choices) > 1

    def filter(self, partners):
        if not self.is_valid():
            return partners
        data = self.cleaned_data
        if data["q"]:
            partners = partners.search(data["q"])
        if data["cohort"]:
            partners = partners.filter(cohort=data["cohort"])
        if data["status"] == "active":
            partners = partners.active()
        elif data["status"] == "left":
            partners = partners.left()
        if data["role"]:
            partners = partners.with_role(data["role"])
        return partners


class EraseForm(NHSFormMixin, forms.Form):
    confirm = forms.BooleanField(
        label="I understand their name and contact details will be removed for good, history included",
        error_messages={"required": "Confirm that you understand the erasure cannot be undone"},
    )
