"""Derived measures: figures the apps compute from their own records, stored as measure data.

A derived measure names its source in `Measure.derived_from` (a key of DERIVATIONS). `refresh()` recomputes
the month-end series of every derived measure (or those whose key starts with a prefix) and replaces the
measure's points in one transaction, so charts and the dashboard read one shape: goals' MeasurePoint.
Called after the records change (a training import, a partner saved, an event or Lean event recorded) and
by `seed_demo`; never while a page is shown.
"""

import datetime
from dataclasses import dataclass
from typing import Callable

from django.db import transaction
from django.db.models import Count, Q, Sum

from goals.periods import month_ends
from goals.models import Collaborative, Event, EventKind, LeanEvent, Measure, MeasurePoint, MeasureSource, Strategy
from partners.models import Partner
from training import rollup as training
from training.models import QI_KINDS, Completion, CourseKind, Learner

from .freshness import data_changed


def _per_month(queryset, make_filter, days, aggregate=Count, field="pk"):
    """One aggregate query: `aggregate(field)` filtered for each month-end."""
    row = queryset.aggregate(**{f"m{i}": aggregate(field, filter=make_filter(day)) for i, day in enumerate(days)})
    return [row[f"m{i}"] or 0 for i in range(len(days))]


def _month_start(day):
    return day.replace(day=1)


def _active_partners(days):
    return _per_month(Partner.objects.all(),
                      lambda d: Q(joined_on__lte=d) & (Q(left_on__isnull=True) | Q(left_on__gt=d)), days)


def _active_collaboratives(days):
    return _per_month(Collaborative.objects.all(),
                      lambda d: Q(started_on__lte=d) & (Q(stepped_down_on__isnull=True) | Q(stepped_down_on__gt=d)), days)


def _coaching_attendance(days):
    return _per_month(Event.objects.filter(kind=EventKind.COACHING_SURGERY),
                      lambda d: Q(date__gte=_month_start(d), date__lte=d), days, Sum, "attendance")


SPREAD = [EventKind.OPEN_DAY, EventKind.CONFERENCE_TALK, EventKind.AWARD, EventKind.CELEBRATION]


def _spread_events_to_date(days):
    return _per_month(Event.objects.filter(kind__in=SPREAD), lambda d: Q(date__lte=d), days)


def _hours_released_to_date(days):
    return [float(v) for v in _per_month(LeanEvent.objects.all(), lambda d: Q(date__lte=d), days, Sum, "hours_released_per_year")]


# The next two count exactly as training.rollup.headline() does (a test holds them to it), one query a series.
def _current_trained(days):
    return _per_month(Learner.objects.all(), lambda d: Q(completions__completed_on__lte=d, completions__course__kind__in=QI_KINDS)
                      & (Q(left_on__isnull=True) | Q(left_on__gt=d)), days, lambda f, filter: Count(f, filter=filter, distinct=True))


def _foundation_to_date(days):
    return _per_month(Completion.objects.all(), lambda d: Q(completed_on__lte=d, course__kind=CourseKind.FOUNDATION), days)


def _facilitator_coverage(days):
    return [training.facilitator_coverage_on(d).percent for d in days]


def _recommend_last_12_months(days):
    return [training.recommend_score(d - datetime.timedelta(days=364), d).percent for d in days]


@dataclass(frozen=True)
class Derivation:
    label: str
    series: Callable  # month-ends -> values (None: no value that month)


DERIVATIONS = {
    "goals.active_collaboratives": Derivation("QI collaboratives active at the end of each month", _active_collaboratives),
    "goals.coaching_attendance": Derivation("Coaching surgery attendance in each month", _coaching_attendance),
    "goals.spread_events_to_date": Derivation("Open days, conference talks, prizes and celebrations to date", _spread_events_to_date),
    "goals.hours_released_to_date": Derivation("Staff hours a year released by Lean events to date", _hours_released_to_date),
    "partners.active_partners": Derivation("Active quality partners at the end of each month", _active_partners),
    "training.current_trained_in_qi": Derivation("Current staff and partners trained in QI", _current_trained),
    "training.foundation_completions_to_date": Derivation("LIM Foundation completions to date", _foundation_to_date),
    "training.facilitator_coverage": Derivation("Share of CSUs with a current trained LIM facilitator (%)", _facilitator_coverage),
    "training.recommend_last_12_months": Derivation("Likely or very likely to recommend LIM training, last 12 months (%)", _recommend_last_12_months),
}
DERIVED_CHOICES = [(key, d.label) for key, d in DERIVATIONS.items()]


def refresh(prefix="", today=None):
    """Recompute the derived measures whose key starts with `prefix`; returns how many were refreshed."""
    strategy = Strategy.objects.current()
    if strategy is None:
        return 0
    today = today or datetime.date.today()
    first = strategy.start_date - datetime.timedelta(days=365)  # a year of baseline before the strategy
    days = month_ends(first, today)
    measures = Measure.objects.filter(source=MeasureSource.DERIVED, derived_from__startswith=prefix)
    with transaction.atomic():
        for measure in measures:
            derivation = DERIVATIONS.get(measure.derived_from)
            if derivation is None:
                continue
            values = derivation.series(days)
            MeasurePoint.objects.filter(measure=measure).delete()
            MeasurePoint.objects.bulk_create(
                MeasurePoint(measure=measure, date=day, value=float(value))
                for day, value in zip(days, values)
                if value is not None
            )
        data_changed()  # bulk writes send no signals
    return len(measures)


def refresh_after_commit(prefix):
    """Refresh the derived measures fed by `prefix` once the current transaction has committed."""
    transaction.on_commit(lambda: refresh(prefix))
