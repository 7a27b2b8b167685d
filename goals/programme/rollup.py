"""The improvement programme: collaboratives, events and Lean events, and what they add up to in a strategy year."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper

from .models import EVENT_EVIDENCE_KIND, Collaborative, EvidenceItem, EvidenceKind, LeanEvent


def fortnightly(first, until):
    """The dates of a fortnightly series, first and (if it falls on the series) last included."""
    days = []
    day = first
    while day <= until:
        days.append(day)
        day += datetime.timedelta(days=14)
    return days


@transaction.atomic
def save_with_evidence(record, *, on_timeline, summary):
    """Save an event or Lean event and keep its evidence item (on the goal's timeline) in step with it."""
    if on_timeline:
        evidence = record.evidence or EvidenceItem(goal=record.goal)
        evidence.goal = record.goal
        evidence.kind = _evidence_kind(record)
        evidence.date = record.date
        evidence.title = record.title
        evidence.summary = summary
        evidence.collaborative = getattr(record, "collaborative", None)
        evidence.save()
        record.evidence = evidence
        record.save()
    else:
        evidence, record.evidence = record.evidence, None
        record.save()
        if evidence is not None:
            evidence.delete()
    return record


def _evidence_kind(record):
    if isinstance(record, LeanEvent):
        return EvidenceKind.DATA
    return EVENT_EVIDENCE_KIND.get(record.kind, EvidenceKind.EVENT)


@dataclass(frozen=True)
class Portfolio:
    active: list
    stepped_down: list
    started: list


def portfolio(collaboratives, period):
    """Collaboratives as at the end of a period: active, stepped down (with why), started in it; one query."""
    listed = list(collaboratives.filter(started_on__lte=period.last).annotate(
        is_active=ExpressionWrapper(Collaborative.objects.active_q(period.last), output_field=BooleanField()),
    ).order_by("started_on", "name"))
    return Portfolio(
        active=[c for c in listed if c.is_active],
        stepped_down=[c for c in listed if not c.is_active],
        started=[c for c in listed if period.contains(c.started_on)],
    )


def waste_by_year(strategy, today=None):
    """(period, WasteTotals) for each strategy year that has started, in one query."""
    periods = strategy.periods_so_far(today)
    return list(zip(periods, LeanEvent.objects.totals_by_period(periods)))
