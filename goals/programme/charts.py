"""Charts of the programme: Lean events' releases per strategy year."""

from improvement.core.charts import LAYOUT, NHS_BLUE, NHS_LIGHT_BLUE


def waste_figure(by_year):
    """Staff hours and money released a year, per strategy year (two bars, two axes)."""
    labels = [f"Year {period.year}" for period, _ in by_year]
    return {
        "data": [
            {"type": "bar", "x": labels, "y": [float(t.hours) for _, t in by_year], "name": "Staff hours released a year",
             "marker": {"color": NHS_BLUE}, "offsetgroup": 0},
            {"type": "bar", "x": labels, "y": [float(t.money) for _, t in by_year], "name": "Money released a year (£)",
             "marker": {"color": NHS_LIGHT_BLUE}, "offsetgroup": 1, "yaxis": "y2"},
        ],
        "layout": {
            **LAYOUT, "height": 320, "margin": {"l": 60, "r": 60, "t": 20, "b": 40}, "barmode": "group",
            "yaxis": {"title": {"text": "Hours"}, "gridcolor": "#E8EDEE"},
            "yaxis2": {"title": {"text": "£"}, "overlaying": "y", "side": "right", "showgrid": False},
        },
    }
