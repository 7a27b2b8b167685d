"""Measure data from CSV (`date,value`, header optional): all rows valid, or nothing is written."""

import csv
import datetime
import io
import math
from dataclasses import dataclass, field

from django.db import transaction

from improvement.core.csvfiles import reader_error
from improvement.core.stamp import bulk_create, bulk_update

from .models import MeasurePoint

MAX_ROWS = 20_000
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    added: int = 0
    updated: int = 0


def parse_date(text):
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


class Unreadable(Exception):
    def __init__(self, row, message):
        super().__init__(message)
        self.row = row


def parse_rows(text):
    """Yield (row number, cells) from CSV text; a first row naming the columns is skipped. Raises Unreadable with the
    row the reader could not read (a cell past the reader's limit, a stray quote at the end)."""
    reader = csv.reader(io.StringIO(text))
    number = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise Unreadable(number + 1, f"This row cannot be read: {reader_error(error)}") from None
        number += 1
        if not row or all(not cell.strip() for cell in row):
            continue
        if number == 1 and [c.strip().lower() for c in row[:2]] == ["date", "value"]:
            continue
        yield number, row


def validate(text):
    """Return (points by date, errors). Every bad row is reported, with its row number and column."""
    points, errors, seen = {}, [], {}
    try:
        _validate_rows(parse_rows(text), points, errors, seen)
    except Unreadable as unreadable:
        errors.append(RowError(unreadable.row, "", str(unreadable)))
    if not points and not errors:
        errors.append(RowError(0, "", "The data has no rows"))
    return points, errors


def _validate_rows(rows, points, errors, seen):
    today = datetime.date.today()
    for number, row in rows:
        if number > MAX_ROWS:
            errors.append(RowError(number, "", f"Too many rows: at most {MAX_ROWS:,} at a time"))
            break
        if len(row) != 2:
            errors.append(RowError(number, "", f"Expected 2 columns (date,value), found {len(row)}"))
            continue
        date_text, value_text = row[0].strip(), row[1].strip()
        day = parse_date(date_text)
        if day is None:
            errors.append(RowError(number, "date", f"“{date_text[:40]}” is not a real date (use 2023-03-31 or 31/03/2023)"))
        elif day > today:
            errors.append(RowError(number, "date", f"{day:%d/%m/%Y} is in the future"))
        try:
            value = float(value_text.replace(",", ""))
            if not math.isfinite(value):
                raise ValueError
        except ValueError:
            errors.append(RowError(number, "value", f"“{value_text[:40]}” is not a number"))
            continue
        if day is None or day > today:
            continue
        if day in seen and points[day] != value:
            errors.append(RowError(number, "date", f"{day:%d/%m/%Y} already appears in row {seen[day]} with another value"))
            continue
        seen.setdefault(day, number)
        points[day] = value


def import_points(measure, text, user):
    points, errors = validate(text)
    if errors:
        return ImportResult(errors=errors)
    with transaction.atomic():
        existing = {p.date: p for p in MeasurePoint.objects.select_for_update().filter(measure=measure, date__in=points)}
        changed = [p for day, p in existing.items() if p.value != points[day]]
        for p in changed:
            p.value = points[p.date]
        new = [MeasurePoint(measure=measure, date=day, value=value) for day, value in points.items() if day not in existing]
        bulk_create(MeasurePoint, new, user=user)
        bulk_update(MeasurePoint, changed, ["value"], user=user)
    return ImportResult(added=len(new), updated=len(changed))
