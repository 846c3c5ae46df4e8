"""The generator of the demo data set: reads ``data/*.json`` and writes records through the services, in
dependency order: organizations, accounts, contacts, initiatives, national records (``national.py``),
opportunities, resources; then it dates everything like a platform in use for years."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from capacityhub.core.models import Version
from capacityhub.core.uploads import validate_upload
from capacityhub.reference.models import Contact, Organization
from capacityhub.registry.choices import GeographicScope
from capacityhub.registry.models import (
    CountryProfile,
    Expert,
    Initiative,
    InitiativeCountry,
    InitiativeRegion,
    Need,
    Opportunity,
    Participation,
    Resource,
    ResourceFile,
)

from .accounts import AccountsMixin
from .common import COUNTRY_LANGUAGE, DEFAULT_SEED, LANGUAGE_ORDER, BuilderBase, data
from .national import NationalRecordsMixin
from .pdf import tiny_pdf

DEMO_MODELS = (Organization, Contact, Initiative, Need, Opportunity, Resource, Expert, CountryProfile)


# --- entry points ------------------------------------------------------------------------------------------
@dataclass
class DemoResult:
    created: bool
    counts: dict = field(default_factory=dict)
    accounts: list = field(default_factory=list)  # (username, password or None if kept, role)


def demo_exists():
    return any(model._base_manager.filter(is_demo=True).exists() for model in DEMO_MODELS)


def count_demo():
    """``{verbose name plural: number of demo records}`` for every record type the demo fills."""
    return {
        str(model._meta.verbose_name_plural): model._base_manager.filter(is_demo=True).count()
        for model in DEMO_MODELS
    }


def load_demo(*, seed=DEFAULT_SEED, today=None):
    """Write the demo data set unless demo records exist already; always make sure the demo accounts exist."""
    today = today or timezone.localdate()
    with transaction.atomic():
        builder = DemoBuilder(seed=seed, today=today)
        if demo_exists():
            builder.load_reference(check_terms=False)
            builder.find_organizations()
            accounts = builder.ensure_accounts()
            return DemoResult(created=False, counts=count_demo(), accounts=accounts)
        builder.build()
        return DemoResult(created=True, counts=count_demo(), accounts=builder.accounts)


# --- the builder -------------------------------------------------------------------------------------------
class DemoBuilder(AccountsMixin, NationalRecordsMixin, BuilderBase):
    """Writes the demo records, in dependency order, as the system or as the demo users."""

    # -- the whole set ------------------------------------------------------------------------------------
    def build(self):
        self.load_reference()
        self.make_organizations()
        self.accounts = self.ensure_accounts()
        self.make_contacts()
        self.make_initiatives()
        self.make_needs()
        self.make_opportunities()
        self.make_resources()
        self.make_experts()
        self.make_profiles()
        self.apply_timeline()

    def find_organizations(self):
        by_name = {
            (org["acronym"], org["name"]["en"]): org["key"] for org in data("organizations")["organizations"]
        }
        for org in Organization.objects.filter(is_demo=True):
            key = by_name.get((org.acronym, org.name.get("en")))
            if key:
                self.orgs[key] = org

    # -- organizations and contacts -----------------------------------------------------------------------
    def make_organizations(self):
        taken = set(
            Organization.objects.exclude(iati_identifier="")
            .filter(merged_into__isnull=True)
            .values_list("iati_identifier", flat=True)
        )
        for row in data("organizations")["organizations"]:
            languages = list(row["name"])
            org = Organization(
                name=row["name"],
                acronym=row["acronym"],
                org_type=self.term("organization-types", row["type"]),
                country=self.country(row["country"]) if row["country"] else None,
                iati_identifier=row["iati_identifier"] if row["iati_identifier"] not in taken else "",
                website=row["website"],
                description=self.pick(row.get("description", {}), languages),
                original_language=row["language"],
            )
            self.orgs[row["key"]] = self.save(org)
            self.timeline.append(
                (org, self.when(self.rng.randint(900, 2400)), self.when(self.rng.randint(30, 800)))
            )

    def make_contacts(self):
        source = data("organizations")
        for row in source["contacts"]:
            position = source["positions"][row["position"]]
            original, languages = self.languages(position, COUNTRY_LANGUAGE.get(row["country"], "en"))
            plain = row["name"].replace("Dr. ", "").replace("Prof. ", "")
            contact = Contact(
                name={original: row["name"]},
                position=self.pick(position, languages),
                organization=self.orgs[row["organization"]],
                country=self.country(row["country"]) if row["country"] else None,
                email="{}@example.org".format(slugify(plain).replace("-", ".")),
                original_language=original,
            )
            self.save(contact)
            self.contacts_by_org.setdefault(row["organization"], []).append(contact)
            created, updated = self.when(self.rng.randint(400, 2000)), self.when(self.rng.randint(20, 390))
            self.timeline.append((contact, created, updated))

    # -- initiatives --------------------------------------------------------------------------------------
    def activity_status(self, start, end, override=None):
        if override:
            return override
        if start > self.today:
            return "pipeline"
        if end >= self.today:
            return "implementation"
        if (self.today - end).days <= 300:
            return "finalisation"
        return "closed"

    def national_specs(self):
        source = data("initiatives")
        specs = []
        for row in source["national"]:
            template = source["templates"][row["template"]]
            iso2, funder, implementer = row["country"], row["funder"], row["implementer"]
            original, languages = self.languages(template["title"], COUNTRY_LANGUAGE.get(iso2, "en"))
            names = self.country_names(iso2)
            year, month = (int(part) for part in row["start"].split("-"))
            start = self.shifted(datetime.date(year, month, 1))
            end = self.shifted(datetime.date(year + row["years"], month, 1) - datetime.timedelta(days=1))
            extra = template["extra_areas"]
            extra = self.rng.sample(extra, self.rng.randint(0, min(2, len(extra))))
            orgs = [(funder, "funding"), (implementer, "implementing")]
            authority = data("organizations")["national_authorities"].get(iso2)
            if authority:
                orgs.append((authority, "executing"))
            if row["template"] == "nbf" and self.rng.random() < 0.3:
                orgs.append(("undp", "collaborating"))
            low, high = template["budget_thousands"]
            budget = self.rng.randint(low, high) * 1000
            actor = row.get("actor") or (
                "demo-publisher-unep" if implementer == "unep" and self.rng.random() < 0.5 else None
            )
            specs.append(
                {
                    "key": row.get("key", "{}-{}".format(row["template"], iso2)),
                    "title": self.pick(template["title"], languages, c=names),
                    "description": self.pick(template["description"], languages, c=names),
                    "objectives": self.pick(template["objectives"], languages),
                    "language": original,
                    "scope": "national",
                    "countries": [[iso2, 100 if self.rng.random() < 0.5 else None]],
                    "orgs": orgs,
                    "publisher": implementer,
                    "budget": budget,
                    "currency": "EUR" if funder in source["eur_funders"] else "USD",
                    "co_financing": self.rng.randint(3, 12) * budget // 10 // 1000 * 1000
                    if funder == "gef"
                    else None,
                    "start": start,
                    "end": end,
                    "areas": template["areas"] + extra,
                    "categories": self.rng.sample(
                        template["categories"], min(2, len(template["categories"]))
                    ),
                    "targets": template["targets"],
                    "funding": [source["funding_source_types"].get(funder, template["funding"])],
                    "status": row.get("status"),
                    "workflow": row.get("workflow", "published"),
                    "actor": actor,
                    "part_of": "nbf-programme"
                    if row["template"] == "nbf" and implementer == "unep" and year <= 2016
                    else None,
                }
            )
        return specs

    def make_initiatives(self):
        specs = []
        for raw in data("initiatives")["special"]:
            spec = dict(raw)
            original, languages = self.languages(spec["title"], spec.get("language", "en"))
            spec["language"] = original
            spec["title"] = self.pick(spec["title"], languages)
            spec["description"] = self.pick(spec["description"], languages) or self.pick(
                spec["description"], ["en"]
            )
            spec["start"] = self.shifted(datetime.date.fromisoformat(spec["start"]))
            spec["end"] = self.shifted(datetime.date.fromisoformat(spec["end"]))
            specs.append(spec)
        for spec in specs + self.national_specs():
            self.make_initiative(spec)

    def make_initiative(self, spec):
        source = data("initiatives")
        start, end = spec["start"], spec["end"]
        status = self.activity_status(start, end, spec.get("status"))
        actual_start = actual_end = None
        if status != "pipeline" and start <= self.today:
            actual_start = min(start + datetime.timedelta(days=self.rng.randint(0, 120)), self.today)
            if status in ("closed", "finalisation"):
                actual_end = max(
                    actual_start, min(end + datetime.timedelta(days=self.rng.randint(0, 180)), self.today)
                )
        languages = list(spec["title"])
        ended = status in ("closed", "finalisation")
        publisher = self.orgs[spec["publisher"]]
        workflow = spec.get("workflow", "published")
        iati_identifier = ""
        if publisher.iati_identifier and workflow == "published":
            self.iati_numbers += 1
            iati_identifier = "{}-DEMO-{:04d}".format(publisher.iati_identifier, self.iati_numbers)
        initiative = Initiative(
            title=spec["title"],
            description=spec["description"],
            objectives=spec.get("objectives", {}),
            project_number=spec.get("project_number", ""),
            iati_identifier=iati_identifier,
            activity_status=self.term("activity-status", status),
            planned_start=start,
            planned_end=end,
            actual_start=actual_start,
            actual_end=actual_end,
            geographic_scope=spec.get("scope", GeographicScope.NATIONAL),
            publisher=publisher,
            budget=Decimal(spec["budget"]) if spec.get("budget") else None,
            co_financing=Decimal(spec["co_financing"]) if spec.get("co_financing") else None,
            currency=spec.get("currency", "USD"),
            outcomes=self.pick(source["outcomes"], languages) if ended else {},
            lessons_learned=self.pick(source["lessons_learned"], languages)
            if ended and self.rng.random() < 0.6
            else {},
            links=[{"url": publisher.website, "name": ""}] if publisher.website else [],
            part_of=self.initiatives.get(spec.get("part_of")),
            original_language=spec.get("language", "en"),
        )
        countries = spec.get("countries", [])
        regions = [self.regions[code] for code in spec.get("regions", []) if code in self.regions]
        contacts = [c for key, _role in spec["orgs"] for c in self.contacts_by_org.get(key, [])][:2]
        participations = list(dict.fromkeys((key, role) for key, role in spec["orgs"]))

        def related(record):
            InitiativeCountry.objects.bulk_create(
                InitiativeCountry(
                    initiative=record,
                    country=self.country(iso2),
                    percentage=None if pct is None else Decimal(pct),
                )
                for iso2, pct in countries
            )
            InitiativeRegion.objects.bulk_create(
                InitiativeRegion(initiative=record, region=r) for r in regions
            )
            Participation.objects.bulk_create(
                Participation(
                    initiative=record, organization=self.orgs[key], role=self.term("organization-roles", role)
                )
                for key, role in participations
            )
            record.thematic_areas.set([self.term("thematic-areas", code) for code in spec["areas"]])
            record.categories.set([self.term("activity-categories", code) for code in spec["categories"]])
            record.target_groups.set([self.term("target-groups", code) for code in spec["targets"]])
            record.funding_source_types.set(
                [self.term("funding-source-types", code) for code in spec["funding"]]
            )
            record.contacts.set(contacts)

        self.save(initiative, actor=self.user(spec.get("actor")), related=related, workflow=workflow)
        self.initiatives[spec["key"]] = initiative
        members = {iso2 for iso2, _pct in countries}
        for region in regions:
            members |= self.region_members(region.code)
        self.coverage.append(
            (members, set(spec["areas"]), status, spec.get("scope") == "global" and not members)
        )
        if workflow in ("draft", "submitted"):
            created = updated = self.when(self.rng.randint(2, 30))
        else:
            if start > self.today:
                created = self.when(self.rng.randint(30, 300))
            else:
                registered = start - datetime.timedelta(days=self.rng.randint(30, 200))
                created = min(self.when(60), max(registered, self.when(6000)))
            latest = min(self.today, (actual_end or end) + datetime.timedelta(days=60))
            span = max(0, (latest - created).days)
            updated = created + datetime.timedelta(days=self.rng.randint(span // 2, span))
        self.timeline.append((initiative, created, updated))

    # -- opportunities ------------------------------------------------------------------------------------
    def make_opportunities(self):
        source = data("opportunities")
        for spec in source["opportunities"]:
            deadline_days, start_days, length = spec["dates"]
            start = self.today + datetime.timedelta(days=start_days)
            spoken = spec["languages"]
            preferred = spoken[0] if len(spoken) == 1 and spoken[0] in spec["title"] else "en"
            original, languages = self.languages(spec["title"], preferred)
            cost = spec.get("cost", {})
            opportunity = Opportunity(
                title=self.pick(spec["title"], languages),
                description=self.pick(source["descriptions"][spec["kind"]], languages),
                kind=self.term("opportunity-types", spec["kind"]),
                publisher=self.orgs[spec["publisher"]],
                start_date=start,
                end_date=start + datetime.timedelta(days=length - 1),
                application_deadline=None
                if deadline_days is None
                else self.today + datetime.timedelta(days=deadline_days),
                is_online=spec.get("online", False),
                city=spec.get("city", ""),
                country=self.country(spec["country"]) if spec.get("country") else None,
                languages=spoken,
                eligibility=self.pick(source["eligibility"], languages),
                cost=self.pick(cost, languages) or self.pick(cost, ["en"]),
                funding_available=spec["funding"],
                link=self.orgs[spec["providers"][0]].website,
                original_language=original,
            )
            providers = [self.orgs[key] for key in spec["providers"]]
            eligible_countries = [self.country(iso2) for iso2 in spec.get("countries", [])]
            eligible_regions = [
                self.regions[code] for code in spec.get("regions", []) if code in self.regions
            ]
            areas = [self.term("thematic-areas", code) for code in spec["areas"]]

            def related(
                record,
                providers=providers,
                countries=eligible_countries,
                regions=eligible_regions,
                areas=areas,
            ):
                record.providers.set(providers)
                record.eligible_countries.set(countries)
                record.eligible_regions.set(regions)
                record.thematic_areas.set(areas)

            workflow = spec.get("workflow", "published")
            self.save(opportunity, actor=self.user(spec.get("actor")), related=related, workflow=workflow)
            if workflow in ("draft", "submitted"):
                created = self.when(self.rng.randint(1, 15))
            else:
                announced = min(self.today, start - datetime.timedelta(days=60))
                created = announced - datetime.timedelta(days=self.rng.randint(20, 120))
            self.timeline.append(
                (opportunity, created, min(self.today, created + datetime.timedelta(days=10)))
            )

    # -- resources ----------------------------------------------------------------------------------------
    def make_resources(self):
        source = data("resources")
        actors = {"fao": "demo-publisher-fao", "unep": "demo-publisher-unep"}
        for spec in source["resources"]:
            title, files = spec["title"], spec["files"]
            original, languages = self.languages(title, spec["language"])
            languages = sorted(
                set(languages) | {code for code in files if code in title}, key=LANGUAGE_ORDER.index
            )
            publisher = self.orgs[spec["publisher"]]
            resource = Resource(
                title=self.pick(title, languages),
                summary=self.pick(source["summary"], languages),
                resource_type=self.term("resource-types", spec["type"]),
                authors=spec["authors"],
                publisher=publisher,
                year=spec["year"] + self.shift_years,
                link="" if files else publisher.website,
                original_language=original,
            )
            terms = [self.term("thematic-areas", code) for code in spec["areas"]]

            def related(record, terms=terms, files=files, title=title):
                record.thematic_areas.set(terms)
                for code in files:
                    self.attach_pdf(record, code, title.get(code) or title["en"])

            actor = self.user(actors.get(spec["publisher"]))
            self.save(resource, actor=actor, related=related, workflow=spec.get("workflow", "published"))
            published = datetime.date(spec["year"] + self.shift_years, 6, 1)
            created = min(max(published, self.when(4000)), self.when(5))
            updated = min(self.today, created + datetime.timedelta(days=self.rng.randint(0, 400)))
            self.timeline.append((resource, created, updated))

    def attach_pdf(self, resource, language, title):
        lines = [
            "CapacityHub demonstration document - not an official publication.",
            "Publisher: {}".format(resource.publisher.display_title(language)),
            "Year: {}".format(resource.year),
        ]
        upload = ContentFile(
            tiny_pdf(title, lines), name="{}-{}.pdf".format(slugify(title)[:60] or "document", language)
        )
        _kind, mime, size, sha256 = validate_upload(upload)
        ResourceFile.objects.create(
            resource=resource, language=language, file=upload, content_type=mime, size=size, sha256=sha256
        )

    # -- ages ---------------------------------------------------------------------------------------------
    def apply_timeline(self):
        """Date records and their versions like those of a platform in use for years (freshness, age)."""
        zone = timezone.get_current_timezone()
        content_types = {}
        for position, (record, created, updated) in enumerate(self.timeline):
            model = type(record)
            content_type = content_types.setdefault(model, ContentType.objects.get_for_model(model))
            minute = position * 37 % 480  # a time of day that depends on the order of writing, not on ids
            created_at = datetime.datetime.combine(created, datetime.time(8, 0), zone) + datetime.timedelta(
                minutes=minute
            )
            updated_at = datetime.datetime.combine(max(created, updated), datetime.time(9, 0), zone)
            updated_at = max(created_at, updated_at + datetime.timedelta(minutes=minute))
            published = record.status in ("published", "archived")
            model._base_manager.filter(pk=record.pk).update(
                created_at=created_at, updated_at=updated_at, published_at=updated_at if published else None
            )
            versions = list(
                Version.objects.filter(content_type=content_type, object_id=record.pk).order_by("number")
            )
            for index, version in enumerate(versions):
                version.created_at = created_at if index == 0 else updated_at
            Version.objects.bulk_update(versions, ["created_at"])
