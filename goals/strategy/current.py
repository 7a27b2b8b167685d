from django.http import Http404

from .models import Strategy


def current_strategy_or_404():
    """The strategy the trust is running, for the views that have nothing to show without one."""
    strategy = Strategy.objects.current()
    if strategy is None:
        raise Http404("No strategy yet")
    return strategy
