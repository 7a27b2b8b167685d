def wants_fragment(request):
    """True when htmx asked for part of a page: not for boosted links or a history restore, which need it all."""
    htmx = request.htmx
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request
