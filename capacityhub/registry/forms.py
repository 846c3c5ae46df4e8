"""Forms of the shared records, with their inline rows (countries and regions with shares,
participating organizations with roles, resource files per language)."""

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from capacityhub.core.forms import RecordForm, SharesFormSet
from capacityhub.core.uploads import validate_upload

from .models import (
    CountryProfile,
    Expert,
    Initiative,
    InitiativeCountry,
    InitiativeRegion,
    Need,
    Opportunity,
    Participation,
    Resource,
    ResourceFile,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CHECKBOXES = forms.CheckboxSelectMultiple
LANGUAGE_CHOICES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("ar", _("Arabic")),
    ("zh", _("Chinese")),
    ("ru", _("Russian")),
    ("pt", _("Portuguese")),
]


class LinksField(forms.CharField):
    """Web addresses, one per line, optionally followed by a space and a name."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(
                " ".join(filter(None, [item.get("url"), item.get("name", "")])) for item in value
            )
        return value

    def to_python(self, value):
        links = []
        validator = forms.URLField()
        for number, line in enumerate((value or "").splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            url, _sep, name = line.partition(" ")
            try:
                url = validator.clean(url)
            except forms.ValidationError as error:
                raise forms.ValidationError(
                    _("Line {number}: {url} is not a valid web address.").format(number=number, url=url)
                ) from error
            links.append({"url": url, "name": name.strip()})
        return links


class InitiativeForm(RecordForm):
    links = LinksField(
        label=_("Documents and links"),
        required=False,
        help_text=_("One web address per line, optionally followed by a name."),
    )

    class Meta:
        model = Initiative
        fields = [
            "original_language",
            "title",
            "publisher",
            "project_number",
            "iati_identifier",
            "description",
            "objectives",
            "activity_status",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "geographic_scope",
            "budget",
            "co_financing",
            "currency",
            "thematic_areas",
            "categories",
            "target_groups",
            "funding_source_types",
            "outcomes",
            "lessons_learned",
            "links",
            "contacts",
            "part_of",
        ]
        widgets = {
            "planned_start": DATE,
            "planned_end": DATE,
            "actual_start": DATE,
            "actual_end": DATE,
            "thematic_areas": CHECKBOXES,
            "categories": CHECKBOXES,
            "target_groups": CHECKBOXES,
            "funding_source_types": CHECKBOXES,
        }

    def clean_currency(self):
        import pycountry

        code = (self.cleaned_data.get("currency") or "").upper()
        if not pycountry.currencies.get(alpha_3=code):
            raise forms.ValidationError(_("{code} is not an ISO 4217 currency code.").format(code=code))
        return code


InitiativeCountryFormSet = inlineformset_factory(
    Initiative,
    InitiativeCountry,
    fields=["country", "percentage"],
    formset=SharesFormSet,
    extra=3,
    can_delete=True,
)
InitiativeCountryFormSet.prefix_name = "countries"
InitiativeCountryFormSet.legend = _("Recipient countries")
InitiativeRegionFormSet = inlineformset_factory(
    Initiative,
    InitiativeRegion,
    fields=["region", "percentage"],
    formset=SharesFormSet,
    extra=2,
    can_delete=True,
)
InitiativeRegionFormSet.prefix_name = "regions"
InitiativeRegionFormSet.legend = _("Recipient regions")
ParticipationFormSet = inlineformset_factory(
    Initiative, Participation, fields=["organization", "role"], extra=3, can_delete=True
)
ParticipationFormSet.prefix_name = "participations"
ParticipationFormSet.legend = _("Participating organizations and their roles")


class NeedForm(RecordForm):
    class Meta:
        model = Need
        fields = [
            "original_language",
            "country",
            "title",
            "description",
            "thematic_areas",
            "priority",
            "timeframe",
            "source",
            "need_status",
        ]
        widgets = {"thematic_areas": CHECKBOXES}


class OpportunityForm(RecordForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=LANGUAGE_CHOICES, required=False, widget=CHECKBOXES
    )

    class Meta:
        model = Opportunity
        fields = [
            "original_language",
            "title",
            "kind",
            "publisher",
            "providers",
            "description",
            "start_date",
            "end_date",
            "application_deadline",
            "is_online",
            "city",
            "country",
            "languages",
            "eligible_countries",
            "eligible_regions",
            "eligibility",
            "cost",
            "funding_available",
            "thematic_areas",
            "link",
        ]
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "application_deadline": DATE,
            "thematic_areas": CHECKBOXES,
        }


class ResourceForm(RecordForm):
    class Meta:
        model = Resource
        fields = [
            "original_language",
            "title",
            "resource_type",
            "publisher",
            "authors",
            "year",
            "summary",
            "thematic_areas",
            "link",
        ]
        widgets = {"thematic_areas": CHECKBOXES}


class ResourceFileForm(forms.ModelForm):
    class Meta:
        model = ResourceFile
        fields = ["language", "file"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            kind, mime, size, digest = validate_upload(upload)
            self.instance.content_type, self.instance.size, self.instance.sha256 = mime, size, digest
        return upload


ResourceFileFormSet = inlineformset_factory(
    Resource, ResourceFile, form=ResourceFileForm, extra=2, can_delete=True
)
ResourceFileFormSet.prefix_name = "files"
ResourceFileFormSet.legend = _("Files, one per language")


class ExpertForm(RecordForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=LANGUAGE_CHOICES, required=False, widget=CHECKBOXES
    )

    class Meta:
        model = Expert
        fields = [
            "original_language",
            "name",
            "country",
            "nationality",
            "organization",
            "email",
            "expertise",
            "languages",
            "experience",
            "cv",
            "availability",
        ]
        widgets = {"expertise": CHECKBOXES}

    def clean_cv(self):
        upload = self.cleaned_data.get("cv")
        if isinstance(upload, UploadedFile):
            validate_upload(upload, allowed=("pdf", "docx", "odt"))
        return upload


class CountryProfileForm(RecordForm):
    class Meta:
        model = CountryProfile
        fields = [
            "original_language",
            "country",
            "summary",
            "framework",
            "institutions",
            "priorities",
            "website",
        ]
