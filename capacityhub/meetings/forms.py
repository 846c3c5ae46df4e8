"""Forms of meetings (with their agenda), documents and their files, recommendations, decisions (with their
paragraphs), links and Liaison Group members."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from capacityhub.core import permissions as gate
from capacityhub.core.forms import RecordForm
from capacityhub.core.uploads import validate_upload
from capacityhub.reference.models import Organization

from .choices import LinkRelation
from .models import (
    AgendaItem,
    Decision,
    DecisionParagraph,
    DocumentFile,
    LiaisonGroupMember,
    Meeting,
    MeetingDocument,
    Recommendation,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def selectable_organizations(user=None):
    """Organizations one may choose: those the user may see (published ones for everybody)."""
    return gate.restrict(Organization.objects.filter(merged_into__isnull=True), user, gate.VIEW).order_by(
        "sort_title"
    )


def visible_meetings(user=None):
    return gate.restrict(Meeting.objects.all(), user, gate.VIEW).order_by("-start_date")


class OptionalPositionMixin:
    """``position`` orders rows; left empty, it is 0 (rows then keep the order they were added in)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "position" in self.fields:
            self.fields["position"].required = False

    def clean_position(self):
        return self.cleaned_data.get("position") or 0


class ParentConstraintsMixin:
    """In an inline formset, also check the model's constraints that involve the parent (a paragraph
    number unique in its decision): Django leaves the parent out of them, and the database would refuse
    the row with an error page instead of a message next to the field."""

    def validate_unique(self):
        super().validate_unique()
        try:
            self.instance.validate_constraints(exclude=self._get_validation_exclusions())
        except ValidationError as error:
            self._update_errors(error)


class AgendaItemForm(OptionalPositionMixin, forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["number", "title", "position"]


class ParagraphForm(ParentConstraintsMixin, OptionalPositionMixin, forms.ModelForm):
    class Meta:
        model = DecisionParagraph
        fields = ["number", "text", "position"]


class MeetingForm(RecordForm):
    class Meta:
        model = Meeting
        fields = [
            "original_language",
            "kind",
            "series_number",
            "title",
            "summary",
            "start_date",
            "end_date",
            "is_online",
            "venue",
            "city",
            "country",
            "organizer",
            "participant_countries",
            "participant_organizations",
            "participant_count",
            "report",
            "website",
        ]
        widgets = {"start_date": DATE, "end_date": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organizer"].queryset = selectable_organizations(self.user)
        self.fields["participant_organizations"].queryset = selectable_organizations(self.user)

    def clean(self):
        data = super().clean()
        if not data.get("is_online") and not (data.get("city") or data.get("country")):
            self.add_error("city", _("Give the city and country, or tick “online”."))
        return data


AgendaItemFormSet = inlineformset_factory(Meeting, AgendaItem, form=AgendaItemForm, extra=3, can_delete=True)
AgendaItemFormSet.prefix_name = "agenda"
AgendaItemFormSet.legend = _("Agenda")


class DecisionForm(RecordForm):
    class Meta:
        model = Decision
        fields = [
            "original_language",
            "symbol",
            "title",
            "publisher",
            "meeting",
            "adopted_on",
            "summary",
            "official_url",
            "considered_meetings",
            "recommendations",
        ]
        widgets = {"adopted_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        meetings = visible_meetings(self.user)
        self.fields["publisher"].queryset = selectable_organizations(self.user)
        self.fields["meeting"].queryset = meetings
        self.fields["considered_meetings"].queryset = meetings
        self.fields["recommendations"].queryset = Recommendation.objects.filter(
            meeting__in=meetings.values("pk")
        ).select_related("meeting")

    def clean_symbol(self):
        return " ".join((self.cleaned_data.get("symbol") or "").split())


ParagraphFormSet = inlineformset_factory(
    Decision, DecisionParagraph, form=ParagraphForm, extra=2, can_delete=True
)
ParagraphFormSet.prefix_name = "paragraphs"
ParagraphFormSet.legend = _("Paragraphs")


class DocumentForm(OptionalPositionMixin, forms.ModelForm):
    """A meeting document, with an optional first file."""

    language = forms.ChoiceField(label=_("Language of the file"), required=False)
    upload = forms.FileField(
        label=_("File"), required=False, help_text=_("PDF, DOCX, XLSX, PPTX or ODT; one file per language.")
    )

    class Meta:
        model = MeetingDocument
        fields = ["symbol", "title", "kind", "agenda_item", "position"]

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        from django.conf import settings

        self.fields["language"].choices = list(settings.CONTENT_LANGUAGES)
        self.fields["agenda_item"].queryset = meeting.agenda_items.all()
        self.checked_upload = None

    def clean_symbol(self):
        return "".join((self.cleaned_data.get("symbol") or "").split())

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if isinstance(upload, UploadedFile):
            self.checked_upload = validate_upload(upload, allowed=("pdf", "docx", "xlsx", "pptx", "odt"))
        return upload


class DocumentFileForm(forms.ModelForm):
    class Meta:
        model = DocumentFile
        fields = ["language", "file"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            _kind, mime, size, digest = validate_upload(
                upload, allowed=("pdf", "docx", "xlsx", "pptx", "odt")
            )
            self.instance.content_type, self.instance.size, self.instance.sha256 = mime, size, digest
        return upload


class RecommendationForm(OptionalPositionMixin, forms.ModelForm):
    class Meta:
        model = Recommendation
        fields = ["number", "text", "follow_up_status", "follow_up_note", "position"]


class LinkForm(forms.Form):
    """A link from a decision or a recommendation to any record of the platform (its page's address) or to
    a web page outside."""

    relation = forms.ChoiceField(label=_("Relation"), choices=LinkRelation.choices)
    address = forms.CharField(
        label=_("Address of the linked record or page"),
        max_length=500,
        help_text=_("Paste the address of a record's page on this site (a plan, a meeting…) or a web page."),
    )
    label = forms.CharField(label=_("Label"), max_length=300, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class LiaisonGroupMemberForm(forms.ModelForm):
    class Meta:
        model = LiaisonGroupMember
        fields = ["name", "organization", "country", "role", "term_start", "term_end"]
        widgets = {"term_start": DATE, "term_end": DATE}
