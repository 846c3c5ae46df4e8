"""Base form of every record type: knows the user, carries the revision it started from, and offers
only the scopes (countries, organizations) the user may write for."""

from django import forms
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from . import permissions
from .choices import Scope


class RecordForm(forms.ModelForm):
    base_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["base_revision"].initial = self.instance.revision
        self.limit_scope_choices()

    def limit_scope_choices(self):
        """National users choose only among their own countries; an organization's publisher starts with
        their organization chosen (any registered user may still propose a record for another one)."""
        model = self._meta.model
        field = self.fields.get(model.scope_field or "")
        if field is None or self.user is None or self.user.is_secretariat:
            return
        ids = permissions.member_scope_ids(self.user, model)
        if model.scope_kind == Scope.COUNTRY:
            field.queryset = field.queryset.filter(pk__in=ids)
        if len(ids) == 1 and not self.instance.pk and not self.initial.get(model.scope_field):
            self.initial[model.scope_field] = next(iter(ids))


class SharesFormSet(BaseInlineFormSet):
    """Rows with an optional percentage: if any row has one, all must, and they must sum to 100."""

    share_field = "percentage"
    what = _("percentages")

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        values = [
            form.cleaned_data.get(self.share_field)
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        given = [v for v in values if v is not None]
        if given and len(given) != len(values):
            raise forms.ValidationError(_("Give a percentage for every row, or for none."))
        if given and abs(sum(given) - 100) > 0.01:
            raise forms.ValidationError(
                _("The percentages add up to {total}; they must add up to 100.").format(total=sum(given))
            )
