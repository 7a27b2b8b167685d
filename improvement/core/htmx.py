"""The one HTMX pattern of the app: every form works without JavaScript, and inline with htmx."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render

from .forms import CreateOnceMixin, Refused, saved_or_conflict


def wants_fragment(request):
    """True when htmx asked for part of a page: not for boosted links or a history restore, which need it all."""
    htmx = request.htmx
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def save_inline(request, *, form, template, context, saved_partial, redirect_to, name="item", shown=None):
    """A plain POST saves and redirects; an htmx POST gets the fragment to swap in (`saved_partial`, with the saved
    record as `name`, or what `shown` makes of it), or the form again with its errors (the `inline-form` partial of `template`). A form with a
    version check (VersionedFormMixin) that finds the record changed by someone else shows what differs; a create form
    (CreateOnceMixin) creates once, however often it is posted."""
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                obj, conflict = saved_or_conflict(form, form.save_once if isinstance(form, CreateOnceMixin) else form.save)
        except Refused:
            pass  # the form's errors say why
        else:
            if conflict is None and wants_fragment(request):
                return render(request, saved_partial, {**context, name: shown(obj) if shown else obj, "just_saved": True})
            if conflict is None:
                messages.success(request, f"Saved “{obj}”.")
                return redirect(redirect_to(obj))
    template_name = f"{template}#inline-form" if wants_fragment(request) else template
    return render(request, template_name, {**context, "form": form, "conflict": conflict})


def save_page(request, *, form, template, context, message, redirect_to, save=None):
    """A form on a page of its own: a valid POST saves (`save`, else the form's own) and redirects to
    `redirect_to(saved)` with `message(saved)`; otherwise, or when someone else saved the record meanwhile (the form
    then shows what differs: VersionedFormMixin), or when `save` refuses (its errors are on the form), the form
    again. Run it inside the view's transaction."""
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            saved, conflict = saved_or_conflict(form, save)
        except Refused:
            pass  # the form's errors say why
        else:
            if conflict is None:
                messages.success(request, message(saved))
                return redirect(redirect_to(saved))
    return render(request, template, {**context, "form": form, "conflict": conflict})
