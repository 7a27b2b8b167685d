"""The strategy's years as plain dates, for apps that must not depend on goals (training): the project
package is the one place that reads across apps."""

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class StrategyYear:
    number: int
    start: datetime.date
    end: datetime.date
    label: str

    def as_at(self, today=None):
        """The day "current" is judged on for this year: its last day, or today while it runs."""
        return min(self.end, today or datetime.date.today())


def strategy_years(today=None):
    """The current strategy's years that have started by `today` (year 1 at least), oldest first; [] without a strategy."""
    from goals.models import Strategy

    today = today or datetime.date.today()
    strategy = Strategy.objects.order_by("-start_date").first()
    if strategy is None:
        return []
    last = max(1, min(strategy.years, strategy.year_of(today)))
    years = []
    for number in range(1, last + 1):
        start, end = strategy.year_bounds(number)
        years.append(StrategyYear(number, start, end, strategy.year_label(number)))
    return years
