"""Forms render in the NHS.UK frontend style: one renderer, one field template, for every form."""

import datetime
import re
import unicodedata
import uuid

from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db.models import Q
from django.forms.renderers import TemplatesSetting
from django.forms.utils import ErrorDict
from django.forms.widgets import Input

from . import tabular
from .history import name_of
from .models import FormToken

WIDGET_CLASSES = {
    forms.Textarea: "nhsuk-textarea",
    forms.Select: "nhsuk-select",
    forms.RadioSelect: "nhsuk-radios__input",
    forms.CheckboxInput: "nhsuk-checkboxes__input",
    forms.FileInput: "nhsuk-file-upload",
    Input: "nhsuk-input",
}


class NHSFormRenderer(TemplatesSetting):
    form_template_name = "forms/nhsuk_form.html"
    field_template_name = "forms/nhsuk_field.html"


class NHSFormMixin:
    """Adds the NHS.UK classes to widgets, and the error modifiers and aria-describedby when invalid.

    A field shows one error message, the first found, as NHS.UK advises: a NUL byte or a very long text in a link or
    an email address would otherwise get two messages under one field, both with the one error id.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            for widget_class, css in WIDGET_CLASSES.items():
                if isinstance(widget, widget_class):
                    widget.attrs["class"] = f"{css} {widget.attrs.get('class', '')}".strip()
                    break
            if isinstance(widget, forms.RadioSelect):
                _no_blank_radio(field)

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            del self.errors[name][1:]
            bound = self[name]
            widget = self.fields[name].widget
            described = [f"{bound.auto_id}-error"]
            if self.fields[name].help_text:
                described.insert(0, f"{bound.auto_id}_helptext")
            widget.attrs["aria-describedby"] = " ".join(described)
            if isinstance(widget, (Input, forms.Textarea, forms.Select)) and not isinstance(widget, forms.RadioSelect):
                css = widget.attrs.get("class", "")
                base = css.split()[0] if css else ""
                if base and f"{base}--error" not in css:
                    widget.attrs["class"] = f"{css} {base}--error"


class OwnerMixin:
    """A model form's optional `owner` field: the people who may change the record (`owner_permission`, as
    "app_label.codename"), by name; the owner is reminded when the record goes stale."""

    owner_permission = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        app_label, codename = self.owner_permission.split(".")
        field = self.fields["owner"]
        field.queryset = get_user_model().objects.filter(
            Q(is_superuser=True) | Q(groups__permissions__codename=codename, groups__permissions__content_type__app_label=app_label),
            is_active=True,
        ).distinct().order_by("first_name", "last_name", "username")
        field.label_from_instance = name_of
        field.required = False
        field.empty_label = "No owner"
        field.label = "Owner (optional)"
        field.help_text = "Reminded by email when it goes stale."


def _no_blank_radio(field):
    """Radios offer no "---------": a required choice has no blank one, an optional one calls it "None"."""
    if isinstance(field, forms.ModelChoiceField):
        field.empty_label = None if field.required else "None"
    elif isinstance(field, forms.ChoiceField):
        field.choices = [(value, "None" if value == "" and label == "---------" else label)
                         for value, label in field.choices if value != "" or not field.required]


class UKDateField(forms.DateField):
    """A date typed as 15/03/2023 (or 2023-03-15): a text field, as NHS.UK advises, not a browser date picker."""

    input_formats = ["%d/%m/%Y", "%Y-%m-%d"]
    widget = forms.DateInput(format="%d/%m/%Y", attrs={"class": "nhsuk-input nhsuk-input--width-10", "autocomplete": "off"})

    def __init__(self, **kwargs):
        kwargs["help_text"] = kwargs.get("help_text") or "For example, 15/03/2023"
        super().__init__(**kwargs)


class LoginForm(NHSFormMixin, AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # AuthenticationForm sets the username's max_length but not its validator: a longer name went on to the login
        # throttle, whose table (django-axes, username varchar(255)) refused it, a 500 on PostgreSQL.
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))


class EditConflict(Exception):
    """Someone else saved the item after this form was opened."""

    def __init__(self, current):
        super().__init__(f"{current} was changed by someone else")
        self.current = current


class VersionedFormMixin(forms.Form):
    """Optimistic editing for a model with a `version` field: the form carries the version it was opened at, and
    saving refuses (EditConflict) when the item has moved on since, so a second editor never silently overwrites
    the first. After a conflict, `accept_conflict` lists what differs and lets a second save overwrite on purpose.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def save(self, commit=True):
        """Call inside a transaction. Raises EditConflict when the stored version is not the one the form opened.
        With commit=False the record is checked (and stays locked) but left for the caller to save."""
        obj = super().save(commit=False)
        if obj.pk:
            current = type(obj).objects.select_for_update().get(pk=obj.pk)
            if self.cleaned_data.get("version") != current.version:
                raise EditConflict(current)
            obj.version = current.version + 1
        if commit:
            obj.save()
            self.save_m2m()
        return obj

    def accept_conflict(self, current):
        """After a conflict: describe what the other person changed, and let a second save overwrite it on purpose."""
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = current.version
        differences = []
        for name, field in self.fields.items():
            if field.widget.is_hidden or name not in self.cleaned_data or not hasattr(current, name):
                continue  # the version, the form's token, a choice that is not stored (repeat until)
            theirs, yours = getattr(current, name), self.cleaned_data[name]
            if theirs != yours:
                differences.append((field.label, _shown(theirs), _shown(yours)))
        last = current.last_change if hasattr(current, "last_change") else current.history.first()
        who = last.history_user if last else None
        self.add_error(None, (
            f"{name_of(who) if who else 'Someone else'} changed this while you were editing it. "
            "Their version and yours are compared below. Save again to replace theirs with yours, or cancel to keep theirs."
        ))
        return differences


