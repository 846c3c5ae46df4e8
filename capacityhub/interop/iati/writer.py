"""Writing imported initiatives in batches: a few queries per batch instead of dozens per record.

It does what :func:`capacityhub.core.services.record_save` does for one record (permission check, a
:class:`~capacityhub.core.models.Version` per created or changed record with the same snapshot format, the
search index), with bulk inserts. An initiative whose data did not change is not written at all: importing
the same file twice leaves no trace."""

from functools import lru_cache

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from capacityhub.core import permissions
from capacityhub.core.choices import Status, VersionAction
from capacityhub.core.models import Version
from capacityhub.core.multilingual import resolve
from capacityhub.core.search import index_records
from capacityhub.core.services import changed_fields, snapshot
from capacityhub.reference.models import Contact, Country, Organization
from capacityhub.registry.models import Initiative, InitiativeCountry, InitiativeRegion, Participation
from capacityhub.registry.models import _names as related_names

from ..references import pk_of
from ..reports import Problem
from .convert import name_text
from .rows import Table, index_documents, insert_rows, insert_versions, quote

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
        """The snapshot of ``record`` (an initiative) holding this state's relations."""
        table = initiative_table()
        return self.snapshot_values(table, {attname: getattr(record, attname) for attname in table.defaults})

    def snapshot_values(self, table, values):
        m2m = dict(self.m2m)
        m2m["countries"] = [pk for pk, _pct in self.countries]
        m2m["regions"] = [pk for pk, _pct in self.regions]
        m2m["organizations"] = [org for org, _role in self.participations]
        related = {
            "countries": [[pk, pct and float(pct)] for pk, pct in self.countries],
            "regions": [[pk, pct and float(pct)] for pk, pct in self.regions],
            "organizations": [[org, role] for org, role in self.participations],
        }
        return table.snapshot(values, m2m, related)


@lru_cache(maxsize=1)
def initiative_table():
    return Table(Initiative)


def sort_title(values):
    """What ``Record.save`` puts in ``sort_title``: the title in the original language, case-folded."""
    language = values["original_language"]
    return (resolve(values["title"], language, language)[0] or "")[:255].casefold()


class Entry:
    """One initiative of a batch being written: its column values (``{attname: value}``), its import data,
    its relations, and its snapshot before the import (``None`` when it is new)."""

    __slots__ = ("pk", "values", "data", "state", "before", "record")

    def __init__(self, values, data, state, before=None, record=None):
        self.pk = record.pk if record is not None else None
        self.values = values
        self.data = data
        self.state = state
        self.before = before
        self.record = record


def generated_identifier(record, prefix):
    """The IATI identifier the export gives an initiative that has none."""
    return "{}-CH{}".format(prefix, record.pk)


