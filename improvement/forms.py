"""Forms render in the NHS.UK frontend style: one renderer, one field template, for every form."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.forms.renderers import TemplatesSetting
from django.forms.widgets import Input

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

