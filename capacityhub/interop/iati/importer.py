"""The IATI import of one file: stream, validate (XSD, then codelists and rules), select, map, write.

Activities are written in batches while the file is read; as soon as an error is found, writing stops but
reading goes on, so that the report lists every error of the file. The caller runs the whole import in one
transaction and rolls it back when the file has an error (or for a dry run): a file is imported whole or
not at all."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from capacityhub.core import services
from capacityhub.reference.choices import Vocabularies
from capacityhub.reference.models import Organization

from ..references import References, content_languages, import_status, reporting_ref
from .activity import language, narratives, read_activity, read_selection
from .convert import Converter, multilingual
from .mapping import ActivityMapping
from .rules import FORBIDDEN_IN_IDENTIFIERS, ActivityChecker
from .schema import XML_LANG, IatiStream
from .writer import InitiativeWriter

BATCH_SIZE = 500


class IatiImport:
    def __init__(self, *, report, actor=None, comment=""):
        self.report = report
        self.actor = actor
        self.comment = comment or _("IATI import of {file}").format(file=report.file)
        self.references = None
        self.mapping = None
        self.writer = None
        self.batch = []

    def run(self, source):
        stream = IatiStream(source, self.report)
        handle = None
        for record in stream:
            if handle is None:
                self.report.kind = stream.kind
                self.report.version = stream.version
                if stream.kind == "activities":
                    self._start_activities()
                    handle = self._activity
                else:
                    handle = self._organisation
                    self.identifiers = {}
            handle(record, stream)
        self.report.kind = self.report.kind or stream.kind
        self.report.version = self.report.version or stream.version
        if self.writer is not None and self.report.valid:
            self._flush()
            self.writer.finish()
        if self.references is not None:
            self.report.organizations_created = self.references.organizations.created

    # -- activities ------------------------------------------------------------------------------------
    def _start_activities(self):
        self.checker = ActivityChecker()
        self.writer = InitiativeWriter(
            report=self.report, actor=self.actor, comment=self.comment, prefix_of=reporting_ref
        )

    def _converter(self):
        """Lookups are loaded when the first activity to import is found (never for a file refused by the
        schema, or without biosafety activities)."""
        if self.references is None:
            self.references = References()
            self.converter = Converter(references=self.references, actor=self.actor, comment=self.comment)
            self.writer.organizations = self.references.organizations
        return self.converter

    def _activity(self, record, stream):
        report = self.report
        report.activities += 1
        element = record.element
        # Every activity: the schema and the duplicate check, then only what selection reads; the rest of
        # the activity is read once it is known to be imported (most of a publisher's file is not).
        duplicate = self.checker.duplicate(record, element.sourceline)
        if duplicate is not None:
            report.add(duplicate)
        if record.schema_problems:
            for problem in record.schema_problems:
                report.add(problem)
            return
        if self.mapping is None:
            self.mapping = ActivityMapping.from_database()
        if not self.mapping.selects(read_selection(element)):
            report.skipped += 1
            return
        report.in_scope += 1
        activity = read_activity(element, record.index, record.identifier, stream.language)
        match = self.mapping.match(activity)
        problems = self.checker.check(activity, record.element)
        for problem in problems:
            report.add(problem)
        if not report.valid or duplicate is not None:
            return
        data = self._converter().convert(activity, match)
        for problem in data.warnings:
            report.add(problem)
        self.batch.append(data)
        if len(self.batch) >= BATCH_SIZE:
            self._flush()

    def _flush(self):
        if self.batch and self.report.valid:
            self.writer.write(self.batch)
        self.batch = []

    # -- organisations ---------------------------------------------------------------------------------
    def _organisation(self, record, stream):
        """An ``<iati-organisation>``: the organization is created, or updated when its name or type
        changed (found by identifier, else by name)."""
        report = self.report
        report.activities += 1
        if record.schema_problems:
            for problem in record.schema_problems:
                report.add(problem)
            return
        element = record.element
        label = record.label
        identifier = record.identifier
        where = "/iati-organisation/organisation-identifier"
        if not identifier:
            report.error(
                "IATI-ID-EMPTY",
                _("The organisation has no organisation-identifier."),
                activity=label,
                element=where,
                line=element.sourceline,
            )
        elif any(char.isspace() or char in FORBIDDEN_IN_IDENTIFIERS for char in identifier):
            report.error(
                "IATI-ID-CHARS",
                _("The identifier {identifier} contains a space or one of the characters / & | ?.").format(
                    identifier=identifier
                ),
                activity=label,
                element=where,
                line=element.sourceline,
            )
        elif identifier in self.identifiers:
            report.error(
                "IATI-ID-DUPLICATE",
                _(
                    "The identifier {identifier} is used by organisation number {first} of the file already."
                ).format(identifier=identifier, first=self.identifiers[identifier]),
                activity=label,
                element=where,
                line=element.sourceline,
            )
        else:
            self.identifiers[identifier] = record.index
        default = language(element.get(XML_LANG)) or language(stream.language) or "en"
        names = narratives(element.find("name"))
        for position, (lang, _text) in enumerate(names, start=1):
            if lang and lang not in _language_codes():
                report.error(
                    "IATI-CODE-Language",
                    _("{value} is not a code of the IATI Language codelist.").format(value=repr(lang)),
                    activity=label,
                    element="/iati-organisation/name/narrative[{}]/@xml:lang".format(position),
                    line=element.sourceline,
                )
        name = multilingual(names, default, content_languages())
        if not name:
            report.error(
                "IATI-TITLE-LANG",
                _(
                    "The name has no text in a language of the platform (English, "
                    "Spanish, French, Arabic, Chinese or Russian)."
                ),
                activity=label,
                element="/iati-organisation/name",
                line=element.sourceline,
            )
        reporting = element.find("reporting-org")
        org_type = ""
        if reporting is not None and (reporting.get("ref") or "").strip() == identifier:
            # The organisation reports about itself: its reporting-org type is its own type.
            org_type = (reporting.get("type") or "").strip()
            if org_type and org_type not in _organisation_types():
                report.error(
                    "IATI-CODE-OrganisationType",
                    _("{value} is not a code of the IATI OrganisationType codelist.").format(
                        value=repr(org_type)
                    ),
                    activity=label,
                    element="/iati-organisation/reporting-org/@type",
                    line=element.sourceline,
                )
        if not report.valid:
            return
        if self.references is None:
            self.references = References()
        self._save_organisation(identifier, name, org_type, default)

    def _save_organisation(self, identifier, name, org_type, default):
        index = self.references.organizations
        type_id = (
            self.references.term_by_iati(Vocabularies.ORGANIZATION_TYPES, org_type) if org_type else None
        )
        pk = index.find(identifier, list(name.values()))
        original = default if default in name else next(iter(name))
        if pk is None:
            index.find_or_create(
                ref=identifier,
                names=name,
                original_language=original,
                org_type=type_id,
                status=import_status(self.actor, None),
                actor=self.actor,
                comment=self.comment,
            )
            self.report.created += 1
            return
        organization = Organization.objects.get(pk=pk)
        changed = False
        merged_name = {**organization.name, **name}
        if merged_name != organization.name:
            organization.name = merged_name
            changed = True
        if type_id and organization.org_type_id != type_id:
            organization.org_type_id = type_id
            changed = True
        if identifier and not organization.iati_identifier and identifier not in index.by_identifier:
            organization.iati_identifier = identifier
            index.by_identifier[identifier] = pk
            changed = True
        if not changed:
            self.report.unchanged += 1
            return
        try:
            services.record_save(record=organization, actor=self.actor, comment=self.comment)
        except PermissionDenied:
            self.report.error(
                "IATI-PERM",
                _("This organisation is {name} in the platform, which you may not edit.").format(
                    name=organization.display_title()
                ),
                activity=identifier,
                element="/iati-organisation",
            )
            return
        self.report.updated += 1


def _language_codes():
    from . import codelists

    return codelists.codes("Language")


def _organisation_types():
    from . import codelists

    return codelists.codes("OrganisationType")
