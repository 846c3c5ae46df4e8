"""Lookups the imports need, loaded once per import: countries, regions, terms and organizations.

Organizations are found by identifier (their IATI organisation identifier), else by exact name in any
language (aliases of merged records included), else created, published or as a draft like the records of
the import. A merged organization is replaced by the one it was merged into."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from capacityhub.core import services
from capacityhub.core.choices import Status
from capacityhub.reference.choices import Vocabularies
from capacityhub.reference.models import Country, Organization, Region, Term

ORG_IDENTIFIER_MAX = Organization._meta.get_field("iati_identifier").max_length


def content_languages():
    return [code for code, _name in settings.CONTENT_LANGUAGES]


def name_key(text):
    return " ".join((text or "").split()).casefold()


class References:
    def __init__(self):
        self.countries = dict(Country.objects.values_list("iso2", "pk"))
        self.regions_by_code = {}
        self.regions_by_iati = {}
        for pk, code, iati_code in Region.objects.values_list("pk", "code", "iati_code"):
            self.regions_by_code[code] = pk
            if iati_code:
                self.regions_by_iati.setdefault(iati_code, pk)
        self.terms = {}  # vocabulary -> code -> pk
        self.terms_by_iati = {}  # vocabulary -> iati code -> pk (first by position)
        self.term_codes = {}  # pk -> code
        self.term_labels = {}  # vocabulary -> casefolded label in any language -> pk
        for pk, vocabulary, code, iati_code, label in Term.objects.order_by(
            "vocabulary", "position"
        ).values_list("pk", "vocabulary__code", "code", "iati_code", "label"):
            self.terms.setdefault(vocabulary, {})[code] = pk
            self.term_codes[pk] = code
            if iati_code:
                self.terms_by_iati.setdefault(vocabulary, {}).setdefault(iati_code, pk)
            for text in (label or {}).values():
                self.term_labels.setdefault(vocabulary, {}).setdefault(name_key(text), pk)
        self.organizations = OrganizationIndex()

    def term(self, vocabulary, code):
        return self.terms.get(vocabulary, {}).get(code)

    def term_by_iati(self, vocabulary, code):
        return self.terms_by_iati.get(vocabulary, {}).get(code)

    def term_by_label(self, vocabulary, text):
        return self.terms.get(vocabulary, {}).get(text) or self.term_labels.get(vocabulary, {}).get(
            name_key(text)
        )

    def region_m49(self, code):
        return self.regions_by_code.get("m49-{}".format(code.zfill(3))) if code.isdigit() else None


class OrganizationIndex:
    """Organizations by identifier and by name, kept in step with the ones the import creates."""

    def __init__(self):
        self.by_identifier = {}
        self.by_name = {}
        self.publisher_of = {}
        merged = {}
        rows = Organization.objects.values_list("pk", "iati_identifier", "name", "aliases", "merged_into_id")
        for pk, _identifier, _name, _aliases, merged_into in rows:
            if merged_into:
                merged[pk] = merged_into
        merged_identifiers = {}
        for pk, identifier, name, aliases, merged_into in rows:
            target = pk
            seen = set()
            while target in merged and target not in seen:
                seen.add(target)
                target = merged[target]
            if identifier:
                if merged_into:
                    merged_identifiers.setdefault(identifier, target)
                else:
                    self.by_identifier[identifier] = target
            for text in [*(name or {}).values(), *(aliases or [])]:
                key = name_key(text)
                if key:
                    self.by_name.setdefault(key, target)
        for identifier, target in merged_identifiers.items():
            self.by_identifier.setdefault(identifier, target)
        self.created = 0
        self.pending = []  # new organizations of the current batch, created together by flush()

    def find(self, ref, names):
        if ref and ref in self.by_identifier:
            return self.by_identifier[ref]
        for text in names:
            pk = self.by_name.get(name_key(text))
            if pk:
                return pk
        return None

    def find_or_create(self, *, ref, names, original_language, org_type, status, actor, comment, defer=False):
        """The organization with identifier ``ref`` or one of ``names`` (``{lang: text}``), else a new one.

        With ``defer``, a new organization is not saved yet: the unsaved instance is returned (and found by
        later lookups), and :meth:`flush` creates all of them at once."""
        found = self.find(ref, list(names.values()))
        if found:
            return found
        if not names:
            names = {original_language: ref}
        organization = Organization(
            name=names,
            iati_identifier=ref if ref and len(ref) <= ORG_IDENTIFIER_MAX else "",
            org_type_id=org_type,
            status=status,
            original_language=original_language if original_language in names else next(iter(names)),
        )
        if defer:
            self.pending.append(organization)
            self._register(organization, organization)
            return organization
        services.record_save(record=organization, actor=actor, comment=comment)
        self.created += 1
        self._register(organization, organization.pk)
        return organization.pk

    def _register(self, organization, value):
        if organization.iati_identifier:
            self.by_identifier[organization.iati_identifier] = value
        for text in organization.name.values():
            key = name_key(text)
            if self.by_name.get(key) in (None, organization):
                self.by_name[key] = value

    def flush(self, *, actor, comment):
        """Create the organizations :meth:`find_or_create` deferred, in bulk, each with its version and its
        search entry (what :func:`~capacityhub.core.services.record_save` does one by one)."""
        if not self.pending:
            return
        from django.contrib.contenttypes.models import ContentType
        from django.utils import timezone

        from capacityhub.core.choices import Status, VersionAction
        from capacityhub.core.models import Version
        from capacityhub.core.search import index_records

        actor = actor if actor is not None and actor.is_authenticated else None
        now = timezone.now()
        for organization in self.pending:
            organization.revision = 1
            organization.created_by = organization.updated_by = actor
            organization.published_at = now if organization.status == Status.PUBLISHED else None
            organization.sort_title = (organization.text("name", organization.original_language) or "")[
                :255
            ].casefold()
        Organization.objects.bulk_create(self.pending, batch_size=500)
        content_type = ContentType.objects.get_for_model(Organization)
        versions = []
        for organization in self.pending:
            data = services.snapshot(organization)
            versions.append(
                Version(
                    content_type=content_type,
                    object_id=organization.pk,
                    number=1,
                    action=VersionAction.IMPORTED,
                    status=organization.status,
                    actor=actor,
                    data=data,
                    changes=services.changed_fields({}, data),
                    comment=comment,
                )
            )
        Version.objects.bulk_create(versions, batch_size=500)
        index_records(Organization, self.pending)
        for organization in self.pending:
            self._register(organization, organization.pk)
        self.created += len(self.pending)
        self.pending = []


def pk_of(value):
    """The id of an organization given by id or as an instance (saved by now)."""
    return value.pk if isinstance(value, Organization) else value


def reporting_ref(organization_id, identifier=None):
    """The reporting-org ref of a publisher in exported files: its IATI organisation identifier, else one
    made of ``settings.IATI_ORGANISATION_PREFIX`` (default ``XX-CAPACITYHUB``) and its id."""
    if identifier is None:
        identifier = (
            Organization.objects.filter(pk=organization_id).values_list("iati_identifier", flat=True).first()
        )
    return identifier or "{}-{}".format(
        getattr(settings, "IATI_ORGANISATION_PREFIX", "XX-CAPACITYHUB"), organization_id
    )


def import_status(actor, publisher_id):
    """Records imported from a publisher's own data are published: by the system (command line), by the
    Secretariat, or by a publisher of the reporting organization. Anyone else's import makes drafts."""
    if actor is None or actor.is_secretariat or publisher_id in actor.organization_ids():
        return Status.PUBLISHED
    return Status.DRAFT


ROLE_FROM_IATI = {"1": "funding", "2": "accountable", "3": "executing", "4": "implementing"}
SCOPE_FROM_IATI = {"1": "global", "2": "regional", "3": "subregional"}
SCOPE_TO_IATI = {"global": "1", "regional": "2", "subregional": "3", "national": "4"}
VOCABULARIES_IN_TAGS = (
    Vocabularies.THEMATIC_AREAS,
    Vocabularies.ACTIVITY_CATEGORIES,
    Vocabularies.TARGET_GROUPS,
    Vocabularies.FUNDING_SOURCE_TYPES,
)
UNNAMED = _("(no name)")
