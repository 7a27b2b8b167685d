"""The strategy's years for apps that must not depend on goals (training): the project package is the one
place that reads across apps. They are goals.periods.Period values (year, first, last, label, as_at())."""

from django.http import Http404


def current_strategy_or_404():
    """The strategy the trust is running, for the views that have nothing to show without one."""
    from goals.models import Strategy

    strategy = Strategy.objects.current()
    if strategy is None:
        raise Http404("No strategy yet")
    return strategy


def strategy_years(today=None):
    """The current strategy's years that have started by `today` (year 1 at least), oldest first; [] without one."""
    from goals.models import Strategy

    strategy = Strategy.objects.current()
    return strategy.periods_so_far(today) if strategy else []
