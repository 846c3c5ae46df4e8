"""Forms of the plans app: starting a submission and editing its details, reporting cycles, plan upload,
linking an initiative to a plan element, and the analyzer's choices."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from capacityhub.core import permissions
from capacityhub.core.choices import Status
from capacityhub.core.forms import RecordForm
from capacityhub.reference.models import Country, Organization, Region

from .choices import ReportFormat, Respondents
from .models import Questionnaire, ReportingCycle, Submission


class SubmissionForm(RecordForm):
    """Who reports for which cycle (fixed once the submission exists), its title and original language."""

    class Meta:
        model = Submission
        fields = ["cycle", "country", "organization", "title", "original_language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.user
        today = timezone.localdate()
        cycles = ReportingCycle.objects.select_related("questionnaire")
        if self.instance.pk:
            for name in ("cycle", "country", "organization"):
                self.fields[name].disabled = True
        else:
            self.fields["cycle"].queryset = cycles.filter(Q(opens_on__isnull=True) | Q(opens_on__lte=today))
        self.fields["country"].required = False
        self.fields["organization"].required = False
        self.fields["country"].help_text = _("For a national submission (a Party or another government).")
        self.fields["organization"].help_text = _(
            "For an organization's submission, published by the Secretariat."
        )
        if user is not None and not user.is_secretariat and not self.instance.pk:
            self.fields["organization"].queryset = Organization.objects.filter(pk__in=user.organization_ids())
            if not permissions.member_scope_ids(user, Submission):
                self.fields["country"].queryset = Country.objects.none()
        else:
            self.fields["organization"].queryset = Organization.objects.filter(
                status=Status.PUBLISHED, merged_into__isnull=True
            )
        if not self.instance.pk and self.user is not None:
            orgs = self.fields["organization"].queryset
            if not self.initial.get("country") and not self.initial.get("organization") and len(orgs) == 1:
                if not permissions.member_scope_ids(self.user, Submission):
                    self.initial["organization"] = orgs[0].pk

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            return data
        country, organization, cycle = data.get("country"), data.get("organization"), data.get("cycle")
        if bool(country) == bool(organization):
            raise forms.ValidationError(_("Choose either a country or an organization."))
        if cycle and not cycle.accepts("country" if country else "organization"):
            raise forms.ValidationError(
                _("This cycle invites {respondents} only.").format(
                    respondents=cycle.get_respondents_display().lower()
                )
            )
        if cycle and country and Submission.objects.filter(cycle=cycle, country=country).exists():
            self.add_error("country", _("This country has a submission for this cycle already."))
        if (
            cycle
            and organization
            and Submission.objects.filter(cycle=cycle, organization=organization).exists()
        ):
            self.add_error("organization", _("This organization has a submission for this cycle already."))
        return data


class CycleForm(forms.ModelForm):
    """A reporting cycle, created and edited by the Secretariat."""

    class Meta:
        model = ReportingCycle
        fields = [
            "title",
            "description",
            "questionnaire",
            "respondents",
            "period_start",
            "period_end",
            "opens_on",
            "deadline",
            "previous",
            "decision",
            "reminder_days",
        ]
        widgets = {
            "period_start": forms.DateInput(attrs={"type": "date"}),
            "period_end": forms.DateInput(attrs={"type": "date"}),
            "opens_on": forms.DateInput(attrs={"type": "date"}),
            "deadline": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questionnaire"].queryset = Questionnaire.objects.select_related("plan")
        self.fields["respondents"].initial = Respondents.ALL
        if self.instance.pk:
            self.fields["previous"].queryset = ReportingCycle.objects.exclude(pk=self.instance.pk)


MAX_UPLOAD = 5 * 1024 * 1024
UPLOAD_KINDS = [
    ("", _("Recognize it from its content")),
    ("plan", _("Plan file")),
    ("crosswalk", _("Crosswalk file")),
    ("questionnaire", _("Questionnaire definition")),
]


class PlanUploadForm(forms.Form):
    """A plan file, a crosswalk file or a questionnaire definition (JSON), checked first (dry run)."""

    file = forms.FileField(
        label=_("File (JSON)"),
        required=False,
        help_text=_(
            "A plan, a crosswalk or a questionnaire in the shape of the files the platform exports. A plan "
            "with the same key, or a questionnaire with the same key and version, is updated."
        ),
    )
    kind = forms.ChoiceField(label=_("What the file holds"), choices=UPLOAD_KINDS, required=False)
    content = forms.CharField(required=False, widget=forms.HiddenInput, max_length=MAX_UPLOAD)
    name = forms.CharField(required=False, widget=forms.HiddenInput, max_length=255)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload and upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("file") and not cleaned.get("content") and not self.errors:
            raise forms.ValidationError(_("Choose a file."))
        return cleaned


class InitiativeLinkForm(forms.Form):
    initiative = forms.ModelChoiceField(label=_("Initiative"), queryset=None)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from capacityhub.registry.models import Initiative

        self.fields["initiative"].queryset = permissions.restrict(
            Initiative.objects.all(), user, permissions.CHANGE
        ).order_by("sort_title")


class AnalysisForm(forms.Form):
    """The analyzer's choices: which countries (by name or by region), grouped by which kind of region."""

    GROUPINGS = [
        ("cbd_group", _("CBD regional groups")),
        ("un_region", _("UN regions")),
        ("special_group", _("Groups of countries (LDC, SIDS, EIT)")),
    ]
    country = forms.ModelMultipleChoiceField(
        label=_("Countries"), queryset=Country.objects.none(), required=False, to_field_name="iso2"
    )
    region = forms.ModelMultipleChoiceField(
        label=_("Regions and groups"), queryset=Region.objects.none(), required=False, to_field_name="code"
    )
    group_by = forms.ChoiceField(
        label=_("Figures by"), choices=GROUPINGS, required=False, initial="cbd_group"
    )
    section = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, countries=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = countries if countries is not None else Country.objects.all()
        self.fields["region"].queryset = Region.objects.filter(kind__in=[g for g, _l in self.GROUPINGS])


class ReportRequestForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=ReportFormat.choices)
