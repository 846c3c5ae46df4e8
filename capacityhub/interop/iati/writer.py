"""Writing imported initiatives in batches: a few queries per batch instead of dozens per record.

It does what :func:`capacityhub.core.services.record_save` does for one record (permission check, a
:class:`~capacityhub.core.models.Version` per created or changed record with the same snapshot format, the
search index), with bulk inserts. An initiative whose data did not change is not written at all: importing
the same file twice leaves no trace."""

import json

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from capacityhub.core import permissions
from capacityhub.core.choices import Status, VersionAction
from capacityhub.core.models import Version
from capacityhub.core.search import index_records
from capacityhub.core.services import SNAPSHOT_EXCLUDE, changed_fields, snapshot
from capacityhub.reference.models import Contact, Country, Organization
from capacityhub.registry.models import Initiative, InitiativeCountry, InitiativeRegion, Participation

from ..references import pk_of
from ..reports import Problem
from .convert import name_text

M2M_FIELDS = ("thematic_areas", "categories", "target_groups", "funding_source_types", "contacts")
EXTRA_M2M = ("categories", "target_groups", "funding_source_types")
CONTACT_CACHE_LIMIT = 20000
OBJECT_CACHE_LIMIT = 20000
IMPORTED_FIELDS = (
    "iati_identifier",
    "title",
    "original_language",
    "description",
    "objectives",
    "project_number",
    "activity_status_id",
    "planned_start",
    "actual_start",
    "planned_end",
    "actual_end",
    "links",
    "publisher_id",
    "budget",
    "currency",
    "geographic_scope",
    "outcomes",
    "lessons_learned",
    "co_financing",
    "part_of_id",
)


def record_snapshot(record, m2m, related=None):
    """The snapshot :func:`capacityhub.core.services.snapshot` would take, from values held in memory
    (``m2m``: ids per many-to-many field; ``related``: what ``snapshot_related`` returns)."""
    data = {}
    for field in record._meta.concrete_fields:
        if field.name not in SNAPSHOT_EXCLUDE:
            data[field.name] = field.value_from_object(record)
    for field in record._meta.many_to_many:
        data[field.name] = sorted(m2m.get(field.name, ()))
    data.update(related or {})
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def insert_rows(model, columns, rows):
    """``INSERT`` plain rows into ``model``'s table with one ``executemany`` (values already prepared)."""
    if not rows:
        return
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(column) for column in columns),
        ", ".join(["%s"] * len(columns)),
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 2000):
            cursor.executemany(sql, rows[start : start + 2000])


VERSION_COLUMNS = (
    "content_type",
    "object_id",
    "number",
    "action",
    "status",
    "actor",
    "created_at",
    "data",
    "changes",
    "comment",
)


def insert_versions(versions):
    """Insert :class:`Version` rows (unsaved instances) with one ``executemany``, values prepared by their
    fields (JSON as the database wants it)."""
    fields = [Version._meta.get_field(name) for name in VERSION_COLUMNS]
    now = timezone.now()
    rows = []
    for version in versions:
        version.created_at = now
        rows.append(
            tuple(field.get_db_prep_save(getattr(version, field.attname), connection) for field in fields)
        )
    insert_rows(Version, [field.column for field in fields], rows)


def through_model(name):
    field = Initiative._meta.get_field(name)
    through = field.remote_field.through
    return through, "{}_id".format(field.m2m_field_name()), "{}_id".format(field.m2m_reverse_field_name())


def contact_key(contact):
    return (contact.email.casefold(), name_text(contact.name, contact.original_language).casefold())


class State:
    """The related rows of one initiative: country and region shares, participations, many-to-many ids."""

    def __init__(self, countries, regions, participations, m2m):
        self.countries = sorted(countries)
        self.regions = sorted(regions)
        self.participations = sorted(participations)
        self.m2m = m2m

    @property
    def country_ids(self):
        return [pk for pk, _pct in self.countries]

    @property
    def organization_ids(self):
        return [org for org, _role in self.participations]

    @classmethod
    def of(cls, record):
        """From an initiative whose relations are prefetched."""
        return cls(
            [(s.country_id, s.percentage) for s in record.country_shares.all()],
            [(s.region_id, s.percentage) for s in record.region_shares.all()],
            [(p.organization_id, p.role_id) for p in record.participations.all()],
            {name: [obj.pk for obj in getattr(record, name).all()] for name in M2M_FIELDS},
        )

    def snapshot(self, record):
        m2m = dict(self.m2m)
        m2m["countries"] = [pk for pk, _pct in self.countries]
        m2m["regions"] = [pk for pk, _pct in self.regions]
        m2m["organizations"] = [org for org, _role in self.participations]
        related = {
            "countries": [[pk, pct and float(pct)] for pk, pct in self.countries],
            "regions": [[pk, pct and float(pct)] for pk, pct in self.regions],
            "organizations": [[org, role] for org, role in self.participations],
        }
        return record_snapshot(record, m2m, related)


