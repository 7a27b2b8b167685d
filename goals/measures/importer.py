"""Measure data from CSV (`date,value`, header optional): all rows valid, or nothing is written."""

import csv
import datetime
import io
import math
from dataclasses import dataclass, field

from django.db import transaction

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


def parse_rows(text):
    """Yield (row number, date text, value text) from CSV text; a first row naming the columns is skipped."""
    reader = csv.reader(io.StringIO(text))
    for number, row in enumerate(reader, start=1):
        if not row or all(not cell.strip() for cell in row):
            continue
        if number == 1 and [c.strip().lower() for c in row[:2]] == ["date", "value"]:
            continue
        yield number, row


def validate(text):
    """Return (points by date, errors). Every bad row is reported, with its row number and column."""
    rows, errors = [], []
    for number, row in parse_rows(text):
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
        try:
            value = float(value_text.replace(",", ""))
            if not math.isfinite(value):
                raise ValueError
        except ValueError:
            errors.append(RowError(number, "value", f"“{value_text[:40]}” is not a number"))
            value = None
        rows.append((number, day, value))
    points, more = check_points(rows)
    errors = sorted(errors + more, key=lambda e: e.row)
    if not points and not errors:
        errors.append(RowError(0, "", "The data has no rows"))
    return points, errors


def check_points(rows, noun="row"):
    """The rules every new point meets, from a CSV, the form or the API: (points by date, errors) from
    (row, date, value) triples; a date or value already found unreadable is None and is only skipped here."""
    points, errors, seen = {}, [], {}
    today = datetime.date.today()
    for number, day, value in rows:
        if day is not None and day > today:
            errors.append(RowError(number, "date", f"{day:%d/%m/%Y} is in the future"))
            continue
        if day is None or value is None:
            continue
        if day in seen and points[day] != value:
            errors.append(RowError(number, "date", f"{day:%d/%m/%Y} already appears in {noun} {seen[day]} with another value"))
            continue
        seen.setdefault(day, number)
        points[day] = value
    return points, errors


def import_points(measure, text, user):
    points, errors = validate(text)
    if errors:
        return ImportResult(errors=errors)
    return save_points(measure, points, user)


def save_points(measure, points, user=None):
    """Write checked points (by date) all at once: a date already there gets the new value (its history keeps the
    old one); the same value again writes nothing."""
    with transaction.atomic():
        existing = {p.date: p for p in MeasurePoint.objects.select_for_update().filter(measure=measure, date__in=points)}
        changed = [p for day, p in existing.items() if p.value != points[day]]
        for p in changed:
            p.value = points[p.date]
        new = [MeasurePoint(measure=measure, date=day, value=value) for day, value in points.items() if day not in existing]
        bulk_create(MeasurePoint, new, user=user)
        bulk_update(MeasurePoint, changed, ["value"], user=user)
    return ImportResult(added=len(new), updated=len(changed))
