import math

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst

from improvement.core import tabular
from improvement.core.forms import CreateOnceMixin, NHSFormMixin, OwnerMixin, UKDateField, VersionedFormMixin, not_in_future
from improvement.core.uploads import UploadField
from goals.strategy.models import Ambition

from .models import Measure, MeasurePoint, Rebase, decimals_of, period_name, period_of

WHY_ERRORS = {"required": "Enter why, for example “typed in the wrong month”", "max_length": "Enter at most 100 characters"}


class MeasureForm(OwnerMixin, NHSFormMixin, CreateOnceMixin, VersionedFormMixin, forms.ModelForm):
    owner_permission = "goals.add_measurepoint"

    class Meta:
        model = Measure
        fields = ["name", "unit", "improvement_direction", "target", "frequency", "decimals", "goal", "ambition",
                  "collaborative", "owner", "description", "fix_after_n_points", "on_dashboard", "dashboard_order"]
        widgets = {"improvement_direction": forms.RadioSelect, "description": forms.Textarea(attrs={"rows": 3})}
        labels = {"ambition": "Ambition (optional)", "collaborative": "QI collaborative (optional)", "target": "Target (optional)",
                  "description": "Description (optional)", "fix_after_n_points": "Fix the limits after this many points (optional)",
                  "decimals": "Decimal places shown (optional)"}
        error_messages = {
            "name": {"required": "Enter the name of the measure", "unique": "A measure with this name already exists"},
            "unit": {"required": "Enter the unit, for example “falls per 1000 bed days”"},
            "improvement_direction": {"required": "Select which direction is better"},
            "target": {"invalid": "Enter the target as a number, for example 4.5"},
            "goal": {"required": "Select the goal this measure shows progress on"},
            "fix_after_n_points": {"min_value": "Enter 12 or more, or leave it empty", "invalid": "Enter a whole number, 12 or more"},
            "decimals": {"max_value": "Enter 0 to 4, or leave it empty", "min_value": "Enter 0 to 4, or leave it empty",
                         "invalid": "Enter a whole number from 0 to 4, or leave it empty"},
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
        frequency = cleaned.get("frequency")
        if self.instance.pk and frequency and frequency != self.instance.frequency:
            seen = {}
            for point in self.instance.points.order_by("date"):
                first = period_of(frequency, point.date)[0]
                if first in seen:
                    self.add_error("frequency", (
                        f"{seen[first]:%d/%m/%Y} and {point.date:%d/%m/%Y} would both be values for "
                        f"{period_name(frequency, point.date)}: delete or move one of them first"
                    ))
                    break
                seen[first] = point.date
        return cleaned


def _finite(value):
    if not math.isfinite(value):
        raise ValidationError("Enter a number, for example 5.6")
    return value


VALUE_ERRORS = {"required": "Enter the value", "invalid": "Enter a number, for example 5.6"}


class MeasurePointForm(NHSFormMixin, forms.Form):
    """A new point. When its period already has one, the view asks first; `replaces` carries the point the user
    agreed to replace, so a confirm that no longer matches what is stored asks again."""

    prefix = "point"
    date = UKDateField(label="Date")
    value = forms.FloatField(label="Value", error_messages=VALUE_ERRORS)
    replaces = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_date(self):
        return not_in_future(self.cleaned_data.get("date"), "The date")

    def clean_value(self):
        return _finite(self.cleaned_data["value"])


class WhyForm(NHSFormMixin, forms.Form):
    """Why a point or a rebase is corrected or deleted: kept with the change in its history."""

    why = forms.CharField(label="Why is it being deleted?", max_length=100, error_messages=WHY_ERRORS)


class PointCorrectionForm(NHSFormMixin, forms.ModelForm):
    prefix = "correct"
    why = forms.CharField(label="Why is it being corrected?", max_length=100, error_messages=WHY_ERRORS)

    class Meta:
        model = MeasurePoint
        fields = ["date", "value"]
        field_classes = {"date": UKDateField}
        error_messages = {"value": VALUE_ERRORS, "date": {"required": "Enter the date"}}

    def clean_date(self):
        return not_in_future(self.cleaned_data.get("date"), "The date")

    def clean_value(self):
        return _finite(self.cleaned_data["value"])

    def clean(self):
        cleaned = super().clean()
        day, point = cleaned.get("date"), self.instance
        if day:
            other = MeasurePoint.objects.in_period_of(point.measure, day).exclude(pk=point.pk).first()
            if other:
                self.add_error("date", (
                    f"{capfirst(point.measure.period_name(day))} already has a value "
                    f"({point.measure.shown(other.value, decimals_of(other.value))} on {other.date:%d/%m/%Y}): "
                    "correct or delete that one"
                ))
        return cleaned


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
        day = not_in_future(self.cleaned_data["date"], "The date")
        if Rebase.objects.filter(measure=self.instance.measure, date=day).exclude(pk=self.instance.pk).exists():
            raise ValidationError("The limits are already recalculated from this date")
        return day


class RebaseCorrectionForm(RebaseForm):
    prefix = "correct"
    why = forms.CharField(label="Why is it being corrected?", max_length=100, error_messages=WHY_ERRORS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, measure=kwargs["instance"].measure, **kwargs)


class MeasureImportForm(NHSFormMixin, forms.Form):
    """Rows pasted from Excel (tab-separated) or typed as CSV, or an uploaded .csv or .xlsx: `rows` once clean."""

    MAX_BYTES = 2 * 1024 * 1024
    pasted = forms.CharField(label="Paste the data", required=False, widget=forms.Textarea(attrs={"rows": 8}),
                             help_text="Copy the two columns (date and value) from Excel and paste them here, or type one row "
                                       "per point: 31/03/2023,5.2")
    file = UploadField(label="Or upload a file", required=False,
                           help_text="An Excel workbook (.xlsx, its first sheet) or a CSV file of date and value columns, at most 2 MB.",
                           widget=forms.FileInput(attrs={"accept": ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}))
    agreed = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        try:
            if upload:
                if upload.size > self.MAX_BYTES:
                    raise tabular.too_large(self.MAX_BYTES)
                cleaned["rows"] = list(tabular.read_upload(upload.chunks(), self.MAX_BYTES))
            elif cleaned.get("pasted", "").strip():
                cleaned["rows"] = list(tabular.read_text(cleaned["pasted"]))
            else:
                raise ValidationError("Paste the data or choose a file")
        except tabular.FileRejected as rejected:
            self.add_error("file" if upload else "pasted", str(rejected))
        return cleaned
