import json

from django import template

from improvement.core.charts import as_text

register = template.Library()


@register.filter
def as_json(value):
    """A figure as JSON for an HTML attribute (autoescaping then makes it safe), its text escaped for plotly
    (improvement.core.charts.as_text). Not a <script>: htmx drops scripts it swaps in."""
    return json.dumps(as_text(value), separators=(",", ":"))
