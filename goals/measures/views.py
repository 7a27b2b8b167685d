"""Measures: the list, a measure's SPC chart and data, new points, rebases and CSV imports."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from improvement.core.htmx import wants_fragment
from improvement.core.roles import allowed
from improvement.core.stamp import cached, page_stamp
from improvement.core.xlsx import xlsx_response

from .charts import POINT_LABELS, analyse_measure, line_figure, spc_figure
from .forms import MeasureForm, MeasureImportForm, MeasurePointForm, RebaseForm
from .importer import import_points
from .models import Measure, MeasurePoint


def _measure(pk):
    return get_object_or_404(Measure.objects.select_related("goal", "ambition", "collaborative"), pk=pk)


def _measure_context(measure, stamp, **extra):
    """The measure page's context; `stamp` is the data stamp read before the measure (improvement.core.stamp)."""
    analysis, figure = cached(f"measure-analysis:{measure.pk}", lambda: _analysis_and_chart(measure), stamp)
    return {
        "measure": measure,
        "goal": measure.goal,
        "analysis": analysis,
        "chart": {"figure": figure},
        "point_labels": POINT_LABELS,
        **extra,
    }


def _analysis_and_chart(measure):
    measure = measure.with_points()
    analysis = analyse_measure(measure)
    if not measure.uses_spc:  # a running total or a count at a moment: a plain line, never process limits
        return analysis, line_figure(measure, analysis.result.points)
    annotations = []
    if measure.collaborative:
        annotations.append((measure.collaborative.started_on, f"{measure.collaborative.name} collaborative started"))
        if measure.collaborative.stepped_down_on:
            annotations.append((measure.collaborative.stepped_down_on, f"{measure.collaborative.name} collaborative stepped down"))
    return analysis, spc_figure(measure, analysis, annotations)


@require_GET
@allowed("goals.view_measure")
def measure_list(request):
    measures = Measure.objects.select_related("goal").with_points()
    rows = [(measure, analyse_measure(measure)) for measure in measures]
    return render(request, "goals/measure_list.html", {"rows": rows})


@require_GET
@allowed("goals.view_measure")
def measure_detail(request, pk):
    stamp = page_stamp()
    measure = _measure(pk)
    return render(request, "goals/measure_detail.html", _measure_context(
        measure, stamp, point_form=MeasurePointForm(), rebase_form=RebaseForm(measure=measure),
    ))


@require_GET
@allowed("goals.view_measure")
def measure_xlsx(request, pk):
    """The measure's points with their SPC columns, as the page's data table shows them, as an Excel workbook."""
    measure = _measure(pk).with_points()
    analysis = analyse_measure(measure)
    rows = [[p.date, p.value, p.mean, p.lpl, p.upl, POINT_LABELS.get(p.point_type, "")] for p in analysis.result.points]
    variation = analysis.variation.label if analysis.variation else ""
    about = [["Measure", measure.name], ["Unit", measure.unit], ["Better is", measure.get_improvement_direction_display()],
             ["Target", measure.target], ["Variation", variation], ["Assurance", analysis.assurance.label if analysis.assurance else ""]]
    return xlsx_response(f"measure-{measure.pk}-{slugify(measure.name)[:60]}.xlsx", [
        ("Points", ["Date", "Value", "Mean", "Lower limit", "Upper limit", "Variation"], rows),
        ("About", ["", ""], about),
    ])


@require_http_methods(["GET", "POST"])
@allowed("goals.view_measure", "goals.add_measure")
@transaction.atomic
def measure_new(request):
    form = MeasureForm(request.POST or None, initial={"goal": request.GET.get("goal")})
    if request.method == "POST" and form.is_valid():
        measure = form.save()
        messages.success(request, f"Measure “{measure}” created. Add its data below.")
        return redirect("goals:measure_detail", measure.pk)
    return render(request, "goals/measure_form.html", {"form": form, "heading": "New measure"})


@require_http_methods(["GET", "POST"])
@allowed("goals.view_measure", "goals.change_measure")
@transaction.atomic
def measure_edit(request, pk):
    measure = get_object_or_404(Measure, pk=pk)
    form = MeasureForm(request.POST or None, instance=measure)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Measure “{measure}” saved.")
        return redirect("goals:measure_detail", measure.pk)
    return render(request, "goals/measure_form.html", {"form": form, "heading": f"Edit {measure}", "measure": measure})


def _measure_change(request, stamp, measure, form, partial, save):
    """A data point or a rebase: plain POST redirects; htmx gets a fresh form plus the redrawn analysis (out of band)."""
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            message = save(form)
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
    stamp = page_stamp()
    measure = _measure(pk)
    if measure.is_derived:
        raise PermissionDenied("A derived measure's data come from the app's own records.")

    def save(form):
        day, value = form.cleaned_data["date"], form.cleaned_data["value"]
        point, created = MeasurePoint.objects.update_or_create(measure=measure, date=day, defaults={"value": value})
        return f"{'Added' if created else 'Updated'} {value:g} for {day:%d/%m/%Y}."

    return _measure_change(request, stamp, measure, MeasurePointForm(request.POST), "point-form", save)


@require_http_methods(["POST"])
@allowed("goals.view_measure", "goals.add_rebase")
def rebase_add(request, pk):
    stamp = page_stamp()
    measure = _measure(pk)

    def save(form):
        rebase = form.save()
        return f"The limits are recalculated from {rebase.date:%d/%m/%Y}."

    return _measure_change(request, stamp, measure, RebaseForm(request.POST, measure=measure), "rebase-form", save)


@require_http_methods(["GET", "POST"])
@allowed("goals.view_measure", "goals.add_measurepoint", "goals.change_measurepoint")
def measure_import(request, pk):
    measure = get_object_or_404(Measure.objects.select_related("goal"), pk=pk)
    if measure.is_derived:
        raise PermissionDenied("A derived measure's data come from the app's own records.")
    form = MeasureImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = import_points(measure, form.cleaned_data["text"], request.user)
        if not result.errors:
            messages.success(request, f"Imported: {result.added} points added, {result.updated} updated.")
            return redirect("goals:measure_detail", measure.pk)
    return render(request, "goals/measure_import.html", {"measure": measure, "goal": measure.goal, "form": form, "result": result})
