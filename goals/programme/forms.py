import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from improvement.core.forms import AmountField, CreateOnceMixin, NHSFormMixin, OwnerMixin, UKDateField, VersionedFormMixin, not_in_future

from .models import Checkpoint, Collaborative, CollaborativeMember, Event, EventKind, LeanEvent, LeanRemeasure



class CollaborativeForm(OwnerMixin, NHSFormMixin, CreateOnceMixin, VersionedFormMixin, forms.ModelForm):
    owner_permission = "goals.change_collaborative"
    class Meta:
        model = Collaborative
        fields = ["name", "goal", "aim", "lead", "owner", "prompted_by", "rationale", "started_on"]
        field_classes = {"started_on": UKDateField}
        widgets = {"aim": forms.Textarea(attrs={"rows": 3}), "rationale": forms.Textarea(attrs={"rows": 3}),
                   "prompted_by": forms.RadioSelect}
        labels = {"rationale": "Why: the intelligence in brief", "started_on": "Started on", "lead": "Lead (optional)"}
        error_messages = {
            "name": {"required": "Enter the name of the collaborative", "unique": "A collaborative with this name already exists"},
            "aim": {"required": "Enter the aim"},
            "prompted_by": {"required": "Select the intelligence that prompted it"},
            "started_on": {"required": "Enter the date it started", "invalid": "Enter a real date, for example 01/07/2022"},
            "goal": {"required": "Select the goal"},
        }


