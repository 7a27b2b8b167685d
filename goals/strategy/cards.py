"""Progress updates, evidence items and measures as the goal page shows them: plain values, formatted once.

The goal page keeps its newest cards with its figures, cached by the data stamp (improvement.core.stamp), and draws
them without a query; a card saved inline is drawn from the same values (`update_card`, `evidence_card`)."""

from dataclasses import dataclass

from django.template.defaultfilters import linebreaksbr, truncatechars
from django.urls import reverse
from django.utils.formats import date_format

from goals.measures.charts import Analysis, analyse_measure
from goals.measures.models import Measure
from improvement.core.history import name_of

AMBITION_SHOWN = 80  # characters of an ambition's text beside a card's date


@dataclass(frozen=True)
class UpdateCard:
    pk: int
    status_label: str
    status_colour: str
    period: str  # "1 Apr 2026 to 30 Jun 2026"
    ambition: str  # the ambition's text, shortened; "" for the goal as a whole
    published_on: str  # "1 December 2026"
    author: str
    narrative: str  # HTML, escaped, with its line breaks
    next_steps: str  # HTML, as narrative; "" when none
    last_change_line: str
    edit_url: str
    history_url: str


@dataclass(frozen=True)
class EvidenceCard:
    pk: int
    title: str
    kind_label: str
    date: str  # "1 December 2026"
    ambition: str
    collaborative: str  # its name; "" when the item is not a collaborative's
    collaborative_url: str
    summary: str  # HTML, escaped, with its line breaks
    link: str
    attachment_name: str  # "" when no file is attached
    attachment_url: str
    last_change_line: str
    edit_url: str
    history_url: str


def _ambition(item):
    return truncatechars(item.ambition.text, AMBITION_SHOWN) if item.ambition_id else ""


def update_card(update):
    """`update` with its ambition and author (select_related) and its last change (with_last_change) at hand."""
    return UpdateCard(
        pk=update.pk,
        status_label=update.status_label,
        status_colour=update.status_colour,
        period=f"{date_format(update.period_start, 'j M Y')} to {date_format(update.period_end, 'j M Y')}",
        ambition=_ambition(update),
        published_on=date_format(update.published_on, "j F Y"),
        author=name_of(update.author),
        narrative=linebreaksbr(update.narrative, autoescape=True),
        next_steps=linebreaksbr(update.next_steps, autoescape=True) if update.next_steps else "",
        last_change_line=update.last_change_line,
        edit_url=reverse("goals:update_edit", args=[update.pk]),
        history_url=reverse("goals:update_history", args=[update.pk]),
    )


def evidence_card(item):
    """`item` with its ambition and collaborative (select_related) and its last change (with_last_change) at hand."""
    return EvidenceCard(
        pk=item.pk,
        title=item.title,
        kind_label=item.get_kind_display(),
        date=date_format(item.date, "j F Y"),
        ambition=_ambition(item),
        collaborative=item.collaborative.name if item.collaborative_id else "",
        collaborative_url=reverse("goals:collaborative_detail", args=[item.collaborative_id]) if item.collaborative_id else "",
        summary=linebreaksbr(item.summary, autoescape=True),
        link=item.link,
        attachment_name=item.attachment_name if item.attachment else "",
        attachment_url=reverse("goals:evidence_file", args=[item.pk]) if item.attachment else "",
        last_change_line=item.last_change_line,
        edit_url=reverse("goals:evidence_edit", args=[item.pk]),
        history_url=reverse("goals:evidence_history", args=[item.pk]),
    )


@dataclass(frozen=True)
class MeasureLine:
    measure: Measure  # without its points: the analysis holds what is shown of them
    analysis: Analysis
    url: str
    latest: str  # "Latest: 12.3 falls per 1000 bed days (Nov 2026); target 10"; "" before its first value


def measure_line(measure):
    """`measure` with its points at hand (Measure.objects.with_points())."""
    analysis = analyse_measure(measure)
    latest = ""
    if analysis.latest:
        latest = f"Latest: {measure.shown(analysis.latest.value)} {measure.unit} ({date_format(analysis.latest.date, 'M Y')})"
        if measure.target is not None:
            latest += f"; target {measure.shown(measure.target)}"
    return MeasureLine(measure.without_points(), analysis, reverse("goals:measure_detail", args=[measure.pk]), latest)
