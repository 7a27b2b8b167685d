from functools import partial
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET, require_http_methods

from improvement.freshness import page_stamp
from improvement.htmx import wants_fragment
from improvement.roles import allowed

from .charts import POINT_LABELS, analyse_measure, spc_figure
from .forms import EditConflict, EvidenceForm, MeasureForm, MeasureImportForm, MeasurePointForm, ProgressUpdateForm, RebaseForm
from .history import change_log
from .measure_import import import_points
from . import programme
from .periods import parse_year
from .models import (
    Ambition, Event, EvidenceItem, EvidenceKind, Goal, LeanEvent, Measure, MeasurePoint, ProgressUpdate, Strategy,
)


def _current_strategy():
    return Strategy.objects.current()


def _goal(number):
    return get_object_or_404(Goal.objects.select_related("strategy"), strategy=_current_strategy(), number=number)


@require_GET
@allowed("goals.view_goal", "goals.view_progressupdate", "goals.view_evidenceitem")
def overview(request):
    strategy = _current_strategy()
    goals = Goal.objects.filter(strategy=strategy).for_overview() if strategy else Goal.objects.none()
    return render(request, "goals/overview.html", {"strategy": strategy, "goals": goals})


GOAL_PAGE_EVIDENCE = 20  # the newest; the rest are one link away, on the filtered evidence list
GOAL_PAGE_UPDATES = 10


@require_GET
@allowed("goals.view_goal", "goals.view_progressupdate", "goals.view_evidenceitem")
def goal_detail(request, number):
    stamp = page_stamp()  # first, before the data (improvement.freshness)
    goal = _goal(number)
    period = goal.strategy.period(goal.strategy.current_year())
    events = Event.objects.filter(goal=goal)
    lean_events = LeanEvent.objects.filter(goal=goal)
    # Everything below is read only when the page is not in the cache (improvement.freshness): querysets are
    # lazy by nature, the roll-ups are made lazy.
    return render(
        request,
        "goals/goal_detail.html",
        {
            "data_stamp": stamp,
            "period": period,
            "portfolio": SimpleLazyObject(partial(programme.portfolio, goal, period.first, period.last)),
            "event_counts": SimpleLazyObject(partial(programme.event_counts, events.between(period.first, period.last))),
            "event_counts_to_date": SimpleLazyObject(partial(programme.event_counts, events)),
            "waste": SimpleLazyObject(partial(programme.waste_totals, lean_events.between(period.first, period.last))),
            "waste_to_date": SimpleLazyObject(partial(programme.waste_totals, lean_events)),
            "goal": goal,
            "ambitions": goal.ambitions.all(),
            "updates": goal.updates.newest_first().select_related("ambition", "author").with_last_change()[:GOAL_PAGE_UPDATES],
            "evidence": goal.evidence.newest_first().select_related("ambition").with_last_change()[:GOAL_PAGE_EVIDENCE],
            "evidence_total": SimpleLazyObject(goal.evidence.count),
            "measures": SimpleLazyObject(lambda: [(m, analyse_measure(m)) for m in goal.measures.with_points()]),
        },
    )


def _save_inline(request, *, form, template, context, saved_partial, redirect_to):
    """The one HTMX form pattern: a plain POST redirects; an htmx POST gets the fragment to swap in."""
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                obj = form.save()
        except EditConflict as edit_conflict:
            conflict = form.accept_conflict(edit_conflict.current)
        else:
            if wants_fragment(request):
                return render(request, saved_partial, {**context, "item": obj, "just_saved": True})
            messages.success(request, f"Saved “{obj}”.")
            return redirect(redirect_to(obj))
    name = f"{template}#inline-form" if wants_fragment(request) else template
    return render(request, name, {**context, "form": form, "conflict": conflict})


@require_http_methods(["GET", "POST"])
@allowed("goals.view_goal", "goals.add_evidenceitem")
def evidence_new(request, number):
    goal = _goal(number)
    return _save_inline(
        request,
        form=EvidenceForm(request.POST or None, request.FILES or None, goal=goal),
        template="goals/item_form.html",
        context={"goal": goal, "heading": "Add evidence", "submit_label": "Save evidence", "form_id": "new-evidence", "action": reverse("goals:evidence_new", args=[number])},
        saved_partial="goals/goal_detail.html#evidence-created",
        redirect_to=lambda item: f"{reverse('goals:goal_detail', args=[number])}#evidence-{item.pk}",
    )


@require_http_methods(["GET", "POST"])
@allowed("goals.view_evidenceitem", "goals.change_evidenceitem")
def evidence_edit(request, pk):
    item = get_object_or_404(EvidenceItem.objects.select_related("goal"), pk=pk)
    goal = item.goal
    return _save_inline(
        request,
        form=EvidenceForm(request.POST or None, request.FILES or None, instance=item, goal=goal),
        template="goals/item_form.html",
        context={"goal": goal, "heading": "Edit evidence", "submit_label": "Save changes", "form_id": f"evidence-{pk}", "action": reverse("goals:evidence_edit", args=[pk])},
        saved_partial="goals/goal_detail.html#evidence-item",
        redirect_to=lambda item: f"{reverse('goals:goal_detail', args=[goal.number])}#evidence-{item.pk}",
    )


