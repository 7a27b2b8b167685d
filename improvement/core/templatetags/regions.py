"""{% scrollregion "label" %}…{% endscrollregion %}: a region that may scroll (a long or wide table), reachable and
scrollable by keyboard and named for a screen reader (axe: scrollable-region-focusable), from one template."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

register = template.Library()


class ScrollRegionNode(template.Node):
    def __init__(self, nodelist, label, css):
        self.nodelist, self.label, self.css = nodelist, label, css

    def render(self, context):
        return render_to_string("_scroll_region.html", {
            "label": self.label.resolve(context),
            "css": self.css.resolve(context) if self.css else "",
            "content": mark_safe(self.nodelist.render(context)),  # already rendered (and escaped) by its own template
        })


@register.tag
def scrollregion(parser, token):
    """{% scrollregion label [css] %}: `label` names the region; `css` adds classes to it."""
    bits = token.split_contents()
    if len(bits) not in (2, 3):
        raise template.TemplateSyntaxError("{% scrollregion label [css] %} takes a label and, optionally, classes")
    nodelist = parser.parse(("endscrollregion",))
    parser.delete_first_token()
    return ScrollRegionNode(nodelist, parser.compile_filter(bits[1]), parser.compile_filter(bits[2]) if len(bits) == 3 else None)
