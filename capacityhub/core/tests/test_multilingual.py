import pytest
from django.utils import translation

from capacityhub.core.multilingual import MultilingualFormField, clean_value, resolve


def test_resolve_prefers_requested_then_original_then_default():
    value = {"fr": "Renforcement", "es": "Fortalecimiento"}
    assert resolve(value, "es", "fr") == ("Fortalecimiento", "es")
    assert resolve(value, "en", "fr") == ("Renforcement", "fr")
    assert resolve({"ar": "نص"}, "en", None) == ("نص", "ar")
    assert resolve({}, "en", "en") == ("", None)


def test_resolve_uses_the_active_language():
    with translation.override("es"):
        assert resolve({"en": "Training", "es": "Formación"})[0] == "Formación"


def test_clean_value_drops_empty_and_unknown_languages():
    assert clean_value({"en": "  A ", "es": "", "xx": "b", "fr": None}) == {"en": "A"}


def test_required_field_needs_one_language():
    field = MultilingualFormField(required=True)
    with pytest.raises(Exception) as error:
        field.clean(["", "", ""])
    assert "at least one language" in str(error.value)
    assert field.clean(["", "Título", ""]) == {"es": "Título"}


def test_error_message_is_translated():
    field = MultilingualFormField(required=True)
    with translation.override("fr"):
        with pytest.raises(Exception) as error:
            field.clean(["", "", ""])
        assert "Saisissez ce texte dans au moins une langue." in str(error.value)
