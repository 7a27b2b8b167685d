"""The strategy's pages: the goals, a goal's page, its evidence and progress updates (QiSG's judgements)."""

from functools import partial
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_safe

from goals.programme import rollup as programme
from goals.programme.models import Event, LeanEvent
from improvement.core.history import change_log
from improvement.core.htmx import save_inline
from improvement.core.periods import parse_year
from improvement.core.roles import allowed
from improvement.core.stamp import cached, page_stamp
from improvement.core.xlsx import xlsx_response

from .cards import evidence_card, measure_line, update_card
from .current import current_strategy_or_404
from ..search import search as search_records
from .forms import EvidenceForm, ProgressUpdateForm, SearchForm
from .models import Ambition, EvidenceItem, EvidenceKind, Goal, ProgressUpdate, Strategy


def _current_strategy():
    return Strategy.objects.current()


def _goal(number):
    return get_object_or_404(Goal.objects.select_related("strategy"), strategy=_current_strategy(), number=number)


@require_safe
@allowed("goals.view_goal", "goals.view_progressupdate", "goals.view_evidenceitem")
def overview(request):
    strategy = _current_strategy()
    goals = Goal.objects.filter(strategy=strategy).for_overview() if strategy else Goal.objects.none()
    return render(request, "goals/overview.html", {"strategy": strategy, "goals": goals})


GOAL_PAGE_EVIDENCE = 20  # the newest; the rest are one link away, on the filtered evidence list
GOAL_PAGE_UPDATES = 10


@require_safe
@allowed("goals.view_goal", "goals.view_progressupdate", "goals.view_evidenceitem")
def goal_detail(request, number):
    stamp = page_stamp()  # first, before the data (improvement.core.stamp)
    goal = _goal(number)
    period = goal.strategy.period(goal.strategy.default_year())
    to_date = goal.strategy.period(None)
    figures = cached(f"goal-figures:{goal.pk}", partial(_goal_figures, goal, period, to_date), stamp)
    goal.current_update, goal.record_counts = figures["current_update"], figures["record_counts"]  # as counted with them
    return render(request, "goals/goal_detail.html", {"period": period, "goal": goal, **figures})


def _goal_figures(goal, period, to_date):
    """What the goal page counts and lists: its status, ambitions, portfolio, events, waste released, measures'
    analyses and the cards of its newest progress updates and evidence."""
    event_counts, event_counts_to_date = Event.objects.filter(goal=goal).counts_by_period([period, to_date])
    waste, waste_to_date = LeanEvent.objects.filter(goal=goal).totals_by_period([period, to_date])
    return {
        "current_update": goal.current_update,
        "record_counts": goal.record_counts,
        "ambitions": list(goal.ambitions.all()),
        "portfolio": programme.portfolio(goal.collaboratives.all(), period),
        "event_counts": event_counts,
        "event_counts_to_date": event_counts_to_date,
        "waste": waste,
        "waste_to_date": waste_to_date,
        "updates": [update_card(u) for u in goal.updates.newest_first().select_related("ambition", "author").with_last_change()[:GOAL_PAGE_UPDATES]],
        "evidence": [evidence_card(e) for e in goal.evidence.newest_first().select_related("ambition", "collaborative").with_last_change()[:GOAL_PAGE_EVIDENCE]],
        "measures": [measure_line(m) for m in goal.measures.with_points()],
    }


@allowed("goals.view_goal", "goals.add_evidenceitem")
def evidence_new(request, number):
    goal = _goal(number)
    return save_inline(
        request,
        form=EvidenceForm(request.POST or None, request.FILES or None, goal=goal),
        template="goals/item_form.html",
        context={"goal": goal, "heading": "Add evidence", "submit_label": "Save evidence", "form_id": "new-evidence", "action": reverse("goals:evidence_new", args=[number])},
        saved_partial="goals/goal_detail.html#evidence-created",
        shown=evidence_card,
        redirect_to=lambda item: f"{reverse('goals:goal_detail', args=[number])}#evidence-{item.pk}",
    )


@require_http_methods(["GET", "HEAD", "POST"])
@allowed("goals.view_evidenceitem", "goals.change_evidenceitem")
def evidence_edit(request, pk):
    item = get_object_or_404(EvidenceItem.objects.select_related("goal"), pk=pk)
    goal = item.goal
    return save_inline(
        request,
        form=EvidenceForm(request.POST or None, request.FILES or None, instance=item, goal=goal),
        template="goals/item_form.html",
        context={"goal": goal, "heading": "Edit evidence", "submit_label": "Save changes", "form_id": f"evidence-{pk}", "action": reverse("goals:evidence_edit", args=[pk])},
        saved_partial="goals/goal_detail.html#evidence-item",
        shown=evidence_card,
        redirect_to=lambda item: f"{reverse('goals:goal_detail', args=[goal.number])}#evidence-{item.pk}",
    )


@require_http_methods(["GET", "HEAD", "POST"])
@allowed("goals.view_goal", "goals.add_progressupdate")
def update_new(request, number):
    goal = _goal(number)
    form = ProgressUpdateForm(request.POST or None, goal=goal)
    form.instance.author = request.user
    return save_inline(
        request,
        form=form,
        template="goals/item_form.html",
        context={"goal": goal, "heading": "Add a progress update", "submit_label": "Save update", "form_id": "new-update", "action": reverse("goals:update_new", args=[number])},
        saved_partial="goals/goal_detail.html#update-created",
        shown=update_card,
        redirect_to=lambda update: f"{reverse('goals:goal_detail', args=[number])}#update-{update.pk}",
    )


