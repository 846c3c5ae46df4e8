"""Forms of conferences: the conference, objectives, topics, background documents, moderators,
registration, posts (with attachments), flags, hiding, conclusions."""

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from capacityhub.accounts.models import User
from capacityhub.core.forms import RecordForm
from capacityhub.core.uploads import validate_upload
from capacityhub.meetings.forms import selectable_organizations, visible_meetings
from capacityhub.reference.models import Country

from .models import BackgroundDocument, Conference, Objective, Participant, Topic

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_ATTACHMENTS = 3


def language_choices():
    return list(settings.CONTENT_LANGUAGES)


class ConferenceForm(RecordForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=language_choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Conference
        fields = [
            "original_language",
            "title",
            "introduction",
            "start_date",
            "end_date",
            "languages",
            "organizer",
            "feeds_meeting",
            "registration_open",
            "premoderated_posts",
            "posts_public",
        ]
        widgets = {"start_date": DATE, "end_date": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organizer"].queryset = selectable_organizations(self.user)
        self.fields["feeds_meeting"].queryset = visible_meetings(self.user)


class ObjectiveForm(forms.ModelForm):
    class Meta:
        model = Objective
        fields = ["number", "text"]


class TopicForm(forms.ModelForm):
    class Meta:
        model = Topic
        fields = ["number", "title", "description", "start_date", "end_date"]
        widgets = {"start_date": DATE, "end_date": DATE}


class ConclusionForm(forms.ModelForm):
    class Meta:
        model = Topic
        fields = ["conclusion"]


class BackgroundDocumentForm(forms.ModelForm):
    class Meta:
        model = BackgroundDocument
        fields = ["title", "topic", "language", "file", "url"]

    def __init__(self, *args, conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = conference.topics.all()
        self.checked = None

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            self.checked = validate_upload(upload)
        return upload

    def clean(self):
        data = super().clean()
        if bool(data.get("file")) == bool(data.get("url")):
            raise forms.ValidationError(_("Upload a file or give a web address (one of them)."))
        return data


class ModeratorForm(forms.Form):
    username = forms.CharField(label=_("Username or e-mail address"), max_length=254)

    def clean_username(self):
        value = self.cleaned_data["username"].strip()
        user = User.objects.filter(username=value).first() or User.objects.filter(email__iexact=value).first()
        if user is None:
            raise forms.ValidationError(_("No user has this username or e-mail address."))
        return user


class RegistrationForm(forms.ModelForm):
    """The participant's profile: country, organization and stakeholder type."""

    class Meta:
        model = Participant
        fields = ["country", "organization", "organization_name", "stakeholder_type", "statement"]
        widgets = {"statement": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = Country.objects.order_by("name_en")
        self.fields["organization"].queryset = selectable_organizations(None)

    def clean(self):
        data = super().clean()
        if not data.get("organization") and not (data.get("organization_name") or "").strip():
            self.add_error("organization_name", _("Choose your organization, or write its name."))
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class PostForm(forms.Form):
    """A new post or a reply; the language of the post is the writer's choice."""

    subject = forms.CharField(label=_("Subject"), max_length=200, required=False)
    body = forms.CharField(
        label=_("Message"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown: *italic*, **bold**, lists, links. HTML is shown as text."),
    )
    language = forms.ChoiceField(label=_("Language of your message"), choices=language_choices)
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("Up to three files: PDF, office documents or images."),
    )

    def __init__(self, *args, conference=None, **kwargs):
        super().__init__(*args, **kwargs)
        if conference is not None and conference.languages:
            allowed = set(conference.languages)
            self.fields["language"].choices = [c for c in language_choices() if c[0] in allowed]
        self.checked_files = []

    def clean_attachments(self):
        uploads = self.cleaned_data.get("attachments") or []
        if len(uploads) > MAX_ATTACHMENTS:
            raise forms.ValidationError(_("Attach at most {n} files.").format(n=MAX_ATTACHMENTS))
        self.checked_files = [(upload, validate_upload(upload)) for upload in uploads]
        return uploads


class PostEditForm(PostForm):
    attachments = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("attachments", None)


class FlagForm(forms.Form):
    reason = forms.CharField(label=_("What is wrong with this post?"), max_length=500)


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, shown to readers in place of the post"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
