"""Forms for the board report's cover sheet and free-text sections."""

from django import forms

from improvement.core.forms import NHSFormMixin, UKDateField
from .models import AnnualCommitment, BoardReport, RiskAppetite


class BoardReportForm(NHSFormMixin, forms.ModelForm):
    class Meta:
        model = BoardReport
        fields = ["title", "meeting_date", "paper_date", "author", "purpose", "summary", "key_points", "background",
                  "financial_implications", "risk", "communication_and_involvement", "equality_analysis",
                  "freedom_of_information", "recommendation", "supporting_information"]
        field_classes = {"meeting_date": UKDateField, "paper_date": UKDateField}
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in [
            "summary", "key_points", "background", "financial_implications", "risk", "communication_and_involvement",
            "equality_analysis", "freedom_of_information", "recommendation", "supporting_information"]}


class CommitmentForm(NHSFormMixin, forms.ModelForm):
    class Meta:
        model = AnnualCommitment
        fields = ["text", "supported", "order"]


class RiskForm(NHSFormMixin, forms.ModelForm):
    class Meta:
        model = RiskAppetite
        fields = ["level_1", "level_2", "appetite", "impact", "order"]


CommitmentFormSet = forms.inlineformset_factory(BoardReport, AnnualCommitment, form=CommitmentForm, extra=1, can_delete=True)
RiskFormSet = forms.inlineformset_factory(BoardReport, RiskAppetite, form=RiskForm, extra=1, can_delete=True)
