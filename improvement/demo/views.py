"""Views for the benchmark only (bench/run): routed when DJANGO_BENCH_URLS is on, never in production."""

from django.http import HttpResponse
from django.views.decorators.http import require_safe

from improvement.core.roles import allowed


@require_safe
@allowed("goals.view_goal")  # a permission every role holds: the floor checks one, as every page does
def bench_floor(request):
    """The benchmark's floor (bench/run): the same middleware, session, login and permission check as every
    page, and almost nothing rendered. Every page's time is judged against this one's."""
    return HttpResponse(f"ok {request.user.pk}", content_type="text/plain; charset=utf-8")


