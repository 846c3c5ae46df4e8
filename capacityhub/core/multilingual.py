"""Multilingual record text: a field holds ``{language code: text}``; display falls back
from the requested language to the record's original language, then to any language present."""

from django import forms
from django.conf import settings
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

FORM_LANGUAGES = [code for code, _name in settings.LANGUAGES]


def current_language():
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def resolve(value, language=None, original=None):
    """Return ``(text, language)`` of ``value`` for ``language`` with the documented fallbacks."""
    if not value:
        return "", None
    if isinstance(value, str):
        return value, original
    language = language or current_language()
    for code in (language, original, settings.LANGUAGE_CODE):
        if code and value.get(code):
            return value[code], code
    for code, text in value.items():
        if text:
            return text, code
    return "", None


def clean_value(value):
    """Keep only non-empty, stripped texts in known content languages."""
    known = {code for code, _name in settings.CONTENT_LANGUAGES}
    if not isinstance(value, dict):
        return {}
    return {k: str(v).strip() for k, v in value.items() if k in known and v is not None and str(v).strip()}


class MultilingualWidget(forms.MultiWidget):
    template_name = "core/widgets/multilingual.html"

    def __init__(self, textarea=False, attrs=None):
        base = forms.Textarea(attrs={"rows": 4}) if textarea else forms.TextInput()
        widgets = {code: base.__class__(attrs=dict(base.attrs)) for code in FORM_LANGUAGES}
        super().__init__(widgets, attrs)

    def decompress(self, value):
        value = value or {}
        return [value.get(code, "") for code in FORM_LANGUAGES]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        names = dict(settings.LANGUAGES)
        for code, sub in zip(FORM_LANGUAGES, context["widget"]["subwidgets"], strict=True):
            sub["language_code"] = code
            sub["language_name"] = names[code]
            sub["attrs"]["lang"] = code
        return context


class MultilingualFormField(forms.MultiValueField):
    """One input per interface language; at least one text is required when the field is."""

    default_error_messages = {"required": _("Enter this text in at least one language.")}

    def __init__(self, *, textarea=False, max_length=None, required=True, **kwargs):
        kwargs.pop("encoder", None)
        kwargs.pop("decoder", None)
        fields = [forms.CharField(required=False, max_length=max_length) for _code in FORM_LANGUAGES]
        super().__init__(
            fields=fields,
            widget=MultilingualWidget(textarea=textarea),
            require_all_fields=False,
            required=required,
            **kwargs,
        )

    def compress(self, data_list):
        data = dict(zip(FORM_LANGUAGES, data_list or [], strict=False))
        return clean_value(data)

    def clean(self, value):
        result = super().clean(value)
        if self.required and not result:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return result or {}

    def has_changed(self, initial, data):
        return clean_value(initial or {}) != self.compress(data if isinstance(data, list) else [])


class MultilingualField(models.JSONField):
    """Record text in several languages, stored as a JSON object ``{"en": "...", "fr": "..."}``."""

    def __init__(self, *args, textarea=False, max_length=None, **kwargs):
        self.textarea = textarea
        self.text_max_length = max_length
        kwargs.setdefault("default", dict)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.textarea:
            kwargs["textarea"] = True
        if self.text_max_length:
            kwargs["max_length"] = self.text_max_length
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        defaults = {
            "form_class": MultilingualFormField,
            "textarea": self.textarea,
            "max_length": self.text_max_length,
            "required": not self.blank,
            "label": capfirst(self.verbose_name),
            "help_text": self.help_text,
        }
        defaults.update(kwargs)
        form_class = defaults.pop("form_class")
        defaults.pop("widget", None)
        return form_class(**defaults)

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        if not self.blank and not clean_value(value):
            from django.core.exceptions import ValidationError

            raise ValidationError(MultilingualFormField.default_error_messages["required"], code="required")
