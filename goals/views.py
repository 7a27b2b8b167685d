from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from improvement.htmx import wants_fragment
from improvement.roles import READ_STRATEGY, allowed

from .forms import EvidenceForm, ProgressUpdateForm
from .history import change_log
from .models import Ambition, EvidenceItem, Goal, ProgressUpdate, Strategy


def _current_strategy():
    return Strategy.objects.order_by("-start_date").first()


def _goal(number):
    return get_object_or_404(Goal.objects.select_related("strategy"), strategy=_current_strategy(), number=number)


@require_GET
@allowed(*READ_STRATEGY)
def overview(request):
    strategy = _current_strategy()
    goals = Goal.objects.filter(strategy=strategy).for_overview() if strategy else Goal.objects.none()
    return render(request, "goals/overview.html", {"strategy": strategy, "goals": goals})


@require_GET
@allowed(*READ_STRATEGY)
def goal_detail(request, number):
    goal = _goal(number)
    return render(
        request,
        "goals/goal_detail.html",
        {
            "goal": goal,
            "ambitions": goal.ambitions.all(),
            "updates": goal.updates.newest_first().select_related("ambition", "author").with_last_change(),
            "evidence": goal.evidence.newest_first().select_related("ambition").with_last_change(),
        },
    )


def _save_inline(request, *, form, template, context, saved_partial, redirect_to):
    """The one HTMX form pattern: a plain POST redirects; an htmx POST gets the fragment to swap in."""
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            obj = form.save()
        if wants_fragment(request):
            return render(request, saved_partial, {**context, "item": obj, "just_saved": True})
        messages.success(request, f"Saved “{obj}”.")
        return redirect(redirect_to(obj))
    name = f"{template}#inline-form" if wants_fragment(request) else template
    return render(request, name, {**context, "form": form})


@require_http_methods(["GET", "POST"])
@allowed("goals.view_goal", "goals.add_evidenceitem")
def evidence_new(request, number):
    goal = _goal(number)
    return _save_inline(
        request,
        form=EvidenceForm(request.POST or None, goal=goal),
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
        form=EvidenceForm(request.POST or None, instance=item, goal=goal),
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
