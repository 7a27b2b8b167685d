"""The strategy's time: strategy years, the strategy to date, and month-ends. Plain dates, no queries.

The one place these are worked out: every page, figure, paper and export that picks a year or walks months uses
it. A strategy year is twelve months from the strategy's start. A period is a strategy year or the strategy to
date; a page shows one period and nothing after its last day, and while the period runs it is shown "to date".

The default year of every page is `default_year()`: the strategy year today falls in (the year in progress,
shown to date); before the strategy starts, year 1; after it ends, its last year.

`spans()` and `in_period()` are the query shapes of time: the domain's words (an *active* partner or
collaborative, a *current* learner or role, evidence *in* a period) are QuerySet methods built on them.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q


@dataclass(frozen=True)
class Period:
    year: int | None  # None: the strategy to date
    first: datetime.date
    last: datetime.date

    @property
    def name(self):
        """"Year 3", or "To date" for the whole strategy to date."""
        return f"Year {self.year}" if self.year else "To date"

    @property
    def label(self):
        """"Year 3 (Nov 2024 to Oct 2025)": what a page that shows this period says it shows."""
        if self.year is None:
            return "To date"
        return f"{self.name} ({self.first:%b %Y} to {self.last:%b %Y})"

    @property
    def in_sentence(self):
        """The label inside a sentence: "year 3 (Nov 2024 to Oct 2025)", "the strategy to date" (the months keep
        their capitals, which `|lower` took away)."""
        if self.year is None:
            return "the strategy to date"
        return f"year {self.year} ({self.first:%b %Y} to {self.last:%b %Y})"

    def running(self, today=None):
        """Under way on `today`: begun and not yet over (its figures are "to date")."""
        today = today or datetime.date.today()
        return self.first <= today <= self.last

    def as_at(self, today=None):
        """The day "current" is judged on: the period's last day, or today while it runs."""
        return min(self.last, today or datetime.date.today())

    def contains(self, day):
        return self.first <= day <= self.last


def spans(day, start, end):
    """Q: a record whose span, from its `start` field to its `end` field (empty: still going), covers `day`: begun on
    or before it and not ended by then. The one shape of every "active", "current" and "in force" word."""
    return Q(**{f"{start}__lte": day}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gt": day}))


def in_period(period, field="date"):
    """Q: `field` falls in `period`, both ends included."""
    return Q(**{f"{field}__gte": period.first, f"{field}__lte": period.last})


def add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def add_months(day, months):
    """`day` moved on `months` months (a day past the month's end falls on its last day)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return day.replace(year=year, month=month, day=min(day.day, (following - datetime.timedelta(days=1)).day))


def quarter_bounds(start, day):
    """(first day, last day) of the strategy quarter that `day` falls in: each strategy year of a strategy starting on
    `start` is four quarters of three months (QiSG meets quarterly)."""
    months = (day.year - start.year) * 12 + day.month - start.month - (1 if day.day < start.day else 0)
    quarter = months // 3
    return add_months(start, 3 * quarter), add_months(start, 3 * quarter + 3) - datetime.timedelta(days=1)


def year_bounds(start, year):
    """(first day, last day) of strategy year `year` (1-based) of a strategy starting on `start`."""
    return add_years(start, year - 1), add_years(start, year) - datetime.timedelta(days=1)


def year_of(start, day):
    """The strategy year that `day` falls in (0 before the start; may exceed the strategy's years after its end)."""
    if day < start:
        return 0
    year = day.year - start.year + 1
    if day < add_years(start, year - 1):
        year -= 1
    return year


def default_year(start, years, today=None):
    """The year every page opens on: the one today falls in, within 1..years."""
    return min(max(year_of(start, today or datetime.date.today()), 1), years)


def month_ends(first, last, whole_months=True):
    """The last day of each month from `first`'s month to `last`; a month still running at `last` is left out
    (whole_months) or ends at `last` itself."""
    ends = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        following = datetime.date(year + month // 12, month % 12 + 1, 1)
        end = following - datetime.timedelta(days=1)
        if end > last:
            if not whole_months:
                ends.append(last)
            break
        ends.append(end)
        year, month = following.year, following.month
    return ends


def parse_year(text, years):
    """A strategy year number typed in a URL (?year=3), or None: ASCII digits within 1..years only."""
    return int(text) if text.isascii() and text.isdigit() and 1 <= int(text) <= years else None
