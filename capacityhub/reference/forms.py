from django import forms

from capacityhub.core.forms import RecordForm

from .models import Contact, Country, Organization


class OrganizationForm(RecordForm):
    aliases = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Organization
        fields = [
            "original_language",
            "name",
            "acronym",
            "org_type",
            "country",
            "iati_identifier",
            "website",
            "email",
            "description",
        ]


class ContactForm(RecordForm):
    class Meta:
        model = Contact
        fields = ["original_language", "name", "position", "organization", "country", "email", "phone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = Country.objects.all()
