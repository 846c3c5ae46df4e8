"""Countries, regions and groups, vocabularies, organizations and contacts."""

from functools import lru_cache

from babel import Locale
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from capacityhub.core.choices import Scope
from capacityhub.core.models import Record
from capacityhub.core.multilingual import MultilingualField, current_language, resolve

from .choices import RegionKind, Vocabularies


@lru_cache(maxsize=16)
def _territories(language):
    return Locale.parse(language).territories


class Country(models.Model):
    """A country or territory (ISO 3166-1). Its name is localized from CLDR data (Babel)."""

    iso2 = models.CharField(_("ISO code"), max_length=2, unique=True)
    iso3 = models.CharField(_("ISO alpha-3 code"), max_length=3, unique=True)
    numeric = models.CharField(_("ISO numeric code"), max_length=3, blank=True)
    name_en = models.CharField(_("name in English"), max_length=120, db_index=True)

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name_en"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("registry:country", kwargs={"iso2": self.iso2})

    @property
    def name(self):
        return self.localized_name()

    def localized_name(self, language=None):
        return _territories(language or current_language()).get(self.iso2, self.name_en)

    @property
    def flag(self):
        return "".join(chr(0x1F1E6 + ord(c) - ord("A")) for c in self.iso2.upper())


class Region(models.Model):
    """A region or group of countries: UN regions, CBD regional groups, LDC, SIDS, economies in transition."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=RegionKind.choices)
    name = MultilingualField(_("name"))
    identifier = models.CharField(_("BCH identifier"), max_length=64, blank=True)
    iati_code = models.CharField(_("IATI region code"), max_length=8, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    countries = models.ManyToManyField(
        Country, verbose_name=_("countries"), related_name="regions", blank=True
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("region or group")
        verbose_name_plural = _("regions and groups")
        ordering = ["kind", "position", "code"]

    def __str__(self):
        return resolve(self.name)[0] or self.code


class Vocabulary(models.Model):
    """A controlled list of terms, such as the capacity-building areas."""

    code = models.SlugField(_("code"), max_length=40, unique=True, choices=Vocabularies.choices)
    name = MultilingualField(_("name"))
    source = models.CharField(_("source"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("vocabulary")
        verbose_name_plural = _("vocabularies")
        ordering = ["code"]

    def __str__(self):
        return resolve(self.name)[0] or self.code


class TermQuerySet(models.QuerySet):
    def of(self, vocabulary):
        return self.filter(vocabulary__code=vocabulary, active=True)


class Term(models.Model):
    """A term of a vocabulary, with its labels in several languages and the codes other systems use."""

    vocabulary = models.ForeignKey(
        Vocabulary, verbose_name=_("vocabulary"), on_delete=models.CASCADE, related_name="terms"
    )
    code = models.CharField(_("code"), max_length=64)
    label = MultilingualField(_("label"))
    description = MultilingualField(_("description"), blank=True, textarea=True)
    identifier = models.CharField(
        _("BCH identifier"), max_length=64, blank=True, help_text=_("GUID in the BCH.")
    )
    iati_code = models.CharField(_("IATI code"), max_length=16, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)

    objects = TermQuerySet.as_manager()

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["vocabulary", "position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["vocabulary", "code"],
                name="reference_term_unique_code",
                violation_error_message=_("This code is used by another term of the vocabulary."),
            )
        ]

    def __str__(self):
        return resolve(self.label)[0] or self.code


class Organization(Record):
    """An organization: agency, donor, university, NGO, government body. Duplicates are merged into one."""

    scope_kind = Scope.ORGANIZATION
    scope_field = "id"
    title_field = "name"

    name = MultilingualField(_("name"), max_length=255)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True, db_index=True)
    org_type = models.ForeignKey(
        Term,
        verbose_name=_("type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to=Q(vocabulary__code=Vocabularies.ORGANIZATION_TYPES),
    )
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organizations",
        help_text=_("Where the organization is based; empty for international organizations."),
    )
    iati_identifier = models.CharField(
        _("IATI organisation identifier"),
        max_length=100,
        blank=True,
        db_index=True,
        help_text=_("For example XM-DAC-41116 for UNEP."),
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    description = MultilingualField(_("description"), blank=True, textarea=True)
    aliases = models.JSONField(
        _("other names"), default=list, blank=True, help_text=_("Names of records merged into this one.")
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged",
        editable=False,
    )

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["sort_title"]
        constraints = [
            models.UniqueConstraint(
                fields=["iati_identifier"],
                condition=~Q(iati_identifier="") & Q(merged_into__isnull=True),
                name="reference_organization_unique_iati_identifier",
                violation_error_message=_("Another organization has this IATI identifier."),
            )
        ]

    def display_title(self, language=None):
        name = super().display_title(language)
        return f"{name} ({self.acronym})" if self.acronym and self.acronym not in name else name

    def search_texts(self):
        texts = super().search_texts()
        texts += [(None, text) for text in [self.acronym, self.iati_identifier, *self.aliases] if text]
        return texts


class Contact(Record):
    """A contact person for initiatives and opportunities."""

    scope_kind = Scope.ORGANIZATION
    scope_field = "organization"
    title_field = "name"

    name = MultilingualField(_("name"), max_length=200)
    position = MultilingualField(pgettext_lazy("job title", "position"), blank=True, max_length=200)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contacts",
    )
    country = models.ForeignKey(
        Country, verbose_name=_("country"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telephone"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["sort_title"]


def content_language_names():
    return dict(settings.CONTENT_LANGUAGES)