class InitiativeWriter:
    def __init__(self, *, report, actor, comment, prefix_of):
        self.report = report
        self.actor = actor if actor is not None and actor.is_authenticated else None
        self.comment = str(comment)
        self.prefix_of = prefix_of  # publisher id -> reporting-org ref the export uses
        self.content_types = {
            model: ContentType.objects.get_for_model(model) for model in (Initiative, Contact)
        }
        self.contact_cache = {}
        self.pending_parents = []  # (initiative pk, parent identifier)
        self.organizations = None  # the OrganizationIndex of the import, once it has one
        self.name_cache = {}  # model -> {pk: texts of its name}, for the search entries

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
        table = initiative_table()
        parents = self._parents({d.parent for d in batch if d.parent})
        contacts = self._contacts(batch, existing)
        now = timezone.now()
        actor_id = self.actor.pk if self.actor is not None else None
        created, updated = [], []
        for data in batch:
            record = existing.get(data.identifier) if data.identifier else None
            parent = parents.get(data.parent)
            if data.parent and parent is None and record is not None and record.part_of_id:
                if record.part_of.iati_identifier == data.parent:
                    parent = record.part_of_id
            if record is None:
                values = dict(table.defaults)
                values.update(data.fields)
                values.update(
                    status=data.status,
                    revision=1,
                    created_by_id=actor_id,
                    updated_by_id=actor_id,
                    created_at=now,
                    updated_at=now,
                    published_at=now if data.status == Status.PUBLISHED else None,
                    part_of_id=parent,
                )
                values["sort_title"] = sort_title(values)
                created.append(Entry(values, data, self._state(data, None, contacts[data.label])))
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
            record.sort_title = (record.text("title", record.original_language) or "")[:255].casefold()
            values = {attname: getattr(record, attname) for attname in table.defaults}
            updated.append(Entry(values, data, state, before, record))
        self._insert(table, created)
        if updated:
            Initiative.objects.bulk_update(
                [entry.record for entry in updated],
                [*IMPORTED_FIELDS, "revision", "updated_by", "updated_at", "sort_title"],
                batch_size=500,
            )
        entries = created + updated
        self._resolve_pending(entries)
        self._write_related(created, updated)
        content_type = self.content_types[Initiative].pk
        versions = []
        for entry in entries:
            after = entry.state.snapshot_values(table, entry.values)
            versions.append(
                (
                    content_type,
                    entry.pk,
                    entry.values["revision"],
                    VersionAction.IMPORTED,
                    entry.values["status"],
                    actor_id,
                    after,
                    changed_fields(entry.before or {}, after),
                    self.comment,
                )
            )
        insert_versions(versions)
        self._index(table, entries)
        self.report.created += len(created)
        self.report.updated += len(updated)

    def _insert(self, table, entries):
        """New initiatives: one multi-row ``INSERT … RETURNING`` per few dozen rows; their ids are read
        back by IATI identifier (unique in the file, never empty for an imported activity)."""
        if not entries:
            return
        ids = table.insert_returning(table.rows([entry.values for entry in entries]), "iati_identifier")
        for entry in entries:
            entry.pk = ids[entry.values["iati_identifier"]]

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

    def _resolve_pending(self, entries):
        """Parents that are new in this very batch are known once it is inserted."""
        waiting = {}
        for entry in entries:
            if entry.data.parent and entry.values["part_of_id"] is None:
                waiting.setdefault(entry.data.parent, []).append(entry)
        if not waiting:
            return
        parents = self._parents(set(waiting))
        fixed = []
        for identifier, items in waiting.items():
            for entry in items:
                if identifier in parents and parents[identifier] != entry.pk:
                    entry.values["part_of_id"] = parents[identifier]
                    if entry.record is not None:
                        entry.record.part_of_id = parents[identifier]
                    fixed.append((parents[identifier], entry.pk))
                else:
                    self.pending_parents.append((entry.pk, identifier, entry.data))
        if fixed:
            sql = "UPDATE {} SET {} = %s WHERE {} = %s".format(
                quote(Initiative._meta.db_table), quote("part_of_id"), quote("id")
            )
            with connection.cursor() as cursor:
                cursor.executemany(sql, fixed)

    def _write_related(self, created, updated):
        """Shares, participations and many-to-many rows: deleted for updated initiatives, then inserted with
        one ``executemany`` per table (no model instance per row)."""
        if updated:
            ids = [entry.pk for entry in updated]
            for model in (InitiativeCountry, InitiativeRegion, Participation):
                model.objects.filter(initiative_id__in=ids).delete()
            for name in M2M_FIELDS:
                through, own, _other = through_model(name)
                through.objects.filter(**{"{}__in".format(own): ids}).delete()
        rows = {name: [] for name in ("countries", "regions", "participations", *M2M_FIELDS)}
        for entry in created + updated:
            state = entry.state
            pk = entry.pk
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

    def _index(self, table, entries):
        """Search entries of the batch's initiatives: the texts ``Initiative.search_texts`` gives (its
        multilingual fields, project number and IATI identifier, then the names of its countries and
        organizations), the names read once per country and organization in the import."""
        countries = self._names(Country, {c for entry in entries for c in entry.state.country_ids})
        organizations = self._names(
            Organization, {o for entry in entries for o in entry.state.organization_ids}
        )
        texts_by_pk = {}
        for entry in entries:
            values = entry.values
            texts = table.texts(values)
            texts += [(None, t) for t in (values["project_number"], values["iati_identifier"]) if t]
            for pk in entry.state.country_ids:
                texts += countries[pk]
            for pk in entry.state.organization_ids:
                texts += organizations[pk]
            texts_by_pk[entry.pk] = texts
        new = {entry.pk for entry in entries if entry.record is None}
        index_documents(Initiative.record_type.key, texts_by_pk, new)

    def _names(self, model, ids):
        """``{pk: search texts of the record's name}`` (cached for the import, bounded)."""
        cache = self.name_cache.setdefault(model, {})
        missing = ids - cache.keys()
        if missing:
            if len(cache) > OBJECT_CACHE_LIMIT:
                cache.clear()
                missing = ids
            for pk, obj in model._base_manager.in_bulk(missing).items():
                cache[pk] = related_names([obj])
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
        versions = []
        for _key, contact in contacts:
            data = snapshot(contact)
            versions.append(
                (
                    content_type.pk,
                    contact.pk,
                    1,
                    VersionAction.IMPORTED,
                    contact.status,
                    contact.created_by_id,
                    data,
                    changed_fields({}, data),
                    self.comment,
                )
            )
        insert_versions(versions)
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
