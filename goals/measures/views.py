"""Measures: the list, a measure's SPC chart and data, new points, rebases and CSV imports; points and rebases
corrected and deleted, with why, in their history."""

from dataclasses import dataclass
from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_safe

from improvement.core.forms import Refused
from improvement.core.htmx import save_page, wants_fragment
from improvement.core.roles import allowed
from improvement.core.stamp import cached, page_stamp
from improvement.core.xlsx import xlsx_response

from .charts import POINT_LABELS, analyse_measure, line_figure, spc_figure
from .datalog import data_changes
from .forms import MeasureForm, MeasureImportForm, MeasurePointForm, PointCorrectionForm, RebaseCorrectionForm, RebaseForm, WhyForm
from .importer import import_points
from .models import Measure, MeasurePoint, Rebase, decimals_of

DERIVED_REFUSED = "A derived measure's data come from the app's own records."


def _measure(pk):
    return get_object_or_404(Measure.objects.select_related("goal", "ambition", "collaborative"), pk=pk)


def _entered_measure(pk):
    """A measure whose data people type: a derived measure's come from the app's own records, never by hand."""
    measure = _measure(pk)
    if measure.is_derived:
        raise PermissionDenied(DERIVED_REFUSED)
    return measure


def _lock(measure):
    """Changes to one measure's data, in turn: each one checks "one point per period" against what the one before
    it committed (the check and the write are in one transaction, behind this lock)."""
    Measure.objects.select_for_update().filter(pk=measure.pk).exists()


def _typed(measure, value):
    return measure.shown(value, decimals_of(value))


@dataclass(frozen=True)
class DataRow:
    """A row of the measure page's data table, as shown: a stored point beside its analysis."""

    date: str
    value: str
    mean: str
    lower_limit: str
    upper_limit: str
    variation: str
    correct_url: str
    delete_url: str


def _measure_context(measure, stamp, **extra):
    """The measure page's context; `stamp` is the data stamp read before the measure (improvement.core.stamp)."""
    rebases = list(measure.rebases.order_by("date"))
    measure.rebase_dates = [rebase.date for rebase in rebases]  # what the analysis reads, without a second query
    analysis, figure, rows, decimals = cached(f"measure-page:{measure.pk}", partial(_measure_figures, measure), stamp)
    measure.shown_decimals = decimals  # as its points give it, without reading them again
    return {
        "measure": measure,
        "goal": measure.goal,
        "analysis": analysis,
        "rows": rows,
        "rebases": rebases,
        "data_log": cached(f"measure-data-log:{measure.pk}", partial(data_changes, measure), stamp),
        "chart": {"figure": figure},
        **extra,
    }


def _data_rows(measure, analysis):
    """The stored points (in date order, as the analysis has them) as the data table shows them."""
    return [
        DataRow(date_format(point.date, "j M Y"), measure.shown(point.value), measure.shown(point.mean),
                measure.shown(point.lpl), measure.shown(point.upl), POINT_LABELS.get(point.point_type, ""),
                reverse("goals:point_edit", args=[measure.pk, stored.pk]), reverse("goals:point_delete", args=[measure.pk, stored.pk]))
        for stored, point in zip(measure.series, analysis.result.points)
    ]


def _measure_figures(measure):
    """The analysis, its chart, the data table's rows and the decimals shown."""
    analysis = analyse_measure(measure)
    extra = (_data_rows(measure, analysis), measure.shown_decimals)
    if not measure.uses_spc:  # a running total or a count at a moment: a plain line, never process limits
        return analysis, line_figure(measure, analysis.result.points), *extra
    annotations = []
    if measure.collaborative:
        annotations.append((measure.collaborative.started_on, f"{measure.collaborative.name} collaborative started"))
        if measure.collaborative.stepped_down_on:
            annotations.append((measure.collaborative.stepped_down_on, f"{measure.collaborative.name} collaborative stepped down"))
    return analysis, spc_figure(measure, analysis, annotations), *extra


@require_safe
@allowed("goals.view_measure")
def measure_list(request):
    measures = Measure.objects.select_related("goal").with_points()
    rows = [(measure, analyse_measure(measure)) for measure in measures]
    return render(request, "goals/measure_list.html", {"rows": rows})


@require_safe
@allowed("goals.view_measure")
def measure_detail(request, pk):
    stamp = page_stamp()
    measure = _measure(pk)
    return render(request, "goals/measure_detail.html", _measure_context(
        measure, stamp, point_form=MeasurePointForm(), rebase_form=RebaseForm(measure=measure),
    ))


