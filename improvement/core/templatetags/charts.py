import json

from django import template

register = template.Library()


@register.filter
def as_json(value):
    """JSON for an HTML attribute (autoescaping then makes it safe). Not a <script>: htmx drops scripts it swaps in."""
    return json.dumps(value, separators=(",", ":"))