@require_http_methods(["GET", "HEAD", "POST"])
@allowed("goals.view_progressupdate", "goals.change_progressupdate")
def update_edit(request, pk):
    update = get_object_or_404(ProgressUpdate.objects.select_related("goal"), pk=pk)
    goal = update.goal
    return save_inline(
        request,
        form=ProgressUpdateForm(request.POST or None, instance=update, goal=goal),
        template="goals/item_form.html",
        context={"goal": goal, "heading": "Edit progress update", "submit_label": "Save changes", "form_id": f"update-{pk}", "action": reverse("goals:update_edit", args=[pk])},
        saved_partial="goals/goal_detail.html#update-item",
        shown=update_card,
        redirect_to=lambda update: f"{reverse('goals:goal_detail', args=[goal.number])}#update-{update.pk}",
    )


@require_safe
@allowed("goals.view_evidenceitem")
def evidence_history(request, pk):
    item = get_object_or_404(EvidenceItem.objects.select_related("goal"), pk=pk)
    return render(request, "goals/history.html", {"goal": item.goal, "subject": item, "log": change_log(item.history.all())})


@require_safe
@allowed("goals.view_progressupdate")
def update_history(request, pk):
    update = get_object_or_404(ProgressUpdate.objects.select_related("goal"), pk=pk)
    return render(request, "goals/history.html", {"goal": update.goal, "subject": update, "log": change_log(update.history.all())})


@require_safe
@allowed("goals.view_goal", "goals.view_ambition")
def goal_history(request, number):
    goal = _goal(number)
    log = change_log(goal.history.all()) + change_log(Ambition.history.filter(goal_id=goal.pk))
    log.sort(key=lambda entry: entry.when, reverse=True)
    return render(request, "goals/history.html", {"goal": goal, "subject": goal, "log": log})


EVIDENCE_PAGE_SIZE = 50


def _evidence_filtered(request, strategy):
    """(items, period, goal, kind): the evidence of ?goal=, ?kind= and ?year= (the default year unless asked)."""
    goal, kind = request.GET.get("goal", ""), request.GET.get("kind", "")
    period = strategy.period_asked(request.GET.get("year", ""))
    items = EvidenceItem.objects.filter(goal__strategy=strategy).in_period(period).select_related("goal").newest_first()
    if parse_year(goal, 99):  # a goal number, checked like a year number
        items = items.filter(goal__number=int(goal))
    if kind in EvidenceKind.values:
        items = items.filter(kind=kind)
    return items, period, goal, kind


@require_safe
@allowed("goals.view_goal", "goals.view_evidenceitem")
def evidence_list(request):
    """Evidence filtered by goal, kind and period (a strategy year, the default one unless asked, or to date):
    where the dashboard's counts lead."""
    strategy = current_strategy_or_404()
    items, period, goal, kind = _evidence_filtered(request, strategy)
    page = Paginator(items, EVIDENCE_PAGE_SIZE).get_page(request.GET.get("page"))
    year = str(period.year or "all")
    return render(request, "goals/evidence_list.html", {
        "page": page, "period": period, "strategy": strategy,
        "goals": Goal.objects.filter(strategy=strategy), "kinds": EvidenceKind.choices,
        "selected": {"goal": goal, "kind": kind}, "year_choices": strategy.year_choices(),
        "query": urlencode({k: v for k, v in (("goal", goal), ("kind", kind), ("year", year)) if v}),
    })


@require_safe
@allowed("goals.view_goal", "goals.view_evidenceitem")
def evidence_xlsx(request):
    """The evidence list as filtered (every page of it), as an Excel workbook."""
    strategy = current_strategy_or_404()
    items, period, goal, kind = _evidence_filtered(request, strategy)
    rows = [[item.date, item.goal.number, item.get_kind_display(), item.title, item.summary, "yes" if item.highlighted else "no",
             item.link, request.build_absolute_uri(reverse("goals:goal_detail", args=[item.goal.number])) + f"#evidence-{item.pk}"]
            for item in items]
    return xlsx_response(f"evidence-{slugify(period.name)}.xlsx", [
        (f"Evidence, {period.name}", ["Date", "Goal", "Kind", "Title", "Summary", "Highlighted in the board report", "Link", "Page"], rows),
    ])


SEARCHED = ("goals.view_goal", "goals.view_ambition", "goals.view_evidenceitem", "goals.view_progressupdate",
            "goals.view_measure", "goals.view_collaborative", "goals.view_event")


@require_safe
@allowed(*SEARCHED)
def search(request):
    """Words searched across the strategy's records (goals.search), filtered by goal, kind and year, paged."""
    stamp = page_stamp()  # first, before the data (improvement.core.stamp)
    strategy = current_strategy_or_404()
    form = SearchForm(request.GET or None, strategy=strategy)
    results = None
    if form.is_valid() and form.cleaned_data["q"]:
        data = form.cleaned_data
        asked = [data["q"], data["goal"].pk if data["goal"] else None, data["kind"], data["year"], data["page"]]
        results = cached(f"search:{asked}", partial(
            search_records, data["q"], goal=data["goal"], kind=data["kind"] or None,
            period=strategy.period_asked(data["year"]) if data["year"] else None, page=data["page"]), stamp, using="search")
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(request, "goals/search.html", {"form": form, "results": results, "query": urlencode(query)})


@require_safe
@allowed("goals.view_evidenceitem")
def evidence_file(request, pk):
    """An evidence attachment, always as a download (never rendered inline by the browser)."""
    item = get_object_or_404(EvidenceItem, pk=pk)
    if not item.attachment:
        raise Http404("No file")
    response = FileResponse(item.attachment.open("rb"), as_attachment=True, filename=item.attachment_name or "evidence")
    response["X-Content-Type-Options"] = "nosniff"
    return response
