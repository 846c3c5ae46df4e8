"""Administration of the interoperability data: the IATI mapping rules (edited by the Secretariat) and the
identifiers records have in the BCH."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from capacityhub.reference.choices import Vocabularies
from capacityhub.reference.models import Term

from .models import ExternalIdentifier, MappingRule


class MappingRuleForm(forms.ModelForm):
    areas = forms.MultipleChoiceField(
        label=_("thematic areas"), required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )

    class Meta:
        model = MappingRule
        fields = [
            "kind",
            "vocabulary",
            "code",
            "selects",
            "areas",
            "min_significance",
            "note",
            "active",
            "position",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].choices = [
            (term.code, str(term))
            for term in Term.objects.of(Vocabularies.THEMATIC_AREAS).order_by("position")
        ]

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind in ("keyword", "default"):
            data["vocabulary"] = ""
        elif not data.get("vocabulary"):
            self.add_error("vocabulary", _("Give the IATI vocabulary of the code (1 for OECD DAC)."))
        if not data.get("selects") and not data.get("areas"):
            self.add_error("areas", _("A rule that selects nothing must give at least one thematic area."))
        return data


@admin.register(MappingRule)
class MappingRuleAdmin(admin.ModelAdmin):
    form = MappingRuleForm
    list_display = ["code", "kind", "vocabulary", "selects", "areas", "active", "note"]
    list_filter = ["kind", "selects", "active"]
    list_editable = ["selects", "active"]
    search_fields = ["code", "note"]


@admin.register(ExternalIdentifier)
class ExternalIdentifierAdmin(admin.ModelAdmin):
    list_display = ["identifier", "system", "content_type", "object_id"]
    list_filter = ["system", "content_type"]
    search_fields = ["identifier"]
