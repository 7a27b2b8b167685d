"""What every chart shares: NHS colours and the plotly layout they start from. A chart is plain data (a dict of
`data` and `layout`) that `templates/_chart.html` hands to plotly.js in the browser (static/js/charts.js)."""

NHS_BLUE = "#005EB8"
NHS_DARK_BLUE = "#003087"
NHS_LIGHT_BLUE = "#41B6E6"
NHS_TEXT = "#212B32"
GRID = "#E8EDEE"
LAYOUT = {
    "paper_bgcolor": "#ffffff",
    "plot_bgcolor": "#ffffff",
    "font": {"family": "Arial, sans-serif", "color": NHS_TEXT},
    "legend": {"orientation": "h", "y": -0.2},
    "hovermode": "closest",
}

# Plotly reads a subset of HTML in every text it draws (titles, names, labels, annotations, hover text): <a href> makes
# a link, <span style> styles. Stored text must be drawn as typed, so every string of a figure is escaped (plotly turns
# &lt; &gt; &amp; back into the characters), except the hover templates, which are ours and use <br> and <extra>.
OUR_MARKUP = {"hovertemplate", "texttemplate"}


def as_text(figure, key=None):
    """The figure with every string escaped for plotly, so that stored text is shown literally."""
    if isinstance(figure, dict):
        return {k: as_text(v, k) for k, v in figure.items()}
    if isinstance(figure, (list, tuple)):
        return [as_text(v, key) for v in figure]
    if isinstance(figure, str) and key not in OUR_MARKUP:
        return figure.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return figure