@require_safe
@allowed("goals.view_measure")
def measure_xlsx(request, pk):
    """The measure's points with their SPC columns, as the page's data table shows them, as an Excel workbook."""
    measure = _measure(pk)
    analysis = analyse_measure(measure)
    rows = [[p.date, p.value, p.mean, p.lpl, p.upl, POINT_LABELS.get(p.point_type, "")] for p in analysis.result.points]
    variation = analysis.variation.label if analysis.variation else ""
    about = [["Measure", measure.name], ["Unit", measure.unit], ["Better is", measure.get_improvement_direction_display()],
             ["Target", measure.target], ["Variation", variation], ["Assurance", analysis.assurance.label if analysis.assurance else ""]]
    return xlsx_response(f"measure-{measure.pk}-{slugify(measure.name)[:60]}.xlsx", [
        ("Points", ["Date", "Value", "Mean", "Lower limit", "Upper limit", "Variation"], rows),
        ("About", ["", ""], about),
    ])


@require_http_methods(["GET", "HEAD", "POST"])
@allowed("goals.view_measure", "goals.add_measure")
@transaction.atomic
def measure_new(request):
    form = MeasureForm(request.POST or None, initial={"goal": request.GET.get("goal")})
    return save_page(
        request, form=form, template="goals/measure_form.html", context={"heading": "New measure"}, save=form.save_once,
        message=lambda saved: f"Measure “{saved}” created. Add its data below.", redirect_to=_measure_page,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@allowed("goals.view_measure", "goals.change_measure")
@transaction.atomic
def measure_edit(request, pk):
    measure = get_object_or_404(Measure, pk=pk)
    return save_page(
        request, form=MeasureForm(request.POST or None, instance=measure), template="goals/measure_form.html",
        context={"heading": f"Edit {measure}", "measure": measure},
        message=lambda saved: f"Measure “{saved}” saved.", redirect_to=_measure_page,
    )


def _measure_page(measure):
    return reverse("goals:measure_detail", args=[measure.pk])


def _measure_change(request, stamp, measure, form, partial, save):
    """A data point or a rebase: plain POST redirects; htmx gets a fresh form plus the redrawn analysis (out of band).
    `save` returns the message to show, or None to show the form again (a question it has put on the form)."""
    message = None
    if request.method == "POST":
        try:
            with transaction.atomic():
                _lock(measure)
                if form.is_valid():
                    message = save(form)
        except Refused:
            pass
    if message is not None:
        if not wants_fragment(request):
            messages.success(request, message)
            return redirect("goals:measure_detail", measure.pk)
        stamp = page_stamp()  # after the commit: the new stamp
        measure = _measure(measure.pk)
        context = _measure_context(measure, stamp, point_form=MeasurePointForm(), rebase_form=RebaseForm(measure=measure),
                                   saved_message=message, form_saved=partial.split("-")[0], oob=True)
        return render(request, f"goals/measure_detail.html#{partial}-saved", context)
    context = _measure_context(measure, stamp, point_form=MeasurePointForm(), rebase_form=RebaseForm(measure=measure))
    context[f"{partial.split('-')[0]}_form"] = form
    name = f"goals/measure_detail.html#{partial}" if wants_fragment(request) else "goals/measure_detail.html"
    return render(request, name, context)


@require_http_methods(["POST"])
@allowed("goals.view_measure", "goals.add_measurepoint", "goals.change_measurepoint")
def point_add(request, pk):
    """One point per period: a second value for a period that has one is saved only once the user has agreed to
    replace that one (the old value stays in the point's history)."""
    stamp = page_stamp()
    measure = _entered_measure(pk)

    def save(form):
        day, value = form.cleaned_data["date"], form.cleaned_data["value"]
        existing = MeasurePoint.objects.in_period_of(measure, day).first()
        if existing is None:
            MeasurePoint.objects.create(measure=measure, date=day, value=value)
            return f"Added {_typed(measure, value)} for {day:%d/%m/%Y}."
        period = measure.period_name(day)
        old, new = _typed(measure, existing.value), _typed(measure, value)
        if (existing.date, existing.value) == (day, value):
            return f"{new} for {day:%d/%m/%Y} is already recorded: nothing changed."
        if form.cleaned_data["replaces"] != existing.pk:
            form.confirm = {"period": period, "old": old, "old_date": existing.date, "new": new, "replaces": existing.pk,
                            "date": day.strftime("%d/%m/%Y"), "value": repr(value)}
            return None
        existing.date, existing.value = day, value
        existing._change_reason = f"Replaced by a second value for {period}"[:100]
        existing.save()
        return f"Replaced {old} with {new} for {period}."

    return _measure_change(request, stamp, measure, MeasurePointForm(request.POST), "point-form", save)


def _correction(request, stamp, measure, form, *, heading, submit_label, save, deleting=False):
    """Correct or delete a point or a rebase: a page of its own without JavaScript; with htmx the form opens under
    the data table and, once saved, the analysis is redrawn (out of band)."""
    message = None
    if request.method == "POST":
        with transaction.atomic():
            _lock(measure)
            if form.is_valid():
                message = save(form)
    if message is not None:
        if not wants_fragment(request):
            messages.success(request, message)
            return redirect("goals:measure_detail", measure.pk)
        stamp = page_stamp()  # after the commit: the new stamp
        context = _measure_context(_measure(measure.pk), stamp, saved_message=message, oob=True)
        return render(request, "goals/measure_detail.html#data-change-saved", context)
    context = {"measure": measure, "goal": measure.goal, "form": form, "heading": heading, "submit_label": submit_label,
               "action": request.path, "deleting": deleting}
    name = "goals/measure_change.html#data-change" if wants_fragment(request) else "goals/measure_change.html"
    return render(request, name, context)


def _why(form):
    return form.cleaned_data["why"]


@require_http_methods(["GET", "HEAD", "POST"])
@allowed("goals.view_measure", "goals.change_measurepoint")
def point_edit(request, pk, point_pk):
    stamp = page_stamp()
    measure = _entered_measure(pk)
    point = get_object_or_404(MeasurePoint, pk=point_pk, measure=measure)
    was = f"{_typed(measure, point.value)} on {point.date:%d/%m/%Y}"

    def save(form):
        point = form.save(commit=False)
        point._change_reason = _why(form)
        point.save()
        return f"Corrected {was} to {_typed(measure, point.value)} on {point.date:%d/%m/%Y}."

    form = PointCorrectionForm(request.POST or None, instance=point)
    return _correction(request, stamp, measure, form, heading=f"Correct the point of {point.date:%d/%m/%Y}",
                       submit_label="Save the correction", save=save)


@require_http_methods(["GET", "HEAD", "POST"])
@allowed("goals.view_measure", "goals.delete_measurepoint")
def point_delete(request, pk, point_pk):
    stamp = page_stamp()
    measure = _entered_measure(pk)
    point = get_object_or_404(MeasurePoint, pk=point_pk, measure=measure)
    was = f"{_typed(measure, point.value)} on {point.date:%d/%m/%Y}"

    def save(form):
        point._change_reason = _why(form)
        point.delete()
        return f"Deleted {was}. It is kept in the history of the data."

    return _correction(request, stamp, measure, WhyForm(request.POST or None, prefix="delete"),
                       heading=f"Delete the point {was}", submit_label="Delete the point", save=save, deleting=True)


@require_http_methods(["GET", "HEAD", "POST"])
@allowed("goals.view_measure", "goals.change_rebase")
def rebase_edit(request, pk, rebase_pk):
    stamp = page_stamp()
    measure = _measure(pk)
    rebase = get_object_or_404(Rebase, pk=rebase_pk, measure=measure)
    was = rebase.date

    def save(form):
        rebase = form.save(commit=False)
        rebase._change_reason = _why(form)
        rebase.save()
        return f"Corrected the recalculation of the limits from {was:%d/%m/%Y}: now from {rebase.date:%d/%m/%Y}."

    form = RebaseCorrectionForm(request.POST or None, instance=rebase)
    return _correction(request, stamp, measure, form, heading=f"Correct the recalculation from {was:%d/%m/%Y}",
                       submit_label="Save the correction", save=save)


@require_http_methods(["GET", "HEAD", "POST"])
@allowed("goals.view_measure", "goals.delete_rebase")
def rebase_delete(request, pk, rebase_pk):
    stamp = page_stamp()
    measure = _measure(pk)
    rebase = get_object_or_404(Rebase, pk=rebase_pk, measure=measure)
    was = rebase.date

    def save(form):
        rebase._change_reason = _why(form)
        rebase.delete()
        return f"The limits are no longer recalculated from {was:%d/%m/%Y}. The rebase is kept in the history of the data."

    return _correction(request, stamp, measure, WhyForm(request.POST or None, prefix="delete"),
                       heading=f"Delete the recalculation from {was:%d/%m/%Y}", submit_label="Delete the recalculation",
                       save=save, deleting=True)


@require_http_methods(["POST"])
@allowed("goals.view_measure", "goals.add_rebase")
def rebase_add(request, pk):
    stamp = page_stamp()
    measure = _measure(pk)

    def save(form):
        rebase = form.save_once()
        return f"The limits are recalculated from {rebase.date:%d/%m/%Y}."

    return _measure_change(request, stamp, measure, RebaseForm(request.POST, measure=measure), "rebase-form", save)


@require_http_methods(["GET", "HEAD", "POST"])
@allowed("goals.view_measure", "goals.add_measurepoint", "goals.change_measurepoint")
def measure_import(request, pk):
    measure = _entered_measure(pk)
    form = MeasureImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = import_points(measure, form.cleaned_data["rows"], request.user, agreed=form.cleaned_data["agreed"] or None)
        if result.applied:
            messages.success(request, result.summary())
            return redirect("goals:measure_detail", measure.pk)
    return render(request, "goals/measure_import.html", {"measure": measure, "goal": measure.goal, "form": form, "result": result})