def generated_identifier(record, prefix):
    """The IATI identifier the export gives an initiative that has none."""
    return "{}-CH{}".format(prefix, record.pk)


class InitiativeWriter:
    def __init__(self, *, report, actor, comment, prefix_of):
        self.report = report
        self.actor = actor if actor is not None and actor.is_authenticated else None
        self.comment = comment
        self.prefix_of = prefix_of  # publisher id -> reporting-org ref the export uses
        self.content_types = {
            model: ContentType.objects.get_for_model(model) for model in (Initiative, Contact)
        }
        self.contact_cache = {}
        self.pending_parents = []  # (initiative pk, parent identifier)
        self.organizations = None  # the OrganizationIndex of the import, once it has one
        self.object_cache = {}  # model -> {pk: instance}, for the search texts

    # -- batches ---------------------------------------------------------------------------------------
    def _resolve_organizations(self, batch):
        """Create the organizations new in this batch; replace them by their ids in the batch's data."""
        if self.organizations is None:
            return
        self.organizations.flush(actor=self.actor, comment=self.comment)
        for data in batch:
            data.publisher_id = data.fields["publisher_id"] = pk_of(data.publisher_id)
            data.participations = sorted({(pk_of(org), role) for org, role in data.participations})
            for contact in data.contacts:
                contact.organization_id = pk_of(contact.organization_id)

    def write(self, batch):
        self._resolve_organizations(batch)
        existing = self._existing(batch)
        if not self._allowed(batch, existing):
            return
        parents = self._parents({d.parent for d in batch if d.parent})
        contacts = self._contacts(batch, existing)
        now = timezone.now()
        created, updated, versions = [], [], []
        states = {}
        for data in batch:
            record = existing.get(data.identifier) if data.identifier else None
            parent = parents.get(data.parent)
            if data.parent and parent is None and record is not None and record.part_of_id:
                if record.part_of.iati_identifier == data.parent:
                    parent = record.part_of_id
            if record is None:
                record = Initiative(
                    **data.fields,
                    status=data.status,
                    revision=1,
                    created_by=self.actor,
                    updated_by=self.actor,
                    published_at=now if data.status == Status.PUBLISHED else None,
                    part_of_id=parent,
                )
                states[id(record)] = (data, self._state(data, None, contacts[data.label]), None)
                created.append(record)
                continue
            before_state = State.of(record)
            before = before_state.snapshot(record)
            for name, value in data.fields.items():
                setattr(record, name, value)
            record.part_of_id = parent
            state = self._state(data, before_state, contacts[data.label])
            after = state.snapshot(record)
            if after == before:
                self.report.unchanged += 1
                continue
            record.revision += 1
            record.updated_by = self.actor
            record.updated_at = now
            states[id(record)] = (data, state, before)
            updated.append(record)
        for record in created + updated:
            record.sort_title = (record.text("title", record.original_language) or "")[:255].casefold()
        Initiative.objects.bulk_create(created, batch_size=500)
        if updated:
            Initiative.objects.bulk_update(
                updated,
                [*IMPORTED_FIELDS, "revision", "updated_by", "updated_at", "sort_title"],
                batch_size=500,
            )
        self._resolve_pending(created + updated, states)
        self._write_related(created, updated, states)
        content_type = self.content_types[Initiative]
        for record in created + updated:
            data, state, before = states[id(record)]
            after = state.snapshot(record)
            versions.append(self._version(content_type, record, after, before))
            record._import_state = state
        insert_versions(versions)
        self._index(created + updated)
        self.report.created += len(created)
        self.report.updated += len(updated)

    def _version(self, content_type, record, data, before):
        return Version(
            content_type=content_type,
            object_id=record.pk,
            number=record.revision,
            action=VersionAction.IMPORTED,
            status=record.status,
            actor=self.actor,
            data=data,
            changes=changed_fields(before or {}, data),
            comment=self.comment,
        )

    def _existing(self, batch):
        identifiers = [d.identifier for d in batch if d.identifier]
        existing = {}
        queryset = Initiative.objects.filter(iati_identifier__in=identifiers).select_related("part_of")
        for record in queryset.order_by("pk"):
            existing.setdefault(record.iati_identifier, record)
        # Initiatives without an IATI identifier, exported by this platform with a generated one.
        wanted = {d.record_id: d for d in batch if d.record_id and d.identifier not in existing}
        if wanted:
            for record in Initiative.objects.filter(pk__in=wanted, iati_identifier="").select_related(
                "part_of"
            ):
                data = wanted[record.pk]
                if generated_identifier(record, self.prefix_of(record.publisher_id)) == data.identifier:
                    existing[data.identifier] = record
                    data.fields["iati_identifier"] = ""
        prefetch_related_objects(
            list(existing.values()), "country_shares", "region_shares", "participations", *M2M_FIELDS
        )
        return existing

    def _allowed(self, batch, existing):
        if self.actor is None:
            return True
        denied = False
        for data in batch:
            record = existing.get(data.identifier)
            if record is not None and not permissions.can(self.actor, permissions.CHANGE, record):
                denied = True
                self.report.add(
                    Problem(
                        "IATI-PERM",
                        _("This activity updates the initiative “{title}”, which you may not edit.").format(
                            title=record.display_title()
                        ),
                        activity=data.label,
                        element="/iati-activity/iati-identifier",
                        line=data.line,
                    )
                )
        return not denied

    @staticmethod
    def _parents(identifiers):
        found = {}
        if identifiers:
            rows = Initiative.objects.filter(iati_identifier__in=identifiers).order_by("pk")
            for pk, identifier in rows.values_list("pk", "iati_identifier"):
                found.setdefault(identifier, pk)
        return found

    def _state(self, data, before, contact_ids):
        m2m = {"thematic_areas": data.thematic_areas, "contacts": contact_ids}
        for name in EXTRA_M2M:
            if name in data.extra_m2m:
                m2m[name] = data.extra_m2m[name]
            else:
                m2m[name] = before.m2m[name] if before else []
        return State(data.countries, data.regions, data.participations, m2m)

    def _resolve_pending(self, records, states):
        """Parents that are new in this very batch are known once it is inserted."""
        waiting = {}
        for record in records:
            data = states[id(record)][0]
            if data.parent and record.part_of_id is None:
                waiting.setdefault(data.parent, []).append(record)
        if not waiting:
            return
        parents = self._parents(set(waiting))
        fixed = []
        for identifier, items in waiting.items():
            for record in items:
                if identifier in parents and parents[identifier] != record.pk:
                    record.part_of_id = parents[identifier]
                    fixed.append(record)
                else:
                    self.pending_parents.append((record.pk, identifier, states[id(record)][0]))
        Initiative.objects.bulk_update(fixed, ["part_of_id"])

    def _write_related(self, created, updated, states):
        """Shares, participations and many-to-many rows: deleted for updated initiatives, then inserted with
        one ``executemany`` per table (no model instance per row)."""
        if updated:
            ids = [record.pk for record in updated]
            for model in (InitiativeCountry, InitiativeRegion, Participation):
                model.objects.filter(initiative_id__in=ids).delete()
            for name in M2M_FIELDS:
                through, own, _other = through_model(name)
                through.objects.filter(**{"{}__in".format(own): ids}).delete()
        rows = {name: [] for name in ("countries", "regions", "participations", *M2M_FIELDS)}
        for record in created + updated:
            state = states[id(record)][1]
            pk = record.pk
            rows["countries"] += [(pk, country, pct) for country, pct in state.countries]
            rows["regions"] += [(pk, region, pct) for region, pct in state.regions]
            rows["participations"] += [(pk, org, role) for org, role in state.participations]
            for name in M2M_FIELDS:
                rows[name] += [(pk, other) for other in state.m2m[name]]
        insert_rows(InitiativeCountry, ("initiative_id", "country_id", "percentage"), rows["countries"])
        insert_rows(InitiativeRegion, ("initiative_id", "region_id", "percentage"), rows["regions"])
        insert_rows(Participation, ("initiative_id", "organization_id", "role_id"), rows["participations"])
        for name in M2M_FIELDS:
            through, own, other = through_model(name)
            insert_rows(through, (own, other), rows[name])

    def _index(self, records):
        """Search entries of the batch's initiatives. ``Initiative.search_texts`` reads the countries and
        organizations: they are served from this import's cache instead of two queries per record."""
        countries = self._cached(
            Country, {c for record in records for c in self._state_of(record).country_ids}
        )
        organizations = self._cached(
            Organization, {o for record in records for o in self._state_of(record).organization_ids}
        )
        for record in records:
            state = self._state_of(record)
            # What ``record.countries.all()`` returns when prefetched (only iterated by ``search_texts``).
            record._prefetched_objects_cache = {
                "countries": [countries[pk] for pk in state.country_ids],
                "organizations": [organizations[pk] for pk in state.organization_ids],
            }
        index_records(Initiative, records)
        for record in records:
            del record._prefetched_objects_cache

    @staticmethod
    def _state_of(record):
        return record._import_state

    def _cached(self, model, ids):
        cache = self.object_cache.setdefault(model, {})
        missing = ids - cache.keys()
        if missing:
            if len(cache) > OBJECT_CACHE_LIMIT:
                cache.clear()
                missing = ids
            cache.update(model._base_manager.in_bulk(missing))
        return cache

    # -- contacts --------------------------------------------------------------------------------------
    def _contacts(self, batch, existing):
        """Contact ids per activity label: the initiative's own contacts when they match, contacts found or
        created earlier in the import, contacts with the same e-mail and name, else new contacts."""
        result, missing = {}, {}
        for data in batch:
            record = existing.get(data.identifier) if data.identifier else None
            own = {contact_key(c): c.pk for c in record.contacts.all()} if record is not None else {}
            ids = []
            for contact in data.contacts:
                pk = own.get(contact.key) or self.contact_cache.get(contact.key)
                if pk is None:
                    missing.setdefault(contact.key, (contact, data.status))
                ids.append(pk or contact.key)
            result[data.label] = ids
        if missing:
            emails = {key[0] for key in missing if key[0]}
            if emails:
                for contact in Contact.objects.filter(email__in=emails).order_by("pk"):
                    key = contact_key(contact)
                    if key in missing:
                        self._remember(key, contact.pk)
                        missing.pop(key)
            self._create_contacts(missing)
        for label, ids in result.items():
            result[label] = sorted({pk if isinstance(pk, int) else self.contact_cache[pk] for pk in ids})
        return result

    def _remember(self, key, pk):
        if len(self.contact_cache) >= CONTACT_CACHE_LIMIT:
            # Keep memory flat; duplicates are then found by e-mail in the database.
            self.contact_cache.clear()
        self.contact_cache[key] = pk

    def _create_contacts(self, missing):
        if not missing:
            return
        now = timezone.now()
        contacts = []
        for key, (data, status) in missing.items():
            contact = Contact(
                name=data.name,
                position=data.position,
                email=data.email,
                phone=data.phone,
                organization_id=data.organization_id,
                original_language=data.original_language,
                status=status,
                revision=1,
                created_by=self.actor,
                updated_by=self.actor,
                published_at=now if status == Status.PUBLISHED else None,
            )
            contact.sort_title = (contact.text("name", contact.original_language) or "")[:255].casefold()
            contacts.append((key, contact))
        Contact.objects.bulk_create([contact for _key, contact in contacts], batch_size=500)
        content_type = self.content_types[Contact]
        Version.objects.bulk_create(
            [self._version(content_type, contact, snapshot(contact), None) for _key, contact in contacts],
            batch_size=500,
        )
        index_records(Contact, [contact for _key, contact in contacts])
        for key, contact in contacts:
            self._remember(key, contact.pk)

    # -- end of the file -------------------------------------------------------------------------------
    def finish(self):
        """Parents that came later in the file than their components; warnings for those never found."""
        if not self.pending_parents:
            return
        parents = self._parents({identifier for _pk, identifier, _data in self.pending_parents})
        content_type = self.content_types[Initiative]
        for pk, identifier, data in self.pending_parents:
            parent = parents.get(identifier)
            if parent is None or parent == pk:
                self.report.add(
                    Problem(
                        "IATI-MAP-PARENT",
                        _(
                            "The parent activity {identifier} is not in the platform; the link is left out."
                        ).format(identifier=identifier),
                        activity=data.label,
                        element="/iati-activity/related-activity",
                        line=data.line,
                        severity="warning",
                    )
                )
                continue
            Initiative.objects.filter(pk=pk).update(part_of_id=parent)
            version = (
                Version.objects.filter(content_type=content_type, object_id=pk).order_by("-number").first()
            )
            if version is not None:
                version.data["part_of"] = parent
                if "part_of" not in version.changes:
                    version.changes = sorted([*version.changes, "part_of"])
                version.save(update_fields=["data", "changes"])
