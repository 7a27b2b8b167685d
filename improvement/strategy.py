"""The strategy's years for apps that must not depend on goals (training): the project package is the one
place that reads across apps. They are goals.periods.Period values (year, first, last, label, as_at())."""


def strategy_years(today=None):
    """The current strategy's years that have started by `today` (year 1 at least), oldest first; [] without one."""
    from goals.models import Strategy

    strategy = Strategy.objects.current()
    return strategy.periods_so_far(today) if strategy else []
