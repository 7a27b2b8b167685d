"""Forms of the board papers: the cover sheet and text, commitments, risks and goal sections; presenting and
amending; and the dashboard's "changes since"."""

from django import forms

from improvement.core.forms import NHSFormMixin, UKDateField, VersionedFormMixin, not_in_future

from .models import AnnualCommitment, BoardReport, PaperGoal, RiskAppetite


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
                              error_messages={"required": "Enter the meeting the paper was presented to, for example Trust Board"})
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
    since = UKDateField(label="Changes since", required=False, help_text="For example, the last board: 30/11/2023",
                        error_messages={"invalid": "Enter a real date, for example 30/11/2023"})
