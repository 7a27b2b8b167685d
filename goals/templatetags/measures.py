from django import template

register = template.Library()


@register.filter
def shown(value, measure):
    """A figure of `measure` with its own decimal places: {{ point.value|shown:measure }}."""
    return measure.shown(value)
