"""Making Data Count charts: an SPC analysis of a measure turned into a plotly figure and icon descriptions.

The figure is plain data (a dict) for `templates/_chart.html`; plotly.js draws it in the browser.
"""

import bisect
from dataclasses import dataclass
from functools import cache

from django.templatetags.static import static

from improvement.core.charts import GRID, LAYOUT, NHS_BLUE

from . import spc

COLOURS = {  # NHSRplotthedots / Making Data Count
    spc.COMMON_CAUSE: "#7B7D7D",
    spc.SPECIAL_CAUSE_IMPROVEMENT: "#289DE0",
    spc.SPECIAL_CAUSE_CONCERN: "#FAB428",
    spc.SPECIAL_CAUSE_NEUTRAL_HIGH: "#361475",
    spc.SPECIAL_CAUSE_NEUTRAL_LOW: "#361475",
}
POINT_LABELS = {
    spc.COMMON_CAUSE: "Common cause",
    spc.SPECIAL_CAUSE_IMPROVEMENT: "Special cause: improvement",
    spc.SPECIAL_CAUSE_CONCERN: "Special cause: concern",
    spc.SPECIAL_CAUSE_NEUTRAL_HIGH: "Special cause: higher (neither better nor worse)",
    spc.SPECIAL_CAUSE_NEUTRAL_LOW: "Special cause: lower (neither better nor worse)",
}


ICONS = "vendor/making-data-count/"  # NHS England's icons, as NHSRplotthedots 0.2.2 ships them (static/)


@dataclass(frozen=True)
class Icon:
    kind: str  # CSS modifier: common, improvement, concern, neutral, pass, fail, inconsistent, none
    file: str  # the icon's SVG under static/, "" when there is none (not enough data)
    label: str  # the words shown beside it: never colour alone

    @property
    def src(self):
        """The SVG's address, as the static tag gives it ("" when there is none)."""
        return _static_url(self.file) if self.file else ""


_static_url = cache(static)  # a file's address does not change while the process runs (the manifest is read once)


def variation_icon(variation_type, direction):
    """The icon NHSRplotthedots draws (geom_ptd_icon.R): improvement and concern point up or down by the side the
    special cause is on (higher or lower values), which the improvement direction decides."""
    if variation_type is None:
        return Icon("none", "", "Not enough data for a judgement yet")
    higher = direction == "increase"
    return {
        spc.COMMON_CAUSE: Icon("common", f"{ICONS}variation/common_cause.svg", "Common cause variation: no significant change"),
        spc.SPECIAL_CAUSE_IMPROVEMENT: Icon(
            "improvement", f"{ICONS}variation/improvement_{'high' if higher else 'low'}.svg",
            f"Special cause variation: improvement ({'higher' if higher else 'lower'} values)",
        ),
        spc.SPECIAL_CAUSE_CONCERN: Icon(
            "concern", f"{ICONS}variation/concern_{'low' if higher else 'high'}.svg",
            f"Special cause variation: concern ({'lower' if higher else 'higher'} values)",
        ),
        spc.SPECIAL_CAUSE_NEUTRAL_HIGH: Icon("neutral", f"{ICONS}variation/neutral_high.svg",
                                             "Special cause variation: higher values, neither improvement nor concern"),
        spc.SPECIAL_CAUSE_NEUTRAL_LOW: Icon("neutral", f"{ICONS}variation/neutral_low.svg",
                                            "Special cause variation: lower values, neither improvement nor concern"),
    }[variation_type]


def assurance_icon(assurance_type):
    return {
        spc.CONSISTENT_PASS: Icon("pass", f"{ICONS}assurance/pass.svg", "Assurance: the target will consistently be met"),
        spc.CONSISTENT_FAIL: Icon("fail", f"{ICONS}assurance/fail.svg", "Assurance: the target will consistently not be met"),
        spc.INCONSISTENT: Icon("inconsistent", f"{ICONS}assurance/inconsistent.svg",
                               "Assurance: the target may or may not be met (it lies within the process limits)"),
        None: None,
    }[assurance_type]


@dataclass(frozen=True)
class Analysis:
    result: spc.SpcResult
    variation: Icon
    assurance: Icon | None
    rebase_dates: list  # the data dates that start a new period of limits

    @property
    def latest(self):
        return next((p for p in reversed(self.result.points) if p.value is not None), None)


def analyse_measure(measure):
    """Analyse all a measure's points (read at once for many: Measure.objects.with_points())."""
    return analyse_points(measure, measure.series, measure.rebase_dates)


def analyse_points(measure, points, rebases):
    """Analyse some of a measure's points (in date order) with its rebase dates among them."""
    points = list(points)
    dates = [p.date for p in points]
    rebase_dates = _snap_to_data(dates, rebases)
    if not points:
        empty = spc.SpcResult([], None, None)
        return Analysis(empty, variation_icon(None, measure.improvement_direction), None, [])
    result = spc.analyse(
        dates,
        [p.value for p in points],
        improvement_direction=measure.improvement_direction,
        target=measure.target,
        rebase=rebase_dates,
        fix_after_n_points=measure.fix_after_n_points,
    )
    return Analysis(
        result,
        variation_icon(result.variation_type, measure.improvement_direction),
        assurance_icon(result.assurance_type),
        rebase_dates,
    )


