from pathlib import PurePath

from django import forms

from goals.programme.forms import collaborative_choices
from improvement.core.forms import (
    CreateOnceMixin, NHSFormMixin, UKDateField, VersionedFormMixin, not_in_future, visible_characters_only,
)
from improvement.core.uploads import UploadField

from . import attachments
from ..search import KIND_CHOICES
from .models import Ambition, EvidenceItem, ProgressUpdate


class GoalChildForm(NHSFormMixin, CreateOnceMixin, VersionedFormMixin, forms.ModelForm):
    """A form for something that belongs to one goal: its ambition choices are that goal's ambitions."""

    def __init__(self, *args, goal, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.goal = goal
        ambition = self.fields["ambition"]
        ambition.queryset = Ambition.objects.filter(goal=goal)
        ambition.empty_label = "The goal as a whole"
        ambition.label_from_instance = lambda a: a.text if len(a.text) <= 90 else a.text[:87] + "…"

class EvidenceForm(GoalChildForm):
    class Meta:
        model = EvidenceItem
        fields = ["kind", "date", "title", "summary", "link", "attachment", "ambition", "collaborative", "highlighted"]
        field_classes = {"date": UKDateField, "attachment": UploadField}
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}
        labels = {"kind": "Kind of evidence", "date": "Date it happened", "link": "Link (optional)", "ambition": "Ambition (optional)",
                  "attachment": "File (optional)", "collaborative": "QI collaborative (optional)"}
        help_texts = {"attachment": "A PDF, PNG or JPEG image, or a Word, Excel or PowerPoint file, at most 10 MB.",
                      "collaborative": "The collaborative's page lists the evidence linked to it."}
        error_messages = {
            "kind": {"required": "Select the kind of evidence"},
            "date": {"required": "Enter the date it happened", "invalid": "Enter a real date, for example 19/11/2023"},
            "title": {"required": "Enter a title"},
            "summary": {"required": "Enter a summary of what happened"},
            "link": {"invalid": "Enter a web address starting with http:// or https://"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        collaborative_choices(self.fields["collaborative"]).empty_label = "None"

    def clean_date(self):
        return not_in_future(self.cleaned_data.get("date"), "The date it happened")

    def clean(self):
        cleaned = super().clean()
        collaborative, day = cleaned.get("collaborative"), cleaned.get("date")
        if collaborative and day and day < collaborative.started_on:
            self.add_error("collaborative", f"{collaborative.name} started on {collaborative.started_on:%d/%m/%Y}: "
                                            "evidence of it cannot be dated before that")
        return cleaned

    def clean_link(self):
        return visible_characters_only(self.cleaned_data.get("link"), "The link")

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
        return not_in_future(self.cleaned_data.get("published_on"), "The date of this update")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The period must end on or after the day it starts")
        return cleaned


class SearchForm(NHSFormMixin, forms.Form):
    """The search page's words and filters (a GET form: every field optional)."""

    q = forms.CharField(label="Search for", required=False, max_length=200,
                        error_messages={"max_length": "Enter at most 200 characters"})
    goal = forms.TypedChoiceField(label="Goal", required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label="Kind", required=False)
    year = forms.ChoiceField(label="Year", required=False)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].choices = [("", "All goals")] + [(g.number, f"Goal {g.number}: {g.title}") for g in strategy.goals.order_by("number")]
        self.fields["kind"].choices = [("", "Everything")] + KIND_CHOICES
        self.fields["year"].choices = [("", "Any date")] + [(p.year, p.label) for p in strategy.periods_so_far()]

    def clean_page(self):
        return self.cleaned_data.get("page") or 1
