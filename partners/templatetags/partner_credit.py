from django import template

register = template.Library()


@register.filter
def credit(partner):
    """How a partner may be named to anyone but a partner admin: their display name only with consent."""
    return partner.credit_name
