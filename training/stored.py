"""The training roll-ups, stored: the Training page's figures (training.rollup) for every period the pages show,
counted when the records change instead of on the first request after any change.

Counting them takes eight aggregate queries over every completion (half a second at trust scale: 100,000
completions); the records change a few times a year, at each import. So the figures of each strategy year so far
and of the strategy to date are kept in StoredFigures:
- an import stores them in its own transaction, as its last step (training.importer): they commit with the records;
- the write hook stores them again after any other commit that wrote the records they are counted from (an admin
  correction, an erasure, the demo's generator), unless that transaction stored them itself;
- `manage.py refresh_derived`, run daily, stores them for the day: the year in progress is counted "as at" today.

Reading (`figures()`, `headline()`) is one query. A period with no stored row for its dates (another day before the
daily command has run, no strategy yet) and a transaction that has written training records and not yet committed
are counted from the records, as before: what is shown is always what counting would show.
"""

import datetime
import json
from dataclasses import asdict, astuple

from django.db import transaction
from django.utils import timezone

from goals.models import Strategy
from improvement.core.stamp import uncommitted, written

from . import rollup
from .models import CourseKindName, StoredFigures

# The records the figures are counted from (and the strategy, whose years are the periods).
SOURCES = frozenset({"training.learner", "training.completion", "training.course", "training.unit",
                     "training.feedbackresponse", "goals.strategy"})
STORED = StoredFigures._meta.label_lower


def periods(strategy, today):
    """(Period, the years counted year by year) for each period the Training page and the board show: each strategy
    year so far (with the years up to it) and the strategy to date (with every year so far)."""
    years = strategy.periods_so_far(today)
    return [(year, [y for y in years if y.year <= year.year]) for year in years] + [(strategy.period(None, today), years)]


def _years(years):
    return [[y.name, y.first.isoformat(), y.last.isoformat()] for y in years]


def _data(figures):
    """The figures as JSON stores them (lists, not tuples: compared with what is stored, they are equal when unchanged)."""
    return json.loads(json.dumps({
        "headline": asdict(figures.headline),
        "courses": [astuple(row) for row in figures.courses],
        "staff_groups": [astuple(row) for row in figures.staff_groups],
        "units": [astuple(row) for row in figures.units],
        "qi_teaching_years": [astuple(row) for row in figures.qi_teaching_years],
        "recommend": astuple(figures.recommend),
        "recommend_courses": [[name, [astuple(r) for r in per_year]] for name, per_year in figures.recommend_courses],
    }))


def _figures(data, kind_names):
    units = [rollup.UnitRow(*row) for row in data["units"]]
    return rollup.Figures(
        headline=rollup.Headline(**data["headline"]),
        courses=[rollup.Row(*row) for row in data["courses"]],
        staff_groups=[rollup.Row(*row) for row in data["staff_groups"]],
        units=units,
        coverage=rollup.facilitator_coverage(units),
        qi_teaching_years=[rollup.YearCount(*row) for row in data["qi_teaching_years"]],
        recommend=rollup.Recommend(*data["recommend"]),
        recommend_courses=[(name, [rollup.Recommend(*r) for r in per_year]) for name, per_year in data["recommend_courses"]],
        kind_names=kind_names,
    )


def store(today=None):
    """Count and keep the figures of every period shown (replacing what was kept); returns how many."""
    strategy = Strategy.objects.current()
    today = today or datetime.date.today()
    shown = [(period.first, period.last, period.as_at(today), years) for period, years in periods(strategy, today)] if strategy else []
    rows = [StoredFigures(start=start, end=end, as_at=as_at, years=_years(years), figures=_data(counted), counted_at=timezone.now())
            for (start, end, as_at, years), counted in zip(shown, rollup.figures_of(shown) if shown else [])]
    with transaction.atomic():
        kept = {(start, end, as_at): (pk, years, data)
                for pk, start, end, as_at, years, data in StoredFigures.objects.values_list("pk", "start", "end", "as_at", "years", "figures")}
        changed = [row for row in rows if kept.get((row.start, row.end, row.as_at), (None,))[1:] != (row.years, row.figures)]
        gone = [pk for dates, (pk, *_) in kept.items() if dates not in {(row.start, row.end, row.as_at) for row in rows}]
        # in place: figures that did not change are not written again (nothing to retire, no audit line)
        StoredFigures.objects.bulk_create(changed, update_conflicts=True, unique_fields=["start", "end", "as_at"],
                                          update_fields=["years", "figures", "counted_at"])
        StoredFigures.objects.filter(pk__in=gone).delete()  # another day's, or a year no longer shown
        written(StoredFigures, "changed", len(changed) + len(gone), logged=False)  # the cache retired; no one wrote it
    return len(rows)


def _stored(start, end, as_at):
    """The stored row's (years, figures) for these dates, or None when they must be counted."""
    if uncommitted(SOURCES):  # this transaction changed the records: what is stored is not yet up to date
        return None
    return StoredFigures.objects.filter(start=start, end=end, as_at=as_at).values_list("years", "figures").first()


def figures(start, end, as_at, years):
    """The Training page's figures (training.rollup.figures), as stored, or counted when none are stored for them."""
    row = _stored(start, end, as_at) if start is not None else None
    if row is not None and row[0] == _years(years):
        return _figures(row[1], CourseKindName.objects.names())
    return rollup.figures(start, end, as_at, years)


def headline(start, end, as_at):
    """The headline counts of Goal 3 (training.rollup.headline), as stored, or counted when none are stored."""
    row = _stored(start, end, as_at)
    if row is not None:
        return rollup.Headline(**row[1]["headline"])
    return rollup.headline(start, end, as_at)


def refresh_after(labels):
    """The write hook's listener: store the figures again after a commit that wrote their records, unless that
    transaction stored them itself (an import does, as its last step)."""
    if labels & SOURCES and STORED not in labels:
        store()
