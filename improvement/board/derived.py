"""Derived measures: figures the apps compute from their own records, stored as measure data.

A derived measure names its figure in `Measure.derived_from` (a DerivedFigure, checked by the database); each
figure has its series here, and the models it is counted from. `refresh()` recomputes the month-end series and
brings the stored points up to it in place (new months added, changed values updated, nothing else touched), so
charts and the dashboard read one shape: goals' MeasurePoint, with a history that holds only real changes.

Refreshed by the write hook after any commit that wrote a model a figure is counted from (improvement.core.stamp,
connected in BoardConfig.ready), and daily by `manage.py refresh_derived`, so that the series run to the last
month-end even when nothing was written; never while a page is shown.
"""

import datetime
from dataclasses import dataclass
from typing import Callable

from django.db import transaction
from django.db.models import Count, Q, Sum
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from goals.models import (
    Collaborative, DerivedFigure as F, Event, EventKind, LeanEvent, Measure, MeasurePoint, MeasureSource, Strategy,
)
from improvement.core.periods import Period, month_ends
from improvement.core.stamp import written
from partners.models import Partner
from training import rollup as training
from training.models import QI_KINDS, Completion, CourseKind, Learner


def _per_month(queryset, make_filter, days, aggregate=Count, field="pk"):
    """One aggregate query: `aggregate(field)` filtered for each month-end."""
    row = queryset.aggregate(**{f"m{i}": aggregate(field, filter=make_filter(day)) for i, day in enumerate(days)})
    return [row[f"m{i}"] or 0 for i in range(len(days))]


def _month_start(day):
    return day.replace(day=1)


def _active_partners(days):
    return _per_month(Partner.objects.all(), Partner.objects.active_q, days)


def _active_collaboratives(days):
    return _per_month(Collaborative.objects.all(), Collaborative.objects.active_q, days)


def _coaching_attendance(days):
    return _per_month(Event.objects.filter(kind=EventKind.COACHING_SURGERY),
                      lambda d: Q(date__gte=_month_start(d), date__lte=d), days, Sum, "attendance")


SPREAD = [EventKind.OPEN_DAY, EventKind.CONFERENCE_TALK, EventKind.AWARD, EventKind.CELEBRATION]


def _spread_events_to_date(days):
    return _per_month(Event.objects.filter(kind__in=SPREAD), lambda d: Q(date__lte=d), days)


def _hours_released_to_date(days):
    """As the waste totals count it: each event's latest re-measure by the month's end, else its claim."""
    totals = LeanEvent.objects.totals_by_period([Period(None, datetime.date.min, d) for d in days])
    return [float(t.hours) for t in totals]


# The next two count exactly as training.rollup.headline() does (a test holds them to it), one query a series.
def _current_trained(days):
    return _per_month(Learner.objects.all(), lambda d: Q(completions__completed_on__lte=d, completions__course__kind__in=QI_KINDS)
                      & Learner.objects.current_q(d), days, lambda f, filter: Count(f, filter=filter, distinct=True))


def _foundation_to_date(days):
    return _per_month(Completion.objects.all(), lambda d: Q(completed_on__lte=d, course__kind=CourseKind.FOUNDATION), days)


def _facilitator_coverage(days):
    return [training.facilitator_coverage_on(d).percent for d in days]


def _recommend_last_12_months(days):
    return [training.recommend_score(d - datetime.timedelta(days=364), d).percent for d in days]


@dataclass(frozen=True)
class Derivation:
    series: Callable  # month-ends -> values (None: no value that month)
    sources: frozenset  # the models it is counted from (labels)


TRAINING = frozenset({"training.learner", "training.completion", "training.course", "training.unit"})
DERIVATIONS = {
    F.ACTIVE_COLLABORATIVES: Derivation(_active_collaboratives, frozenset({"goals.collaborative"})),
    F.COACHING_ATTENDANCE: Derivation(_coaching_attendance, frozenset({"goals.event"})),
    F.SPREAD_EVENTS_TO_DATE: Derivation(_spread_events_to_date, frozenset({"goals.event"})),
    F.HOURS_RELEASED_TO_DATE: Derivation(_hours_released_to_date, frozenset({"goals.leanevent", "goals.leanremeasure"})),
    F.ACTIVE_PARTNERS: Derivation(_active_partners, frozenset({"partners.partner"})),
    F.CURRENT_TRAINED_IN_QI: Derivation(_current_trained, TRAINING),
    F.FOUNDATION_COMPLETIONS_TO_DATE: Derivation(_foundation_to_date, TRAINING),
    F.FACILITATOR_COVERAGE: Derivation(_facilitator_coverage, TRAINING),
    F.RECOMMEND_LAST_12_MONTHS: Derivation(_recommend_last_12_months, frozenset({"training.feedbackresponse", "training.course"})),
}
# Every figure a measure may name has its series: a figure without one is an error when the app starts.
assert set(DERIVATIONS) == set(F), f"figures without a series: {set(F) - set(DERIVATIONS)}"
# A derived measure itself being (re)defined refreshes it too.
MEASURES = frozenset({"goals.measure"})


def refresh(figures=None, today=None):
    """Bring the derived measures showing `figures` (all by default) up to date; returns how many."""
    strategy = Strategy.objects.current()
    if strategy is None:
        return 0
    today = today or datetime.date.today()
    first = strategy.start_date - datetime.timedelta(days=365)  # a year of baseline before the strategy
    days = month_ends(first, today)
    measures = Measure.objects.filter(source=MeasureSource.DERIVED)
    if figures is not None:
        measures = measures.filter(derived_from__in=figures)
    measures = list(measures.prefetch_related("points"))
    with transaction.atomic():
        new, changed, gone = [], [], []
        series = {}
        for measure in measures:
            if measure.derived_from not in series:
                series[measure.derived_from] = dict(zip(days, DERIVATIONS[measure.derived_from].series(days)))
            values = {day: float(value) for day, value in series[measure.derived_from].items() if value is not None}
            stored = {point.date: point for point in measure.points.all()}
            for day, value in values.items():
                point = stored.get(day)
                if point is None:
                    new.append(MeasurePoint(measure=measure, date=day, value=value))
                elif point.value != value:
                    point.value = value
                    changed.append(point)
            gone.extend(point.pk for day, point in stored.items() if day not in values)
        if new:
            bulk_create_with_history(new, MeasurePoint)
            written(MeasurePoint, "created", len(new))
        if changed:
            bulk_update_with_history(changed, MeasurePoint, ["value"])
            written(MeasurePoint, "changed", len(changed))
        if gone:
            MeasurePoint.objects.filter(pk__in=gone).delete()
    return len(measures)


def refresh_after(labels):
    """The write hook's listener: refresh the figures counted from what a transaction wrote."""
    if labels & MEASURES:
        refresh()
        return
    figures = [figure for figure, derivation in DERIVATIONS.items() if derivation.sources & labels]
    if figures:
        refresh(figures)
