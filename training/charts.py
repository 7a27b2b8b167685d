"""Charts of the Training page (plain dicts, improvement.core.charts)."""

from improvement.core.charts import GRID, LAYOUT, NHS_BLUE, NHS_DARK_BLUE


def bars(categories, series, *, axis_title="People", horizontal=False):
    """A bar chart: one bar per category for each of `series` [(name, values, colour)]."""
    data = []
    for name, values, colour in series:
        trace = {"type": "bar", "name": name, "marker": {"color": colour}}
        if horizontal:
            trace.update(y=list(categories), x=list(values), orientation="h", hovertemplate="%{y}: %{x}<extra>" + name + "</extra>")
        else:
            trace.update(x=list(categories), y=list(values), hovertemplate="%{x}: %{y}<extra>" + name + "</extra>")
        data.append(trace)
    value_axis = {"title": {"text": axis_title}, "gridcolor": GRID, "rangemode": "tozero"}
    category_axis = {"automargin": True}
    layout = {
        **LAYOUT,
        "barmode": "group",
        "height": max(320, 28 * len(categories) + 120) if horizontal else 360,
        "margin": {"l": 60, "r": 20, "t": 20, "b": 60},
        "showlegend": len(series) > 1,
    }
    if horizontal:
        layout.update(xaxis=value_axis, yaxis={**category_axis, "autorange": "reversed"})
    else:
        layout.update(yaxis=value_axis, xaxis=category_axis)
    return {"data": data, "layout": layout}


def in_year_and_to_date(rows, year_label, *, axis_title="People", horizontal=False):
    labels = [row.label for row in rows]
    return bars(
        labels,
        [(year_label, [row.in_year for row in rows], NHS_BLUE), ("To date", [row.to_date for row in rows], NHS_DARK_BLUE)],
        axis_title=axis_title,
        horizontal=horizontal,
    )
