"""Forms of the board papers: the cover sheet and text, commitments, risks and goal sections; presenting and
amending; and the dashboard's "changes since"."""

from django import forms

from goals.strategy.strategyfile import MAX_BYTES
from improvement.core.forms import NHSFormMixin, UKDateField, VersionedFormMixin, not_in_future
from improvement.core.uploads import UploadField

from .models import AnnualCommitment, BoardReport, Committee, Meeting, MeetingKind, PaperGoal, ReminderPreference, RiskAppetite


class BoardReportForm(NHSFormMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = BoardReport
        fields = ["title", "meeting_date", "paper_date", "author", "purpose", "summary", "key_points", "background",
                  "financial_implications", "risk", "communication_and_involvement", "equality_analysis",
                  "freedom_of_information", "recommendation", "supporting_information"]
        field_classes = {"meeting_date": UKDateField, "paper_date": UKDateField}
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in [
            "summary", "key_points", "background", "financial_implications", "risk", "communication_and_involvement",
            "equality_analysis", "freedom_of_information", "recommendation", "supporting_information"]}
        error_messages = {
            "title": {"required": "Enter the title of the paper"},
            "meeting_date": {"required": "Enter the date of the board meeting", "invalid": "Enter a real date, for example 30/11/2023"},
            "paper_date": {"invalid": "Enter a real date, for example 19/11/2023"},
            "author": {"required": "Enter who wrote the paper"},
        }


class CommitmentForm(NHSFormMixin, forms.ModelForm):
    class Meta:
        model = AnnualCommitment
        fields = ["text", "supported", "order"]


class RiskForm(NHSFormMixin, forms.ModelForm):
    class Meta:
        model = RiskAppetite
        fields = ["level_1", "level_2", "appetite", "impact", "order"]


class PaperGoalForm(NHSFormMixin, forms.ModelForm):
    class Meta:
        model = PaperGoal
        fields = ["status", "narrative", "next_steps"]
        widgets = {"narrative": forms.Textarea(attrs={"rows": 5}), "next_steps": forms.Textarea(attrs={"rows": 2})}
        labels = {"status": "Status in the paper", "next_steps": "Next steps (optional)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", "No judgement this year")] + list(self.fields["status"].choices)[1:]


CommitmentFormSet = forms.inlineformset_factory(BoardReport, AnnualCommitment, form=CommitmentForm, extra=1, can_delete=True)
RiskFormSet = forms.inlineformset_factory(BoardReport, RiskAppetite, form=RiskForm, extra=1, can_delete=True)
PaperGoalFormSet = forms.inlineformset_factory(BoardReport, PaperGoal, form=PaperGoalForm, extra=0, can_delete=False)


class PresentForm(NHSFormMixin, forms.Form):
    meeting = forms.CharField(label="Presented to (the meeting)", max_length=200,
                              error_messages={"required": "Enter the meeting the paper was presented to"})
    on = UKDateField(label="Presented on", error_messages={"required": "Enter the date of the meeting",
                                                           "invalid": "Enter a real date, for example 30/11/2023"})

    def clean_on(self):
        return not_in_future(self.cleaned_data.get("on"), "The date it was presented")


class AmendmentForm(NHSFormMixin, forms.Form):
    reason = forms.CharField(label="Why it is corrected", max_length=300,
                             error_messages={"required": "Enter why the paper is corrected"})
    correction = forms.CharField(label="The correction", widget=forms.Textarea(attrs={"rows": 5}),
                                 error_messages={"required": "Enter the correction, as the board should read it"})


class DashboardForm(NHSFormMixin, forms.Form):
    since = UKDateField(label="Changes since", required=False, help_text="For example, 01/11/2026. Empty: since the board last saw a paper",
                        error_messages={"invalid": "Enter a real date, for example 30/11/2023"})


class MeetingForm(NHSFormMixin, forms.ModelForm):
    year = forms.TypedChoiceField(label="Strategy year", coerce=int, required=False, empty_value=None,
                                  help_text="Leave empty for the strategy year its date falls in.")

    class Meta:
        model = Meeting
        fields = ["kind", "date", "year", "notes"]
        field_classes = {"date": UKDateField}
        widgets = {"kind": forms.RadioSelect}
        error_messages = {
            "kind": {"required": "Select the meeting"},
            "date": {"required": "Enter the date of the meeting", "invalid": "Enter a real date, for example 15/12/2026"},
        }

    def __init__(self, *args, strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.strategy = strategy
        self.instance.strategy = strategy
        self.committees = Committee.objects.by_kind()
        self.fields["kind"].choices = [(kind, c.short_name) for kind, c in self.committees.items()]
        board = self.committees[MeetingKind.TRUST_BOARD].short_name
        self.fields["year"].help_text = (f"Leave empty for the strategy year its date falls in. The {board} that reads a "
                                         "year's paper meets after the year: choose that year.")
        self.fields["year"].choices = [("", "The year its date falls in")] + [
            (str(y), strategy.period(y).label) for y in range(1, strategy.years + 1)]

    def clean(self):
        cleaned = super().clean()
        day = cleaned.get("date")
        if day and not cleaned.get("year"):
            year = self.strategy.year_of(day)
            if not 1 <= year <= self.strategy.years:
                self.add_error("date", f"The strategy runs from {self.strategy.start_date:%d/%m/%Y} for {self.strategy.years} years: "
                                       "choose the strategy year this meeting is for")
            else:
                cleaned["year"] = year
        kind = cleaned.get("kind")
        if day and kind and Meeting.objects.filter(strategy=self.strategy, kind=kind, date=day).exclude(pk=self.instance.pk).exists():
            self.add_error("date", f"There is a {self.committees[kind].short_name} meeting on {day:%d/%m/%Y} already")
        return cleaned


class ReminderPreferenceForm(NHSFormMixin, forms.ModelForm):
    class Meta:
        model = ReminderPreference
        fields = ["before_qisg", "weekly_stale"]
        labels = {"before_qisg": "Before each QiSG meeting: what changed since the last one, and the agenda pack",
                  "weekly_stale": "Every week: what has gone stale (what is yours first)"}


class StrategyFileForm(NHSFormMixin, forms.Form):
    """The strategy file a site administrator uploads (checked whole before anything is loaded)."""

    file = UploadField(
        label="Strategy file (YAML)", help_text="A .yaml or .yml file as export_strategy writes it, at most 1 MB.",
        error_messages={"required": "Choose a strategy file to upload", "empty": "The file is empty",
                        "invalid": "Choose a strategy file to upload"},
        widget=forms.FileInput(attrs={"accept": ".yaml,.yml,application/yaml,text/yaml"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".yaml", ".yml")):
            raise forms.ValidationError("The file must be a YAML file: its name ends in .yaml or .yml.")
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(f"The file is {upload.size / 1_000_000:.1f} MB: a strategy file is at most 1 MB.")
        return upload