@require_http_methods(["GET", "POST"])
@allowed("goals.view_goal", "goals.add_progressupdate")
def update_new(request, number):
    goal = _goal(number)
    form = ProgressUpdateForm(request.POST or None, goal=goal)
    form.instance.author = request.user
    return _save_inline(
        request,
        form=form,
        template="goals/item_form.html",
        context={"goal": goal, "heading": "Add a progress update", "submit_label": "Save update", "form_id": "new-update", "action": reverse("goals:update_new", args=[number])},
        saved_partial="goals/goal_detail.html#update-created",
        redirect_to=lambda update: f"{reverse('goals:goal_detail', args=[number])}#update-{update.pk}",
    )


@require_http_methods(["GET", "POST"])
@allowed("goals.view_progressupdate", "goals.change_progressupdate")
def update_edit(request, pk):
    update = get_object_or_404(ProgressUpdate.objects.select_related("goal"), pk=pk)
    goal = update.goal
    return _save_inline(
        request,
        form=ProgressUpdateForm(request.POST or None, instance=update, goal=goal),
        template="goals/item_form.html",
        context={"goal": goal, "heading": "Edit progress update", "submit_label": "Save changes", "form_id": f"update-{pk}", "action": reverse("goals:update_edit", args=[pk])},
        saved_partial="goals/goal_detail.html#update-item",
        redirect_to=lambda update: f"{reverse('goals:goal_detail', args=[goal.number])}#update-{update.pk}",
    )


@require_GET
@allowed("goals.view_evidenceitem")
def evidence_history(request, pk):
    item = get_object_or_404(EvidenceItem.objects.select_related("goal"), pk=pk)
    return render(request, "goals/history.html", {"goal": item.goal, "subject": item, "log": change_log(item.history.all())})


@require_GET
@allowed("goals.view_progressupdate")
def update_history(request, pk):
    update = get_object_or_404(ProgressUpdate.objects.select_related("goal"), pk=pk)
    return render(request, "goals/history.html", {"goal": update.goal, "subject": update, "log": change_log(update.history.all())})


@require_GET
@allowed("goals.view_goal", "goals.view_ambition")
def goal_history(request, number):
    goal = _goal(number)
    log = change_log(goal.history.all()) + change_log(Ambition.history.filter(goal_id=goal.pk))
    log.sort(key=lambda entry: entry.when, reverse=True)
    return render(request, "goals/history.html", {"goal": goal, "subject": goal, "log": log})


def _measure(pk):
    return get_object_or_404(Measure.objects.select_related("goal", "ambition", "collaborative"), pk=pk)


def _measure_context(measure, stamp, **extra):
    """The measure page's context; `stamp` is the data stamp read before the measure (improvement.freshness)."""
    analysis = SimpleLazyObject(lambda: analyse_measure(measure.with_points()))  # read only when not in the cache
    annotations = []
    if measure.collaborative:
        annotations.append((measure.collaborative.started_on, f"{measure.collaborative.name} collaborative started"))
        if measure.collaborative.stepped_down_on:
            annotations.append((measure.collaborative.stepped_down_on, f"{measure.collaborative.name} collaborative stepped down"))
    return {
        "measure": measure,
        "goal": measure.goal,
        "analysis": analysis,
        "chart": SimpleLazyObject(lambda: {"figure": spc_figure(measure, analysis, annotations)}),
        "point_labels": POINT_LABELS,
        "data_stamp": stamp,
        **extra,
    }


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


EVIDENCE_PAGE_SIZE = 50


@require_GET
@allowed("goals.view_goal", "goals.view_evidenceitem")
def evidence_list(request):
    """Evidence filtered by goal, kind and strategy year: where the dashboard's counts lead."""
    strategy = _current_strategy()
    items = EvidenceItem.objects.filter(goal__strategy=strategy).select_related("goal").newest_first()
    goal, kind, year = request.GET.get("goal", ""), request.GET.get("kind", ""), request.GET.get("year", "")
    if parse_year(goal, 99):  # a goal number, checked like a year number
        items = items.filter(goal__number=int(goal))
    if kind in EvidenceKind.values:
        items = items.filter(kind=kind)
    period = None
    if strategy and parse_year(year, strategy.years):
        period = strategy.period(int(year))
        items = items.filter(date__gte=period.first, date__lte=period.last)
    page = Paginator(items, EVIDENCE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "goals/evidence_list.html", {
        "page": page, "period": period, "strategy": strategy,
        "goals": Goal.objects.filter(strategy=strategy), "kinds": EvidenceKind.choices,
        "selected": {"goal": goal, "kind": kind, "year": year},
        "years": strategy.year_choices()[:-1] if strategy else [],
        "query": urlencode({k: v for k, v in (("goal", goal), ("kind", kind), ("year", year)) if v}),
    })


@require_GET
@allowed("goals.view_evidenceitem")
def evidence_file(request, pk):
    """An evidence attachment, always as a download (never rendered inline by the browser)."""
    item = get_object_or_404(EvidenceItem, pk=pk)
    if not item.attachment:
        raise Http404("No file")
    response = FileResponse(item.attachment.open("rb"), as_attachment=True, filename=item.attachment_name or "evidence")
    response["X-Content-Type-Options"] = "nosniff"
    return response
