from django import template

from improvement.core import words

register = template.Library()


@register.filter
def plural_for(noun, count):
    """{{ "coaching surgery"|plural_for:n }}: the noun as `count` of it is said ("coaching surgeries")."""
    return noun if count == 1 else words.plural(str(noun))


@register.filter
def counted(count, noun):
    """{{ n|counted:"point" }}: "1 point", "26 points"."""
    return words.counted(count, str(noun))
