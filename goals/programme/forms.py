from django import forms
from django.core.exceptions import ValidationError

from improvement.core.forms import CreateOnceMixin, NHSFormMixin, UKDateField, VersionedFormMixin, not_in_future

from .models import Collaborative, CollaborativeMember, Event, EventKind, LeanEvent


class CollaborativeForm(NHSFormMixin, CreateOnceMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Collaborative
        fields = ["name", "goal", "aim", "lead", "prompted_by", "rationale", "started_on"]
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


class StepDownForm(NHSFormMixin, forms.ModelForm):
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


class TimelineMixin(forms.Form):
    on_timeline = forms.BooleanField(
        label="Show it on the goal's evidence timeline", required=False, initial=True,
    )


class EventForm(NHSFormMixin, CreateOnceMixin, VersionedFormMixin, TimelineMixin, forms.ModelForm):
    repeat_until = UKDateField(
        label="Repeat fortnightly until (optional)", required=False,
        help_text="Coaching surgeries: adds one surgery every 14 days up to this date. For example, 31/03/2023",
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

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == EventKind.CONFERENCE_TALK and not cleaned.get("reach"):
            self.add_error("reach", "Select the reach of the conference")
        if kind == EventKind.AWARD and not cleaned.get("award_outcome"):
            self.add_error("award_outcome", "Select whether it was won or shortlisted")
        until, day = cleaned.get("repeat_until"), cleaned.get("date")
        if until:
            if kind != EventKind.COACHING_SURGERY:
                self.add_error("repeat_until", "Only coaching surgeries repeat")
            elif day and until <= day:
                self.add_error("repeat_until", "The series must end after its first surgery")
            elif day and (until - day).days > 366:
                self.add_error("repeat_until", "Add at most a year of surgeries at a time")
        return cleaned


class LeanEventForm(NHSFormMixin, CreateOnceMixin, VersionedFormMixin, TimelineMixin, forms.ModelForm):
    class Meta:
        model = LeanEvent
        fields = ["kind", "title", "unit", "date", "goal", "hours_released_per_year", "money_released_per_year",
                  "steps_removed", "days_removed", "how_measured"]
        field_classes = {"date": UKDateField}
        widgets = {"how_measured": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "kind": {"required": "Select the kind of Lean event"},
            "title": {"required": "Enter a title"},
            "unit": {"required": "Enter the unit or department"},
            "date": {"required": "Enter the date", "invalid": "Enter a real date, for example 15/03/2023"},
            "goal": {"required": "Select the goal"},
            "how_measured": {"required": "Say how the release was measured"},
            "hours_released_per_year": {"invalid": "Enter a number of hours", "min_value": "Hours cannot be negative"},
            "money_released_per_year": {"invalid": "Enter an amount in pounds, for example 12500", "min_value": "The amount cannot be negative"},
            "days_removed": {"invalid": "Enter a number of days", "min_value": "Days cannot be negative"},
            "steps_removed": {"invalid": "Enter a whole number of steps", "min_value": "Steps cannot be negative"},
        }
