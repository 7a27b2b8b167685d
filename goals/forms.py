import datetime
import math
from pathlib import PurePath

from django import forms
from django.core.exceptions import ValidationError

from improvement.forms import NHSFormMixin, UKDateField

from . import attachments

from .models import (
    Ambition, Collaborative, CollaborativeMember, Event, EventKind, EvidenceItem, LeanEvent, Measure, ProgressUpdate, Rebase,
)


class EditConflict(Exception):
    """Someone else saved the item after this form was opened."""

    def __init__(self, current):
        super().__init__(f"{current} was changed by someone else")
        self.current = current


class GoalChildForm(NHSFormMixin, forms.ModelForm):
    """A form for something that belongs to one goal: its ambition choices are that goal's ambitions.

    Editing is optimistic: the form carries the version it was opened at, and saving refuses (EditConflict) when
    the item has moved on since, so a second editor never silently overwrites the first.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, goal, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self.instance.goal = goal
        ambition = self.fields["ambition"]
        ambition.queryset = Ambition.objects.filter(goal=goal)
        ambition.empty_label = "The goal as a whole"
        ambition.label_from_instance = lambda a: a.text if len(a.text) <= 90 else a.text[:87] + "…"

    def save(self, commit=True):
        """Call inside a transaction. Raises EditConflict when the stored version is not the one the form opened."""
        obj = super().save(commit=False)
        if obj.pk:
            current = type(obj).objects.select_for_update().get(pk=obj.pk)
            if self.cleaned_data.get("version") != current.version:
                raise EditConflict(current)
            obj.version = current.version + 1
        obj.save()
        return obj

    def accept_conflict(self, current):
        """After a conflict: describe what the other person changed, and let a second save overwrite it on purpose."""
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = current.version
        differences = []
        for name, field in self.fields.items():
            if name == "version" or name not in self.cleaned_data:
                continue
            theirs, yours = getattr(current, name), self.cleaned_data[name]
            if theirs != yours:
                differences.append((field.label, _shown(theirs), _shown(yours)))
        who = current.last_change.history_user if current.last_change else None
        self.add_error(None, (
            f"{who.get_full_name() or who.username if who else 'Someone else'} changed this while you were editing it. "
            "Their version and yours are compared below. Save again to replace theirs with yours, or cancel to keep theirs."
        ))
        return differences

    @staticmethod
    def not_in_future(day, what):
        if day and day > datetime.date.today():
            raise ValidationError(f"{what} must be today or in the past")
        return day


def _shown(value):
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else str(value)


class EvidenceForm(GoalChildForm):
    class Meta:
        model = EvidenceItem
        fields = ["kind", "date", "title", "summary", "link", "attachment", "ambition", "highlighted"]
        field_classes = {"date": UKDateField}
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}
        labels = {"kind": "Kind of evidence", "date": "Date it happened", "link": "Link (optional)", "ambition": "Ambition (optional)",
                  "attachment": "File (optional)"}
        help_texts = {"attachment": "A PDF, PNG or JPEG image, or a Word, Excel or PowerPoint file, at most 10 MB."}
        error_messages = {
            "kind": {"required": "Select the kind of evidence"},
            "date": {"required": "Enter the date it happened", "invalid": "Enter a real date, for example 19/11/2023"},
            "title": {"required": "Enter a title"},
            "summary": {"required": "Enter a summary of what happened"},
            "link": {"invalid": "Enter a web address starting with http:// or https://"},
        }

    def clean_date(self):
        return self.not_in_future(self.cleaned_data.get("date"), "The date it happened")

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload and hasattr(upload, "content_type"):  # a new upload (not the file already stored)
            extension = attachments.detect(upload)
            self.instance.attachment_name = PurePath(upload.name).stem[:150] + extension
            upload.name = upload.name.rsplit(".", 1)[0] + extension
        return upload


class ProgressUpdateForm(GoalChildForm):
    class Meta:
        model = ProgressUpdate
        fields = ["status", "period_start", "period_end", "narrative", "next_steps", "ambition", "published_on"]
        field_classes = {"period_start": UKDateField, "period_end": UKDateField, "published_on": UKDateField}
        widgets = {
            "status": forms.RadioSelect,
            "narrative": forms.Textarea(attrs={"rows": 5}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"published_on": "Date of this update", "next_steps": "Next steps (optional)", "ambition": "Ambition (optional)"}
        error_messages = {
            "status": {"required": "Select a status"},
            "period_start": {"required": "Enter the date the period starts", "invalid": "Enter a real date, for example 01/11/2022"},
            "period_end": {"required": "Enter the date the period ends", "invalid": "Enter a real date, for example 31/10/2023"},
            "narrative": {"required": "Enter the narrative: what happened and why this status"},
            "published_on": {"required": "Enter the date of this update", "invalid": "Enter a real date, for example 19/11/2023"},
        }

    def clean_published_on(self):
        return self.not_in_future(self.cleaned_data.get("published_on"), "The date of this update")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The period must end on or after the day it starts")
        return cleaned



class MeasureForm(NHSFormMixin, forms.ModelForm):
    class Meta:
        model = Measure
        fields = ["name", "unit", "improvement_direction", "target", "frequency", "goal", "ambition", "collaborative",
                  "description", "fix_after_n_points", "on_dashboard", "dashboard_order"]
        widgets = {"improvement_direction": forms.RadioSelect, "description": forms.Textarea(attrs={"rows": 3})}
        labels = {"ambition": "Ambition (optional)", "collaborative": "QI collaborative (optional)", "target": "Target (optional)",
                  "description": "Description (optional)", "fix_after_n_points": "Fix the limits after this many points (optional)"}
        error_messages = {
            "name": {"required": "Enter the name of the measure", "unique": "A measure with this name already exists"},
            "unit": {"required": "Enter the unit, for example “falls per 1000 bed days”"},
            "improvement_direction": {"required": "Select which direction is better"},
            "target": {"invalid": "Enter the target as a number, for example 4.5"},
            "goal": {"required": "Select the goal this measure shows progress on"},
            "fix_after_n_points": {"min_value": "Enter 12 or more, or leave it empty", "invalid": "Enter a whole number, 12 or more"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ambition"].queryset = Ambition.objects.select_related("goal")
        self.fields["ambition"].label_from_instance = lambda a: f"Goal {a.goal.number}: {a.text[:80]}"
        self.fields["dashboard_order"].required = False
        self.fields["dashboard_order"].label = "Order on the dashboard (optional)"

    def clean_dashboard_order(self):
        return self.cleaned_data.get("dashboard_order") or 0

    def clean(self):
        cleaned = super().clean()
        ambition, goal = cleaned.get("ambition"), cleaned.get("goal")
        if ambition and goal and ambition.goal_id != goal.pk:
            self.add_error("ambition", "Choose an ambition of the selected goal, or none")
        return cleaned


class MeasurePointForm(NHSFormMixin, forms.Form):
    prefix = "point"
    date = UKDateField(label="Date")
    value = forms.FloatField(label="Value", error_messages={"required": "Enter the value", "invalid": "Enter a number, for example 5.6"})

    def clean_date(self):
        return GoalChildForm.not_in_future(self.cleaned_data.get("date"), "The date")

    def clean_value(self):
        value = self.cleaned_data["value"]
        if not math.isfinite(value):
            raise ValidationError("Enter a number, for example 5.6")
        return value


class RebaseForm(NHSFormMixin, forms.ModelForm):
    prefix = "rebase"

    class Meta:
        model = Rebase
        fields = ["date", "reason"]
        field_classes = {"date": UKDateField}
        labels = {"date": "Recalculate the limits from", "reason": "Reason"}
        error_messages = {"reason": {"required": "Enter the reason, for example “new falls bundle introduced”"},
                          "date": {"required": "Enter the date the new limits start"}}

    def __init__(self, *args, measure, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.measure = measure

    def clean_date(self):
        day = self.cleaned_data["date"]
        if Rebase.objects.filter(measure=self.instance.measure, date=day).exists():
            raise ValidationError("The limits are already recalculated from this date")
        return day


class MeasureImportForm(NHSFormMixin, forms.Form):
    MAX_BYTES = 2 * 1024 * 1024
    pasted = forms.CharField(label="Paste the data", required=False, widget=forms.Textarea(attrs={"rows": 8}),
                             help_text="One row per point: date,value. For example: 2023-03-31,5.2")
    file = forms.FileField(label="Or upload a CSV file", required=False, help_text="A .csv file of date,value rows, at most 2 MB.")

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload:
            if upload.size > self.MAX_BYTES:
                raise ValidationError("The file is larger than 2 MB")
            raw = upload.read()
            if b"\x00" in raw:
                raise ValidationError("The file is not a CSV text file")
            try:
                cleaned["text"] = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise ValidationError("The file is not UTF-8 text: save it from Excel as “CSV UTF-8”") from None
        elif cleaned.get("pasted", "").strip():
            cleaned["text"] = cleaned["pasted"]
        else:
            raise ValidationError("Paste the data or choose a file")
        return cleaned


class CollaborativeForm(NHSFormMixin, forms.ModelForm):
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
        day = GoalChildForm.not_in_future(self.cleaned_data.get("stepped_down_on"), "The date it stepped down")
        if day and day < self.instance.started_on:
            raise ValidationError(f"It started on {self.instance.started_on:%d/%m/%Y}: it cannot step down before that")
        return day


class CollaborativeMemberForm(NHSFormMixin, forms.ModelForm):
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


class EventForm(NHSFormMixin, TimelineMixin, forms.ModelForm):
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


class LeanEventForm(NHSFormMixin, TimelineMixin, forms.ModelForm):
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