def _snap_to_data(dates, rebases):
    """A rebase takes effect from the first data point on or after its date (the engine needs a data date)."""
    snapped = []
    for day in rebases:
        i = bisect.bisect_left(dates, day)
        if 0 < i < len(dates):
            snapped.append(dates[i])
    return sorted(set(snapped))


def spc_figure(measure, analysis, annotations=(), height=420):
    """The XmR chart: values, mean, process limits, target, special-cause colours, rebase and event markers. Plain
    data, as plotly.js reads it (the same figure plotly's Python classes would make, without their checking of
    every property: milliseconds, not tens of them, for a board paper's twenty charts)."""
    points = analysis.result.points
    x = [p.date.isoformat() for p in points]
    data = []
    group_breaks = set(analysis.rebase_dates)

    def broken(attr):
        xs, ys = [], []
        for p in points:
            if p.date in group_breaks and xs:
                xs.append(None)
                ys.append(None)
            xs.append(p.date.isoformat())
            ys.append(getattr(p, attr))
        return xs, ys

    for attr, name, dash, colour in [("upl", "Upper process limit", "dash", "#4C6272"),
                                     ("mean", "Mean", "solid", "#212B32"),
                                     ("lpl", "Lower process limit", "dash", "#4C6272")]:
        xs, ys = broken(attr)
        data.append({"hoverinfo": "skip", "line": {"color": colour, "dash": dash, "width": 1.5}, "mode": "lines", "name": name,
                     "x": xs, "y": ys, "type": "scatter"})
    if measure.target is not None:
        data.append({"line": {"color": "#D5281B", "dash": "dot", "width": 2}, "mode": "lines",
                     "name": f"Target ({measure.shown(measure.target)})", "x": [x[0], x[-1]] if x else [],
                     "y": [measure.target] * (2 if x else 0), "type": "scatter"})
    data.append({
        "customdata": [POINT_LABELS.get(p.point_type, "") for p in points],
        "hovertemplate": "%{x|%d %b %Y}: %{y}<br>%{customdata}<extra></extra>",
        "line": {"color": "#7B7D7D", "width": 1.5},
        "marker": {"color": [COLOURS.get(p.point_type, "#7B7D7D") for p in points], "line": {"color": "#ffffff", "width": 1}, "size": 8},
        "mode": "lines+markers", "name": measure.unit or "Value", "x": x, "y": [p.value for p in points], "type": "scatter",
    })
    shapes, notes = _marks(points, [(d, "Limits recalculated") for d in analysis.rebase_dates] + list(annotations))
    layout = {
        "template": {"data": {"scatter": [{"type": "scatter"}]}},  # plotly's "none" template, as it writes it
        "margin": {"b": 40, "l": 50, "r": 20, "t": 20 + NOTE_ROW * len(notes)},
        "font": {"color": "#212B32", "family": "Arial, sans-serif"},
        "legend": {"orientation": "h", "y": -0.15},
        "yaxis": {"gridcolor": "#E8EDEE", "title": {"text": measure.unit}},
        "xaxis": {"gridcolor": "#E8EDEE"},
        "height": height + NOTE_ROW * len(notes),
        "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff", "hovermode": "closest",
    }
    if shapes:
        layout["shapes"], layout["annotations"] = shapes, notes
    return {"data": data, "layout": layout}


NOTE_ROW = 16  # px: each label above the chart has a line of its own, so no two ever print over each other


def _marks(points, marks):
    """A dotted line at each date and its label above the plot, one row per label (in date order, the earliest
    nearest the plot), anchored towards the middle of the chart so that it never runs off either side."""
    shapes, notes = [], []
    dates = [p.date for p in points]
    middle = dates[0] + (dates[-1] - dates[0]) / 2 if dates else None
    for row, (day, label) in enumerate(sorted(marks)):
        shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": day.isoformat(), "x1": day.isoformat(),
                       "y0": 0, "y1": 1, "line": {"color": "#005EB8", "width": 1, "dash": "dot"}})
        notes.append({"x": day.isoformat(), "y": 1, "xref": "x", "yref": "paper", "text": label, "showarrow": False,
                      "xanchor": "right" if middle and day > middle else "left", "yanchor": "bottom",
                      "yshift": NOTE_ROW * row, "textangle": 0, "font": {"size": 11, "color": "#005EB8"}})
    return shapes, notes


def line_figure(measure, points, height=420):
    """A running total or a count at a moment: a plain line against the target, no process limits (not SPC)."""
    values = [p for p in points if p.value is not None]
    x = [p.date.isoformat() for p in values]
    data = [{"type": "scatter", "mode": "lines+markers", "name": measure.unit or "Value", "x": x, "y": [p.value for p in values],
             "line": {"color": NHS_BLUE, "width": 2}, "marker": {"size": 6, "color": NHS_BLUE},
             "hovertemplate": "%{x|%d %b %Y}: %{y}<extra></extra>"}]
    if measure.target is not None and x:
        data.append({"type": "scatter", "mode": "lines", "name": f"Target ({measure.shown(measure.target)})", "x": [x[0], x[-1]],
                     "y": [measure.target, measure.target], "line": {"dash": "dot", "color": "#D5281B", "width": 2}})
    layout = {**LAYOUT, "height": height, "margin": {"l": 50, "r": 20, "t": 20, "b": 40},
              "yaxis": {"title": {"text": measure.unit}, "gridcolor": GRID, "rangemode": "tozero"}, "xaxis": {"gridcolor": GRID}}
    return {"data": data, "layout": layout}
