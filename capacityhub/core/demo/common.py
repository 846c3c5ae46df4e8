"""What the parts of the demo generator share: the data files, constants and the builder's helpers."""

import datetime
import json
import random
from functools import cache
from pathlib import Path

from capacityhub.core import permissions
from capacityhub.core.services import record_save, record_transition
from capacityhub.reference.models import Country, Region, Term

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_SEED = 20090119  # the first online conference on capacity-building opened on 19 January 2009
ACTIVE_STATUSES = ("pipeline", "implementation", "finalisation")
DEMO_COUNTRIES = ("KE", "CO", "SN", "VN")
DUPLICATE_PAIR = ("GEF-3035", "P098962")  # project numbers of the duplicate (see data/initiatives.json)
MIN_NEEDS = 84
# The data describe the world as of mid-2026. Run later, every date of the data moves forward by whole years,
# so that there are still projects in the pipeline and under way, and overlaps between current projects.
DESIGN_DATE = datetime.date(2026, 7, 1)
COUNTRY_LANGUAGE = {
    **dict.fromkeys(
        ["CO", "PE", "EC", "BO", "MX", "GT", "HN", "SV", "CR", "PA", "CU", "DO", "AR", "PY", "UY"], "es"
    ),
    **dict.fromkeys(["SN", "BF", "ML", "NE", "BJ", "TG", "CI", "CM", "MG", "TD", "MA", "TN", "FR"], "fr"),
}
NAMES_WITH_THE = {"PH", "GM", "KM", "DO", "BS", "MV", "SB", "CF", "CD", "CG", "NE"}
JOINERS = {"en": " and ", "es": " y ", "fr": " et "}
LANGUAGE_ORDER = ("en", "es", "fr")


class DemoError(Exception):
    """The reference data the demo needs are missing."""


@cache
def data(name):
    """One of the data files, ``data/<name>.json``."""
    with open(DATA_DIR / "{}.json".format(name), encoding="utf-8") as handle:
        return json.load(handle)


class BuilderBase:
    """State and helpers of the demo builder: reference data, languages, dates, and writing a record."""

    def __init__(self, *, seed, today):
        self.rng = random.Random(seed)
        self.today = today
        self.terms = {}
        self.countries = {}
        self.regions = {}
        self.orgs = {}
        self.users = {}
        self.contacts_by_org = {}
        self.initiatives = {}
        self.accounts = []
        self.coverage = []  # (recipient iso2 set, areas, activity status, global without countries)
        self.timeline = []  # (record, created date, updated date)
        self.iati_numbers = 0
        self.shift_years = max(0, (today - DESIGN_DATE).days // 365)

    # -- reference data -----------------------------------------------------------------------------------
    def load_reference(self, check_terms=True):
        self.countries = {c.iso2: c for c in Country.objects.all()}
        if not self.countries:
            raise DemoError("No countries: run manage.py load_reference first.")
        self.regions = {r.code: r for r in Region.objects.prefetch_related("countries")}
        self.terms = {(t.vocabulary.code, t.code): t for t in Term.objects.select_related("vocabulary")}
        if check_terms:
            missing = sorted("{}:{}".format(*key) for key in self.needed_terms() if key not in self.terms)
            if missing:
                raise DemoError("Missing terms (run manage.py load_reference): {}".format(", ".join(missing)))

    def needed_terms(self):
        initiatives = data("initiatives")
        needed = {
            ("activity-status", code) for code in (*ACTIVE_STATUSES, "closed", "cancelled", "suspended")
        }
        needed |= {
            ("organization-roles", role) for spec in initiatives["special"] for _org, role in spec["orgs"]
        }
        needed |= {("organization-types", org["type"]) for org in data("organizations")["organizations"]}
        needed |= {("thematic-areas", area) for area in data("needs")["texts"]}
        needed |= {("expertise", code) for code in data("experts")["expertise_phrases"]}
        needed |= {("opportunity-types", o["kind"]) for o in data("opportunities")["opportunities"]}
        needed |= {("resource-types", r["type"]) for r in data("resources")["resources"]}
        needed |= {("funding-source-types", kind) for kind in initiatives["funding_source_types"].values()}
        for spec in [*initiatives["templates"].values(), *initiatives["special"]]:
            needed |= {("activity-categories", code) for code in spec["categories"]}
            needed |= {("target-groups", code) for code in spec["targets"]}
            needed |= {("thematic-areas", code) for code in spec["areas"] + spec.get("extra_areas", [])}
        return needed

    def term(self, vocabulary, code):
        try:
            return self.terms[(vocabulary, code)]
        except KeyError:
            raise DemoError(
                "Missing term {}:{} (run manage.py load_reference).".format(vocabulary, code)
            ) from None

    def country(self, iso2):
        try:
            return self.countries[iso2]
        except KeyError:
            raise DemoError("Missing country {} (run manage.py load_reference).".format(iso2)) from None

    def country_names(self, iso2):
        names = {code: self.country(iso2).localized_name(code) for code in LANGUAGE_ORDER}
        if iso2 in NAMES_WITH_THE:
            names["en"] = "the " + names["en"]
        return names

    def region_members(self, code):
        region = self.regions.get(code)
        return {c.iso2 for c in region.countries.all()} if region else set()

    # -- helpers ------------------------------------------------------------------------------------------
    def languages(self, available, preferred="en", share=0.35):
        """``(original language, languages written)``: the original, plus translations for about a third."""
        original = (
            preferred if preferred in available else ("en" if "en" in available else sorted(available)[0])
        )
        chosen = [original]
        others = [code for code in LANGUAGE_ORDER if code != original and code in available]
        if others and self.rng.random() < share:
            chosen += self.rng.sample(others, self.rng.randint(1, len(others)))
        return original, sorted(chosen, key=LANGUAGE_ORDER.index)

    @staticmethod
    def pick(text, languages, **values):
        """The languages of ``text`` among ``languages``, with ``{placeholders}`` filled per language."""
        return {
            code: text[code].format(**{k: v[code] if isinstance(v, dict) else v for k, v in values.items()})
            for code in languages
            if code in text
        }

    def shifted(self, date):
        """``date`` of the data moved forward by :attr:`shift_years` (29 February becomes 28 February)."""
        if not self.shift_years:
            return date
        year = date.year + self.shift_years
        return date.replace(year=year, day=min(date.day, 28 if date.month == 2 else 31))

    def when(self, days_ago):
        return self.today - datetime.timedelta(days=max(0, int(days_ago)))

    def user(self, username):
        return self.users.get(username) if username else None

    def national_users(self, iso2):
        if iso2 not in DEMO_COUNTRIES:
            return None, None
        return self.user("demo-user-{}".format(iso2.lower())), self.user("demo-focal-{}".format(iso2.lower()))

    def save(self, record, *, actor=None, related=None, workflow="published", publisher=None, comment=""):
        """Create ``record`` as ``actor`` and take it to ``workflow``: draft, submitted, published, archived,
        or returned (submitted, then returned with ``comment``). ``publisher`` publishes or returns it."""
        record.is_demo = True
        record_save(record=record, actor=actor, save_related=related)
        publisher = publisher if publisher is not None else actor
        if workflow in ("submitted", "returned"):
            record_transition(record=record, action=permissions.SUBMIT, actor=actor)
        if workflow == "returned":
            record_transition(record=record, action=permissions.RETURN, actor=publisher, comment=comment)
        if workflow in ("published", "archived"):
            record_transition(record=record, action=permissions.PUBLISH, actor=publisher)
        if workflow == "archived":
            record_transition(record=record, action=permissions.ARCHIVE, actor=publisher)
        record.refresh_from_db()
        return record
