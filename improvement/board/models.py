"""The annual board report's own words: the cover sheet and free-text sections QiSG writes before the board.
Everything else in the report (status, narratives, figures, charts, evidence) is read from the apps."""

from django.db import models
from simple_history.models import HistoricalRecords

from goals.models import Strategy


class Appetite(models.TextChoices):
    AVERSE = "averse", "Averse"
    MINIMAL = "minimal", "Minimal"
    CAUTIOUS = "cautious", "Cautious"
    OPEN = "open", "Open"
    SEEK = "seek", "Seek"


class Impact(models.TextChoices):
    TOWARDS = "towards", "Moving towards"
    AWAY = "away", "Moving away"
    NONE = "none", "No impact"


class BoardReport(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="board_reports")
    year = models.PositiveSmallIntegerField("strategy year")
    title = models.CharField(max_length=200)
    meeting_date = models.DateField("board meeting date")
    paper_date = models.DateField("date of the paper", null=True, blank=True)
    author = models.CharField(max_length=200)
    purpose = models.CharField(max_length=60, default="For assurance")
    summary = models.TextField(blank=True)
    key_points = models.TextField(blank=True, help_text="One key point per line.")
    background = models.TextField(blank=True)
    financial_implications = models.TextField(blank=True)
    risk = models.TextField(blank=True)
    communication_and_involvement = models.TextField(blank=True)
    equality_analysis = models.TextField(blank=True)
    freedom_of_information = models.TextField("publication under the Freedom of Information Act", blank=True)
    recommendation = models.TextField(blank=True)
    supporting_information = models.TextField(blank=True)
    history = HistoricalRecords(related_name="changes")

    class Meta:
        ordering = ["strategy", "year"]
        constraints = [models.UniqueConstraint(fields=["strategy", "year"], name="one_board_report_per_year")]

    def __str__(self):
        return self.title

    @property
    def key_point_list(self):
        return [line.strip() for line in self.key_points.splitlines() if line.strip()]


class AnnualCommitment(models.Model):
    report = models.ForeignKey(BoardReport, on_delete=models.CASCADE, related_name="commitments")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=200)
    supported = models.BooleanField("this paper supports it", default=False)
    history = HistoricalRecords(related_name="changes")

    class Meta:
        ordering = ["report", "order", "id"]

    def __str__(self):
        return self.text


class RiskAppetite(models.Model):
    report = models.ForeignKey(BoardReport, on_delete=models.CASCADE, related_name="risks")
    order = models.PositiveSmallIntegerField(default=0)
    level_1 = models.CharField("level 1 risk", max_length=100)
    level_2 = models.CharField("level 2 risk", max_length=300)
    appetite = models.CharField(max_length=10, choices=Appetite.choices)
    impact = models.CharField("impact of this work", max_length=10, choices=Impact.choices)
    history = HistoricalRecords(related_name="changes")

    class Meta:
        ordering = ["report", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(appetite__in=Appetite.values), name="riskappetite_appetite_valid"),
            models.CheckConstraint(condition=models.Q(impact__in=Impact.values), name="riskappetite_impact_valid"),
        ]

    def __str__(self):
        return f"{self.level_1}: {self.level_2}"
