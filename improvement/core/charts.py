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
