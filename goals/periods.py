"""Periods of the strategy (a strategy year, or the strategy to date) and month-ends: plain dates, no queries.

The one place these are worked out; everything that picks a year or walks months uses it.
"""

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class Period:
    year: int | None  # None: the strategy to date
    first: datetime.date
    last: datetime.date
    label: str

    def as_at(self, today=None):
        """The day "current" is judged on: the period's last day, or today while it runs."""
        return min(self.last, today or datetime.date.today())


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