class StepDownForm(NHSFormMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Collaborative
        fields = ["stepped_down_on", "step_down_reason"]
        field_classes = {"stepped_down_on": UKDateField}
        labels = {"stepped_down_on": "Stepped down on", "step_down_reason": "Why"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stepped_down_on"].required = True
        self.fields["step_down_reason"].required = True
        self.fields["stepped_down_on"].error_messages["required"] = "Enter the date it stepped down"
        self.fields["step_down_reason"].error_messages["required"] = "Enter why, for example “improvements sustained”"

    def clean_stepped_down_on(self):
        day = not_in_future(self.cleaned_data.get("stepped_down_on"), "The date it stepped down")
        if day and day < self.instance.started_on:
            raise ValidationError(f"It started on {self.instance.started_on:%d/%m/%Y}: it cannot step down before that")
        return day


class CollaborativeMemberForm(NHSFormMixin, CreateOnceMixin, forms.ModelForm):
    prefix = "member"

    class Meta:
        model = CollaborativeMember
        fields = ["name", "role"]
        labels = {"role": "Role (optional)"}
        error_messages = {"name": {"required": "Enter the member's name"}}

    def clean(self):
        cleaned = super().clean()
        reason = self.instance.collaborative.not_active_reason()
        if reason:
            raise ValidationError(f"{reason}: members can be added only to an active collaborative")
        return cleaned


def collaborative_choices(field):
    """A collaborative field offers the active ones first, and says which have stepped down."""
    field.queryset = Collaborative.objects.order_by(models.F("stepped_down_on").desc(nulls_first=True), "name")
    field.label_from_instance = lambda c: c.choice_label
    return field


class TimelineMixin(forms.Form):
    on_timeline = forms.BooleanField(label="Show it on the goal's evidence timeline", required=False)


class EventForm(NHSFormMixin, CreateOnceMixin, VersionedFormMixin, TimelineMixin, forms.ModelForm):
    """An event dated after today is planned: it may be recorded, but not what only happens on the day (attendance,
    organisations attending, a prize), and it goes on the evidence timeline once it has happened."""

    repeat_until = UKDateField(
        label="Repeat fortnightly until (optional)", required=False,
        help_text="Coaching surgeries: plans one surgery every 14 days up to this date, with no attendance: record "
                  "each one's attendance when it has happened. For example, 31/03/2023",
    )

    class Meta:
        model = Event
        fields = ["kind", "title", "date", "goal", "attendance", "organisations_attending", "reach", "award_outcome", "collaborative"]
        field_classes = {"date": UKDateField}
        widgets = {"organisations_attending": forms.Textarea(attrs={"rows": 3})}
        labels = {"attendance": "Attendance (optional)", "organisations_attending": "Organisations attending (optional)",
                  "reach": "Reach (conference presentations)", "award_outcome": "Outcome (awards and prizes)",
                  "collaborative": "QI collaborative (optional)"}
        error_messages = {
            "kind": {"required": "Select the kind of event"},
            "title": {"required": "Enter a title"},
            "date": {"required": "Enter the date", "invalid": "Enter a real date, for example 15/03/2023"},
            "goal": {"required": "Select the goal it shows progress on"},
            "attendance": {"invalid": "Enter the attendance as a whole number", "min_value": "Attendance cannot be negative"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        collaborative_choices(self.fields["collaborative"])
        self.fields["on_timeline"].help_text = "Events that have happened; a planned one can go on once its day has come."

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == EventKind.CONFERENCE_TALK and not cleaned.get("reach"):
            self.add_error("reach", "Select the reach of the conference")
        if kind == EventKind.AWARD and not cleaned.get("award_outcome"):
            self.add_error("award_outcome", "Select whether it was won or shortlisted")
        until, day = cleaned.get("repeat_until"), cleaned.get("date")
        if day and day > datetime.date.today():
            self._refuse_on_a_planned_event(cleaned, kind, day)
        if until:
            if kind != EventKind.COACHING_SURGERY:
                self.add_error("repeat_until", "Only coaching surgeries repeat")
            elif day and until <= day:
                self.add_error("repeat_until", "The series must end after its first surgery")
            elif day and (until - day).days > 366:
                self.add_error("repeat_until", "Add at most a year of surgeries at a time")
        return cleaned

    def _refuse_on_a_planned_event(self, cleaned, kind, day):
        planned = f"It is planned for {day:%d/%m/%Y}"
        if kind == EventKind.AWARD:
            self.add_error("date", "The date of an award or prize must be today or in the past")
        if cleaned.get("attendance") is not None:
            self.add_error("attendance", f"{planned}: record the attendance once it has happened")
        if cleaned.get("organisations_attending", "").strip():
            self.add_error("organisations_attending", f"{planned}: record who attended once it has happened")
        if cleaned.get("on_timeline"):
            self.add_error("on_timeline", f"{planned}: it can go on the evidence timeline once it has happened")


class LeanEventForm(OwnerMixin, NHSFormMixin, CreateOnceMixin, VersionedFormMixin, TimelineMixin, forms.ModelForm):
    owner_permission = "goals.change_leanevent"
    class Meta:
        model = LeanEvent
        fields = ["kind", "title", "unit", "date", "goal", "owner", "hours_released_per_year", "money_released_per_year",
                  "steps_removed", "days_removed", "how_measured"]
        field_classes = {"date": UKDateField, "hours_released_per_year": AmountField, "money_released_per_year": AmountField}
        widgets = {"how_measured": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "kind": {"required": "Select the kind of Lean event"},
            "title": {"required": "Enter a title"},
            "unit": {"required": "Enter the unit or department"},
            "date": {"required": "Enter the date", "invalid": "Enter a real date, for example 15/03/2023"},
            "goal": {"required": "Select the goal"},
            "how_measured": {"required": "Say how the release was measured"},
            "hours_released_per_year": {"invalid": "Enter a number of hours", "min_value": "Hours cannot be negative"},
            "money_released_per_year": {"invalid": "Enter an amount in pounds, for example £12,500", "min_value": "The amount cannot be negative"},
            "days_removed": {"invalid": "Enter a number of days", "min_value": "Days cannot be negative"},
            "steps_removed": {"invalid": "Enter a whole number of steps", "min_value": "Steps cannot be negative"},
        }


class LeanRemeasureForm(NHSFormMixin, forms.ModelForm):
    class Meta:
        model = LeanRemeasure
        fields = ["checkpoint", "measured_on", "hours_released_per_year", "money_released_per_year", "steps_removed",
                  "sustained", "notes"]
        field_classes = {"measured_on": UKDateField}
        widgets = {"checkpoint": forms.RadioSelect, "notes": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "checkpoint": {"required": "Select which re-measure this is"},
            "measured_on": {"required": "Enter the date it was measured", "invalid": "Enter a real date, for example 15/03/2024"},
            "hours_released_per_year": {"required": "Enter the staff hours still released a year (0 if none)",
                                        "invalid": "Enter a number of hours", "min_value": "Hours cannot be negative"},
            "money_released_per_year": {"required": "Enter the money still released a year (0 if none)",
                                        "invalid": "Enter an amount in pounds, for example 12500", "min_value": "The amount cannot be negative"},
            "steps_removed": {"required": "Enter the process steps still removed (0 if none)",
                              "invalid": "Enter a whole number of steps", "min_value": "Steps cannot be negative"},
        }

    def __init__(self, *args, lean_event, **kwargs):
        super().__init__(*args, **kwargs)
        self.lean_event = lean_event
        self.instance.lean_event = lean_event
        self.fields["sustained"] = forms.TypedChoiceField(
            label="Is the change sustained?", widget=forms.RadioSelect, coerce=lambda v: v == "yes",
            choices=[("yes", "Yes, sustained"), ("no", "No, it has slipped")],
            error_messages={"required": "Select whether the change is sustained"},
        )
        self.fields["checkpoint"].choices = [(c.value, f"{c.label} (due {lean_event.checkpoint_date(c):%d/%m/%Y})") for c in Checkpoint]

    def clean_measured_on(self):
        day = not_in_future(self.cleaned_data.get("measured_on"), "The date it was measured")
        if day and day < self.lean_event.date:
            raise ValidationError(f"The event was on {self.lean_event.date:%d/%m/%Y}: it cannot be re-measured before that")
        return day

    def clean(self):
        cleaned = super().clean()
        checkpoint = cleaned.get("checkpoint")
        if checkpoint and self.lean_event.remeasures.filter(checkpoint=checkpoint).exclude(pk=self.instance.pk).exists():
            self.add_error("checkpoint", f"The {Checkpoint(checkpoint).label.lower()} re-measure is recorded already")
        return cleaned
