import math

from django import forms
from django.core.exceptions import ValidationError

from improvement.core.forms import CreateOnceMixin, NHSFormMixin, UKDateField, VersionedFormMixin, not_in_future
from goals.strategy.models import Ambition

from .models import Measure, Rebase


class MeasureForm(NHSFormMixin, CreateOnceMixin, VersionedFormMixin, forms.ModelForm):
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
        return not_in_future(self.cleaned_data.get("date"), "The date")

    def clean_value(self):
        value = self.cleaned_data["value"]
        if not math.isfinite(value):
            raise ValidationError("Enter a number, for example 5.6")
        return value


class RebaseForm(NHSFormMixin, CreateOnceMixin, forms.ModelForm):
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
