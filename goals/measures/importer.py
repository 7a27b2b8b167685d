"""Measure data in: rows of date and value pasted from Excel or uploaded as .csv or .xlsx (read by
improvement.core.tabular), with or without a header row. All rows valid, or nothing is written.

One point per period (the measure's frequency): two rows for one period are an error; a row for a period that
already has a different value replaces it only once the user has agreed (`plan()` lists the replacements, the view
asks), and the old value stays in the point's history.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.template.defaultfilters import pluralize
from django.utils.text import capfirst

from improvement.core import tabular
from improvement.core.stamp import bulk_create, bulk_update

from .models import MeasurePoint, decimals_of, period_of

MAX_ROWS = 20_000
REPLACED_BY_IMPORT = "Replaced by an import"


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass(frozen=True)
class Replacement:
    period: str
    old: str
    new: str


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    points: dict = field(default_factory=dict)  # date -> value, every good row
    new: list = field(default_factory=list)  # MeasurePoints to add
    changed: list = field(default_factory=list)  # stored MeasurePoints given another date or value
    replacements: list[Replacement] = field(default_factory=list)
    unchanged: int = 0
    applied: bool = False

    @property
    def bad_rows(self):
        return len({error.row for error in self.errors})

    @property
    def added(self):
        return len(self.new)

    @property
    def replaced(self):
        return len(self.changed)

    def fingerprint(self):
        """The replacements as the user saw them: a confirm that no longer matches what is stored asks again."""
        return ";".join(f"{r.period}|{r.old}|{r.new}" for r in self.replacements)

    def as_text(self):
        """The good rows again, as comma-separated text: what a confirm posts back (an upload is not sent twice)."""
        return "\n".join(f"{day.isoformat()},{Decimal(repr(value)):f}" for day, value in sorted(self.points.items()))

    def summary(self):
        """"Imported: 1 point added, 2 replaced, 3 already recorded." """
        parts = [f"{self.added} point{pluralize(self.added)} added"]
        if self.replaced:
            parts.append(f"{self.replaced} replaced")
        if self.unchanged:
            parts.append(f"{self.unchanged} already recorded")
        return f"Imported: {', '.join(parts)}."


def _shown(value):
    return f"{value:,.{decimals_of(value)}f}"


def validate(rows, measure, today=None, noun="row"):
    """(points by date, errors, row number by date) from (row number, cells) rows. Every bad cell is reported by row
    and column."""
    today = today or datetime.date.today()
    points, errors, periods, row_of = {}, [], {}, {}
    for number, cells in rows:
        cells = list(cells)
        if not any(cell.strip() for cell in cells):
            continue
        while len(cells) > 2 and not cells[-1].strip():
            cells.pop()  # a copy from Excel may end rows with empty cells
        if number == 1 and tabular.looks_like_a_header(cells):
            continue
        if number > MAX_ROWS:
            errors.append(RowError(number, "", f"Too many rows: at most {MAX_ROWS:,} at a time"))
            break
        if len(cells) != 2:
            errors.append(RowError(number, "", f"Expected 2 columns (date, value), found {len(cells)}"))
            continue
        date_text, value_text = cells[0].strip(), cells[1].strip()
        day, problem = tabular.parse_date(date_text)
        if problem:
            errors.append(RowError(number, "date", f"“{date_text[:40]}”: {problem}" if date_text else problem))
        elif day > today:
            errors.append(RowError(number, "date", f"{day:%d/%m/%Y} is in the future"))
            day = None
        value, problem = tabular.parse_number(value_text)
        if problem:
            errors.append(RowError(number, "value", f"“{value_text[:40]}”: {problem}" if value_text else problem))
        if day is None or value is None:
            continue
        first = period_of(measure.frequency, day)[0]
        if first in periods:
            earlier_row, earlier_day = periods[first]
            if (earlier_day, points[earlier_day]) != (day, value):
                errors.append(RowError(number, "date", (
                    f"{capfirst(noun)} {earlier_row} already gives a value for {measure.period_name(day)}: one value per period"
                )))
            continue
        periods[first] = (number, day)
        points[day], row_of[day] = value, number
    if not points and not errors:
        errors.append(RowError(0, "", "The data has no rows"))
    return points, errors, row_of


def plan(measure, rows, today=None, noun="row"):
    """What importing the rows would do: new points, stored points replaced (to be agreed), rows already stored."""
    points, errors, row_of = validate(rows, measure, today, noun)
    result = ImportResult(errors=errors, points=points)
    if errors:
        return result
    stored, crowded = {}, set()
    first, last = period_of(measure.frequency, min(points))[0], period_of(measure.frequency, max(points))[1]
    for point in MeasurePoint.objects.filter(measure=measure, date__gte=first, date__lte=last).order_by("date"):
        start = period_of(measure.frequency, point.date)[0]
        if start in stored:
            crowded.add(start)  # stored before one point per period was the rule
        stored.setdefault(start, point)
    for day, value in sorted(points.items()):
        start = period_of(measure.frequency, day)[0]
        point = stored.get(start)
        if start in crowded:
            result.errors.append(RowError(row_of[day], "date", (
                f"{capfirst(measure.period_name(day))} already has more than one value stored: "
                "correct or delete one on the measure's page first"
            )))
        elif point is None:
            result.new.append(MeasurePoint(measure=measure, date=day, value=value))
        elif (point.date, point.value) == (day, value):
            result.unchanged += 1
        else:
            result.replacements.append(Replacement(
                measure.period_name(day), f"{_shown(point.value)} on {point.date:%d/%m/%Y}", f"{_shown(value)} on {day:%d/%m/%Y}",
            ))
            point.date, point.value = day, value
            result.changed.append(point)
    return result


def import_points(measure, rows, user, agreed=None, today=None, replace=False, noun="row"):
    """Import when every row is good and, if stored points would be replaced, the user agreed to exactly those
    (`agreed` is the fingerprint of the replacements they saw), or `replace` agrees to any (the API: a value sent
    again replaces the stored one). Returns the result; `applied` says if it was written."""
    with transaction.atomic():
        type(measure).objects.select_for_update().filter(pk=measure.pk).exists()  # imports and new points, in turn
        result = plan(measure, rows, today, noun)
        if result.errors or (result.changed and not replace and agreed != result.fingerprint()):
            return result
        bulk_create(MeasurePoint, result.new, user=user)
        bulk_update(MeasurePoint, result.changed, ["date", "value"], user=user, reason=REPLACED_BY_IMPORT)
        result.applied = True
    return result