def saved_or_conflict(form, save=None):
    """Run `save` (the form's own save by default) and return (what it returned, None); or, when the version check
    finds that someone else saved the record since the form was opened, (None, what differs): the form then says so
    (VersionedFormMixin.accept_conflict) and a second save overwrites theirs on purpose."""
    try:
        return (save or form.save)(), None
    except EditConflict as edit_conflict:
        return None, form.accept_conflict(edit_conflict.current)


class Refused(Exception):
    """The form was not saved; its errors say why (a record saved meanwhile already holds the name, the date...)."""


class _AlreadySaved(Exception):
    def __init__(self, obj):
        super().__init__("already saved under this form's token")
        self.obj = obj


FORM_TOKEN_DAYS = 2  # a form left open longer than this may be saved twice


class CreateOnceMixin(forms.Form):
    """A create form that creates once. It carries a one-time token (a hidden field): the same form posted twice or
    more, at once or one after another, makes one record, and every post is answered with it. A record that clashes
    with one committed meanwhile (a unique name, a date) is refused with "already exists" by its field, never a 500.
    Views call `save_once()` (save_inline does) inside their transaction."""

    once = forms.CharField(widget=forms.HiddenInput, required=False, max_length=32)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["once"].initial = uuid.uuid4().hex

    def clean_once(self):
        token = self.cleaned_data.get("once") or ""
        return token if re.fullmatch(r"[0-9a-f]{32}", token) else ""  # none, or not ours: no protection, no error

    def save_once(self, create=None):
        """Save the new record (`create()`, by default `save()`) unless this form's token already made one: then
        return that one. Raises Refused, with the form's errors set, when the record clashes with another."""
        create = create or self.save
        instance = getattr(self, "instance", None)
        token = "" if instance is not None and instance.pk else self.cleaned_data.get("once", "")
        try:
            with transaction.atomic():
                if token:
                    self._claim(token)
                obj = create()
                if token:
                    first = obj[0] if isinstance(obj, list) else obj
                    FormToken.objects.filter(token=token).update(model=first._meta.label_lower, object_id=first.pk)
        except _AlreadySaved as saved:
            return saved.obj
        except IntegrityError:
            # Committed meanwhile by someone else: the form's own checks now see it, by the field they belong to.
            self._errors = None
            self.full_clean()
            if self.is_valid():
                self.add_error(None, "This clashes with a record saved at the same moment. Check it and save again.")
            raise Refused from None
        return obj

    def full_clean(self):
        super().full_clean()
        self.earlier = None
        if self._errors:
            # Posted again after the first post saved: its own record now fails the checks (a unique name). Answer
            # with that record rather than with errors.
            token = str(self.data.get(self.add_prefix("once"), ""))
            self.earlier = _earlier(token) if re.fullmatch(r"[0-9a-f]{32}", token) else None
            if self.earlier is not None:
                self._errors = ErrorDict()
                self.cleaned_data = {"once": token}

    def _claim(self, token):
        if self.earlier is not None:
            raise _AlreadySaved(self.earlier)
        FormToken.objects.filter(created_at__lt=timezone.now() - datetime.timedelta(days=FORM_TOKEN_DAYS)).delete()
        try:
            with transaction.atomic():
                # a concurrent post of the same form waits here until the first commits, then finds its token
                FormToken.objects.create(token=token)
        except IntegrityError:
            earlier = _earlier(token)
            if earlier is None:
                raise IntegrityError("the record first saved from this form is gone") from None
            raise _AlreadySaved(earlier) from None


def _earlier(token):
    """The record the form with this token made, if it did and the record is still there."""
    made = FormToken.objects.filter(token=token).exclude(model="").first()
    return apps.get_model(made.model).objects.filter(pk=made.object_id).first() if made else None


def _shown(value):
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else str(value)


INVISIBLE = {"Cc", "Cf", "Co", "Cs", "Zl", "Zp", "Zs"}  # controls, format (bidi overrides, zero-width), spaces


def visible_characters_only(text, what):
    """For text that must read as it is (a web address): no character that is invisible or reorders what is shown,
    such as a right-to-left override that makes "evil.com/fdp.exe" look like "evil.com/exe.pdf"."""
    hidden = sorted({f"U+{ord(c):04X}" for c in text or "" if unicodedata.category(c) in INVISIBLE})
    if hidden:
        raise ValidationError(f"{what} contains invisible characters ({', '.join(hidden)}): type it again")
    return text


def not_in_future(day, what):
    """The one rule for dates of things that happened: today or earlier."""
    if day and day > datetime.date.today():
        raise ValidationError(f"{what} must be today or in the past")
    return day


class AmountField(forms.DecimalField):
    """A number as people type it, read by the one rule for typed numbers (core.tabular): "12,500", "£12,500.50"."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip() and "%" not in value:
            number, problem = tabular.parse_number(value)
            if problem is None:
                value = value.strip().replace("\u00a3", "", 1).replace(",", "").replace(" ", "")
        return super().to_python(value)
