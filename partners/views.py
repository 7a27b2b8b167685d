"""Partner admins' pages. Every page but the anonymous Goal 2 figures holds personal data: never_cache (no-store)
keeps them out of browser and proxy caches."""

import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from goals.models import Strategy
from improvement.core.history import change_log
from improvement.core.htmx import save_inline, wants_fragment
from improvement.core.roles import allowed

from . import privacy
from .figures import goal2_figures, over_time_figure
from .forms import CohortForm, ContributionForm, EraseForm, LeaveForm, PartnerFilterForm, PartnerForm, PartnerRoleForm
from .models import AccessAction, Cohort, Contribution, Partner, PartnerAccessLog, PartnerRole

PAGE_SIZE = 20  # partner cards a page, as GOV.UK search pages its results: quick to scan and to draw (bench/run)


def _partner(pk):
    return get_object_or_404(Partner.objects.select_related("cohort", "learner"), pk=pk)


@never_cache
@require_safe
@allowed("partners.view_partner", "partners.view_cohort")
def partner_list(request):
    form = PartnerFilterForm(request.GET or None)
    roles = Prefetch("roles", queryset=PartnerRole.objects.select_related("collaborative"))  # one query, not two
    partners = form.filter(Partner.objects.select_related("cohort").prefetch_related(roles))
    page = Paginator(partners.order_by("full_name", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "cohorts": form.has_cohorts}
    template = "partners/partner_list.html#partner-results" if wants_fragment(request) else "partners/partner_list.html"
    return render(request, template, context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@allowed("partners.view_partner", "partners.add_partner")
def partner_new(request):
    form = PartnerForm(request.POST or None, initial={"cohort": request.GET.get("cohort")})
    return save_inline(
        request,
        form=form,
        template="partners/form.html",
        context={"heading": "Add a quality partner", "submit_label": "Save partner", "form_id": "new-partner",
                 "action": reverse("partners:partner_new"), "back_url": reverse("partners:partner_list"), "back_label": "Quality partners"},
        saved_partial="partners/partner_list.html#partner-created",
        redirect_to=lambda partner: reverse("partners:partner_detail", args=[partner.pk]),
        name="partner",
    )


@never_cache
@require_safe
@allowed("partners.view_partner")
def partner_detail(request, pk):
    partner = _partner(pk)
    PartnerAccessLog.record(request, partner, AccessAction.VIEWED)
    return render(request, "partners/partner_detail.html", {
        "partner": partner,
        "roles": partner.roles.select_related("collaborative"),
        "contributions": partner.contributions.select_related("goal", "evidence"),
        "completions": partner.learner.completions.count() if partner.learner else None,
    })


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@allowed("partners.view_partner", "partners.change_partner")
def partner_edit(request, pk):
    partner = _partner(pk)
    if partner.erased_on:
        raise Http404("This partner's personal data were erased.")
    if request.method != "POST":  # the form shows their email and phone
        PartnerAccessLog.record(request, partner, AccessAction.VIEWED, detail="edit form")
    detail_url = reverse("partners:partner_detail", args=[pk])
    return save_inline(
        request,
        form=PartnerForm(request.POST or None, instance=partner),
        template="partners/form.html",
        context={"heading": "Edit partner details", "submit_label": "Save changes", "form_id": "partner-details",
                 "action": reverse("partners:partner_edit", args=[pk]), "back_url": detail_url, "back_label": "Back to the partner"},
        saved_partial="partners/partner_detail.html#partner-details",
        redirect_to=lambda partner: detail_url,
        name="partner",
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@allowed("partners.view_partner", "partners.change_partner")
def partner_leave(request, pk):
    partner = _partner(pk)
    form = LeaveForm(request.POST if request.method == "POST" else None, partner=partner, initial={"left_on": partner.left_on})
    if request.method == "POST" and form.is_valid():
        privacy.mark_left(partner, form.cleaned_data["left_on"], request.user)
        messages.success(request, f"Marked as left on {partner.left_on:%d/%m/%Y}; their open roles end then too.")
        return redirect("partners:partner_detail", pk)
    return render(request, "partners/leave.html", {"partner": partner, "form": form})


def _partner_child(request, pk, *, form_class, heading, submit_label, form_id, url_name, created_partial):
    partner = _partner(pk)
    detail_url = reverse("partners:partner_detail", args=[pk])
    return save_inline(
        request,
        form=form_class(request.POST or None, partner=partner),
        template="partners/form.html",
        context={"partner": partner, "heading": heading, "submit_label": submit_label, "form_id": form_id,
                 "action": reverse(url_name, args=[pk]), "back_url": detail_url, "back_label": "Back to the partner"},
        saved_partial=f"partners/partner_detail.html#{created_partial}",
        redirect_to=lambda item: f"{detail_url}#{form_id.removeprefix('new-')}-{item.pk}",
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@allowed("partners.view_partner", "partners.add_partnerrole")
def role_new(request, pk):
    return _partner_child(request, pk, form_class=PartnerRoleForm, heading="Add a role", submit_label="Save role",
                          form_id="new-role", url_name="partners:role_new", created_partial="role-created")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@allowed("partners.view_partner", "partners.add_contribution")
def contribution_new(request, pk):
    return _partner_child(request, pk, form_class=ContributionForm, heading="Add a contribution", submit_label="Save contribution",
                          form_id="new-contribution", url_name="partners:contribution_new", created_partial="contribution-created")


@never_cache
@require_safe
@allowed("partners.view_partner", "partners.view_partneraccesslog")
def partner_history(request, pk):
    partner = _partner(pk)
    PartnerAccessLog.record(request, partner, AccessAction.VIEWED, "change history")
    log = (change_log(partner.history.all()) + change_log(PartnerRole.history.filter(partner_id=pk))
           + change_log(Contribution.history.filter(partner_id=pk)))
    log.sort(key=lambda entry: entry.when, reverse=True)
    access = partner.access_log.select_related("user")
    return render(request, "partners/history.html", {"partner": partner, "log": log, "access_log": access})


@never_cache
@require_safe
@allowed("partners.view_partner", "partners.export_partner")
def partner_export(request, pk, fmt):
    if fmt not in ("json", "csv"):
        raise Http404("Choose json or csv.")
    partner = _partner(pk)
    PartnerAccessLog.record(request, partner, AccessAction.EXPORTED, fmt.upper())
    data = privacy.subject_access(partner)
    filename = f"quality-partner-{partner.pk}-subject-access.{fmt}"
    if fmt == "json":
        response = HttpResponse(json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json; charset=utf-8")
    else:
        response = HttpResponse(privacy.as_csv(data), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@allowed("partners.view_partner", "partners.erase_partner")
def partner_erase(request, pk):
    partner = _partner(pk)
    if partner.erased_on:
        messages.success(request, "This partner's personal data were already erased.")
        return redirect("partners:partner_detail", pk)
    form = EraseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        privacy.erase(partner, request.user)
        messages.success(request, f"Partner {pk}'s personal data were erased. Their roles and contributions stay in the anonymous figures.")
        return redirect("partners:partner_list")
    return render(request, "partners/erase.html", {"partner": partner, "form": form})


@never_cache
@require_safe
@allowed("partners.view_cohort")
def cohort_list(request):
    cohorts = Cohort.objects.annotate(size=Count("partners")).order_by("-recruited_on", "name")
    return render(request, "partners/cohort_list.html", {"cohorts": cohorts})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@allowed("partners.view_cohort", "partners.add_cohort")
def cohort_new(request):
    list_url = reverse("partners:cohort_list")
    return save_inline(
        request,
        form=CohortForm(request.POST or None),
        template="partners/form.html",
        context={"heading": "Add a cohort", "submit_label": "Save cohort", "form_id": "new-cohort",
                 "action": reverse("partners:cohort_new"), "back_url": list_url, "back_label": "Cohorts"},
        saved_partial="partners/cohort_list.html#cohort-created",
        redirect_to=lambda cohort: f"{list_url}#cohort-{cohort.pk}",
        name="cohort",
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@allowed("partners.view_cohort", "partners.change_cohort")
def cohort_edit(request, pk):
    cohort = get_object_or_404(Cohort, pk=pk)
    list_url = reverse("partners:cohort_list")
    return save_inline(
        request,
        form=CohortForm(request.POST or None, instance=cohort),
        template="partners/form.html",
        context={"heading": f"Edit cohort {cohort.name}", "submit_label": "Save changes", "form_id": f"cohort-{pk}",
                 "action": reverse("partners:cohort_edit", args=[pk]), "back_url": list_url, "back_label": "Cohorts"},
        saved_partial="partners/cohort_list.html#cohort-item",
        redirect_to=lambda cohort: f"{list_url}#cohort-{cohort.pk}",
        name="cohort",
    )


@require_safe
@allowed("goals.view_goal")
def figures(request):
    """The partners' goal (Goal 2 of the demo) for every reader of the strategy: counts, and partners named only with their consent."""
    result = goal2_figures()
    strategy = Strategy.objects.current()
    return render(request, "partners/figures.html", {"figures": result, "over_time_figure": over_time_figure(result.over_time),
                                                     "goal": strategy.goals.fed_by("partners").first() if strategy else None})
