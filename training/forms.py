from django import forms

from improvement.core.forms import NHSFormMixin
from improvement.core.uploads import UploadField

from . import importer


class UploadForm(NHSFormMixin, forms.Form):
    file = UploadField(
        label="CSV file or Excel workbook",
        help_text=(f"An Excel workbook (.xlsx, its first sheet) or a CSV file (UTF-8, as Excel's \u201cCSV UTF-8\u201d saves it), "
                   f"at most {importer.size_text(importer.MAX_BYTES)}."),
        error_messages={"required": "Choose a file to upload", "empty": "The file is empty", "invalid": "Choose a file to upload"},
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(
                "The file must be a CSV file or an Excel workbook (its name ends in .csv or .xlsx). In Excel choose File, "
                "Save As, and the type \u201cExcel Workbook (.xlsx)\u201d or \u201cCSV UTF-8 (Comma delimited)\u201d."
            )
        if upload.size > importer.MAX_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / (1024 * 1024):.1f} MB; the most one import accepts is "
                f"{importer.size_text(importer.MAX_BYTES)}. Split it into smaller files and import each one."
            )
        return upload


class NewUnitsForm(NHSFormMixin, forms.Form):
    """At the preview of a training import: for each unit the file would create, whether it is a clinical service
    unit. No answer is preset: a corporate department counted as a CSU would lower facilitator coverage."""

    prefix = "units"

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = list(units)
        for i, name in enumerate(self.units):
            self.fields[f"unit_{i}"] = forms.TypedChoiceField(
                label=f"Is \u201c{name}\u201d a clinical service unit?",
                choices=[("yes", "Yes, a clinical service unit"), ("no", "No, a corporate department or other")],
                coerce=lambda answer: answer == "yes", widget=forms.RadioSelect,
                error_messages={"required": f"Select whether \u201c{name}\u201d is a clinical service unit"},
            )
            self.fields[f"unit_{i}"].widget.attrs["class"] = "nhsuk-radios__input"  # added after NHSFormMixin styled the form

    def answers(self):
        """{unit name: is a clinical service unit} (a valid form)."""
        return {name: self.cleaned_data[f"unit_{i}"] for i, name in enumerate(self.units)}
