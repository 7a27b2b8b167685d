"""The improvement programme: collaboratives, events and Lean events, and what they add up to in a strategy year."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q, Sum

from .models import (
    EVENT_EVIDENCE_KIND, AwardOutcome, Collaborative, EventKind, EvidenceItem, EvidenceKind, LeanEvent,
)


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


def portfolio(goal, first, last):
    """Collaboratives of a goal as at the end of a period: active, stepped down (with why), started in it."""
    collaboratives = list(Collaborative.objects.filter(goal=goal, started_on__lte=last).order_by("started_on", "name"))
    return Portfolio(
        active=[c for c in collaboratives if c.stepped_down_on is None or c.stepped_down_on > last],
        stepped_down=[c for c in collaboratives if c.stepped_down_on is not None and c.stepped_down_on <= last],
        started=[c for c in collaboratives if first <= c.started_on <= last],
    )


@dataclass(frozen=True)
class EventCounts:
    by_kind: dict = field(default_factory=dict)  # kind label -> count
    attendance: int = 0
    prizes_won: int = 0
    prizes_shortlisted: int = 0
    international_talks: int = 0
    total: int = 0


def event_counts(events):
    """Counts of a queryset of events, in one query."""
    aggregates = {f"n_{kind}": Count("id", filter=Q(kind=kind)) for kind in EventKind.values}
    row = events.aggregate(
        **aggregates,
        total=Count("id"),
        attendance=Sum("attendance"),
        won=Count("id", filter=Q(kind=EventKind.AWARD, award_outcome=AwardOutcome.WON)),
        shortlisted=Count("id", filter=Q(kind=EventKind.AWARD, award_outcome=AwardOutcome.SHORTLISTED)),
        international=Count("id", filter=Q(kind=EventKind.CONFERENCE_TALK, reach="international")),
    )
    return EventCounts(
        by_kind={label: row[f"n_{kind}"] for kind, label in EventKind.choices if row[f"n_{kind}"]},
        attendance=row["attendance"] or 0,
        prizes_won=row["won"],
        prizes_shortlisted=row["shortlisted"],
        international_talks=row["international"],
        total=row["total"],
    )


@dataclass(frozen=True)
class WasteTotals:
    events: int
    hours: Decimal
    money: Decimal
    steps: int
    days: Decimal


def waste_totals(lean_events):
    row = lean_events.aggregate(
        events=Count("id"), hours=Sum("hours_released_per_year"), money=Sum("money_released_per_year"),
        steps=Sum("steps_removed"), days=Sum("days_removed"),
    )
    return WasteTotals(row["events"], row["hours"] or Decimal(0), row["money"] or Decimal(0), row["steps"] or 0,
                       row["days"] or Decimal(0))


def waste_by_year(strategy, today=None):
    """(period, WasteTotals) for each strategy year that has started, in one query."""
    periods = [strategy.period(year) for year in (strategy.years_so_far(today) or [1])]
    aggregates = {}
    for p in periods:
        in_year = Q(date__gte=p.first, date__lte=p.last)
        aggregates.update({
            f"events_{p.year}": Count("id", filter=in_year),
            f"hours_{p.year}": Sum("hours_released_per_year", filter=in_year),
            f"money_{p.year}": Sum("money_released_per_year", filter=in_year),
            f"steps_{p.year}": Sum("steps_removed", filter=in_year),
            f"days_{p.year}": Sum("days_removed", filter=in_year),
        })
    row = LeanEvent.objects.aggregate(**aggregates)
    return [
        (p, WasteTotals(row[f"events_{p.year}"], row[f"hours_{p.year}"] or Decimal(0), row[f"money_{p.year}"] or Decimal(0),
                        row[f"steps_{p.year}"] or 0, row[f"days_{p.year}"] or Decimal(0)))
        for p in periods
    ]
