"""Layer 2 of the IATI validation: codelists and rules of the IATI Standard, checked on the activities the
platform imports (those that count as biosafety capacity-building). Each problem names the activity, the
element and a rule id; the ids are listed in :data:`RULES` and in ``docs/interop.md``."""

from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ..reports import WARNING, Problem
from . import codelists
from .activity import decimal, language, line_of, path_in_activity
from .schema import XML_LANG

MAX_IDENTIFIER = 150
FORBIDDEN_IN_IDENTIFIERS = set("/&|?")
PERCENT_TOLERANCE = Decimal("0.1")
MAX_AMOUNT = Decimal("1e14")

RULES = {
    "IATI-XML-MALFORMED": _("The file is not well-formed XML (the message gives the line and column)."),
    "IATI-XML-DTD": _("The file declares a document type or entities; refused for safety."),
    "IATI-XML-ROOT": _("The root element is neither <iati-activities> nor <iati-organisations>."),
    "IATI-VERSION-1X": _("IATI version 1.x files are not supported."),
    "IATI-VERSION-UNKNOWN": _("Warning: a version other than 2.01, 2.02 or 2.03; checked against 2.03."),
    "IATI-XSD": _(
        "The IATI 2.03 XML schema: an element or attribute missing, unexpected, repeated or of the "
        "wrong type."
    ),
    "IATI-ID-EMPTY": _("The iati-identifier (organisation-identifier) is empty."),
    "IATI-ID-CHARS": _("The identifier contains a space or one of / & | ?."),
    "IATI-ID-PREFIX": _("The iati-identifier does not start with the reporting organisation's identifier."),
    "IATI-ID-DUPLICATE": _("The same identifier is used twice in the file."),
    "IATI-ID-LENGTH": _("The identifier is longer than 150 characters."),
    "IATI-CODE-<Codelist>": _(
        "A code is not in its IATI codelist, e.g. IATI-CODE-Country, IATI-CODE-Sector."
    ),
    "IATI-PCT-100": _(
        "Percentages do not add up to 100: recipient countries and regions together, sectors per vocabulary."
    ),
    "IATI-PCT-MISSING": _("Some elements of a group have a percentage and others have none."),
    "IATI-DATE-ORDER": _("An end date is before its start date (planned, actual, or a budget period)."),
    "IATI-CUR-MISSING": _("An amount has no currency and the activity no default currency."),
    "IATI-CUR-MIXED": _(
        "Warning: amounts in another currency than the activity's are left out of the budget."
    ),
    "IATI-VALUE-RANGE": _("An amount is too large to be stored."),
    "IATI-TITLE-LANG": _("The title has no text in a language of the platform (en, es, fr, ar, zh, ru)."),
    "IATI-PERM": _("You may not update this initiative (it belongs to another publisher)."),
    "IATI-MAP-COUNTRY": _("Warning: a recipient country the platform does not know is left out."),
    "IATI-MAP-REGION": _("Warning: a recipient region the platform has no equivalent for is left out."),
    "IATI-MAP-PARENT": _("Warning: the parent activity (related-activity type 1) is not in the platform."),
    "IATI-MAP-ORG": _("Warning: a participating organisation with neither identifier nor name is left out."),
    "IATI-VALUE-NEGATIVE": _("Warning: the amounts add up to a negative budget, which is not kept."),
    "IATI-DB": _("The database refused the data; nothing was written."),
}


class _Codelists(dict):
    """Codelist name -> its codes, read on first use."""

    def __missing__(self, name):
        value = self[name] = codelists.codes(name)
        return value


def content_languages():
    return {code for code, _name in settings.CONTENT_LANGUAGES}


class ActivityChecker:
    """Checks activities one by one; remembers identifiers to find duplicates in the file."""

    def __init__(self):
        self.identifiers = {}
        self.languages = content_languages()
        self.lists = _Codelists()

    def duplicate(self, record, line=None):
        """IATI-ID-DUPLICATE, checked on every activity of the file. ``record`` has ``identifier``, ``index``
        and ``label`` (a :class:`~.schema.RecordElement` or an :class:`~.activity.Activity`)."""
        identifier = record.identifier
        if not identifier:
            return None
        first = self.identifiers.setdefault(identifier, record.index)
        if first == record.index:
            return None
        return Problem(
            "IATI-ID-DUPLICATE",
            _("The identifier {identifier} is used by activity number {first} of the file already.").format(
                identifier=identifier, first=first
            ),
            activity=record.label,
            element="/iati-activity/iati-identifier",
            line=line if line is not None else getattr(record, "line", None),
        )

    def check(self, activity, element):
        """The problems of an activity the platform imports (``element`` is its ``<iati-activity>``)."""
        problems = []
        label = activity.label

        def add(rule, message, where, severity="error"):
            element_path = "/iati-activity/" + where if where else "/iati-activity"
            line = line_of(activity, where) if where else activity.line
            problems.append(
                Problem(rule, message, activity=label, element=element_path, line=line, severity=severity)
            )

        lists = self.lists

        def code(codelist, value, where, allow_empty=True):
            if (not value and allow_empty) or value in lists[codelist]:
                return True
            add(
                "IATI-CODE-{}".format(codelist),
                _("{value} is not a code of the IATI {codelist} codelist.").format(
                    value=repr(value), codelist=codelist
                ),
                where,
            )
            return False

        self._identifier(activity, add)
        if activity.language:
            code("Language", language(activity.language), "@xml:lang")
        for narrative in element.iter("narrative"):
            lang = narrative.get(XML_LANG)
            if lang and language(lang) not in lists["Language"]:
                code("Language", language(lang), path_in_activity(narrative, element) + "/@xml:lang")
        code("OrganisationType", activity.reporting_type, "reporting-org/@type")
        code("ActivityStatus", activity.status, "activity-status/@code", allow_empty=False)
        code("ActivityScope", activity.scope, "activity-scope/@code")
        for index, (kind, _items) in enumerate(activity.descriptions, start=1):
            code("DescriptionType", kind, "description[{}]/@type".format(index))
        for participant in activity.participants:
            code("OrganisationRole", participant["role"], participant["where"] + "/@role", allow_empty=False)
            code("OrganisationType", participant["type"], participant["where"] + "/@type")
        for where, kind, _date in activity.dates:
            code("ActivityDateType", kind, where + "/@type", allow_empty=False)
        for contact in activity.contacts:
            code("ContactType", contact["type"], contact["where"] + "/@type")
        for where, value, *_pct in activity.countries:
            code("Country", value, where + "/@code", allow_empty=False)
        for where, value, vocabulary, _uri, *_pct in activity.regions:
            if code("RegionVocabulary", vocabulary, where + "/@vocabulary") and vocabulary == "1":
                code("Region", value, where + "/@code", allow_empty=False)
        for where, value, vocabulary, _uri, _pct in activity.sectors:
            if code("SectorVocabulary", vocabulary, where + "/@vocabulary"):
                if vocabulary == "1":
                    code("Sector", value, where + "/@code", allow_empty=False)
                elif vocabulary == "2":
                    code("SectorCategory", value, where + "/@code", allow_empty=False)
        for where, _value, vocabulary, _uri, _narratives in activity.tags:
            code("TagVocabulary", vocabulary, where + "/@vocabulary")
        for where, value, vocabulary, significance in activity.policy_markers:
            if code("PolicyMarkerVocabulary", vocabulary, where + "/@vocabulary") and vocabulary == "1":
                code("PolicyMarker", value, where + "/@code", allow_empty=False)
            code("PolicySignificance", significance, where + "/@significance")
        for where, _url, _narratives, categories, languages in activity.documents:
            for value in categories:
                code("DocumentCategory", value, where + "/category/@code")
            for value in languages:
                code("Language", language(value), where + "/language/@code")
        self._money(activity, add, code)
        self._percentages(activity, add)
        self._dates(activity, add)
        self._title(activity, add)
        return problems

    def _identifier(self, activity, add):
        identifier = activity.identifier
        if not identifier:
            add("IATI-ID-EMPTY", _("The activity has no iati-identifier."), "iati-identifier")
            return
        if any(char.isspace() or char in FORBIDDEN_IN_IDENTIFIERS for char in identifier):
            add(
                "IATI-ID-CHARS",
                _("The identifier {identifier} contains a space or one of the characters / & | ?.").format(
                    identifier=identifier
                ),
                "iati-identifier",
            )
        if len(identifier) > MAX_IDENTIFIER:
            add(
                "IATI-ID-LENGTH",
                _("The identifier is {length} characters long; at most {limit} are accepted.").format(
                    length=len(identifier), limit=MAX_IDENTIFIER
                ),
                "iati-identifier",
            )
        prefix = activity.reporting_ref
        if prefix and not identifier.startswith(prefix):
            add(
                "IATI-ID-PREFIX",
                _(
                    "The identifier {identifier} does not start with the reporting organisation's identifier "
                    "{prefix}."
                ).format(identifier=identifier, prefix=prefix),
                "iati-identifier",
            )

    def _money(self, activity, add, code):
        code("Currency", activity.default_currency, "@default-currency")
        amounts = []
        for where, kind, _start, _end, value, currency in activity.budgets:
            code("BudgetType", kind, where + "/@type")
            amounts.append((where + "/value", value, currency))
        for where, kind, value, currency in activity.transactions:
            code("TransactionType", kind, where + "/transaction-type/@code", allow_empty=False)
            amounts.append((where + "/value", value, currency))
        for where, value, currency in amounts:
            if currency:
                code("Currency", currency, where + "/@currency")
            elif not activity.default_currency:
                add(
                    "IATI-CUR-MISSING",
                    _("This amount has no currency, and the activity has no default-currency."),
                    where,
                )
            number = decimal(value)
            if number is not None and abs(number) >= MAX_AMOUNT:
                add("IATI-VALUE-RANGE", _("The amount {value} is too large.").format(value=value), where)

    def _percentages(self, activity, add):
        geography = [(where, pct, "") for where, _code, pct, _stored in activity.countries]
        regions = defaultdict(list)
        for where, _code, vocabulary, _uri, pct, _stored in activity.regions:
            regions[vocabulary].append((where, pct, vocabulary))
        geography_regions = [item for items in regions.values() for item in items]
        if geography or geography_regions:
            groups = [geography + geography_regions]
            if len(regions) > 1:
                # Either all countries and regions add up to 100, or countries and the regions of each
                # vocabulary do (the two readings of the IATI rule).
                groups = [groups[0]] + [geography + items for items in regions.values()]
            self._sum(groups, add, _("recipient countries and regions"), "recipient-country")
        sectors = defaultdict(list)
        for where, _code, vocabulary, _uri, pct in activity.sectors:
            sectors[vocabulary].append((where, pct, vocabulary))
        for vocabulary, items in sectors.items():
            self._sum(
                [items],
                add,
                # Translated only when the rule fails (most activities pass).
                format_lazy(_("sectors of vocabulary {vocabulary}"), vocabulary=vocabulary),
                "sector",
            )

    @staticmethod
    def _sum(groups, add, what, element):
        """The first group is reported; a rule passes when any group passes."""
        failures = []
        for items in groups:
            given = [
                (where, decimal(pct)) for where, pct, _v in items if pct is not None and pct.strip() != ""
            ]
            if not given:
                return
            if len(given) != len(items):
                missing = next(where for where, pct, _v in items if pct is None or pct.strip() == "")
                failures.append(
                    (
                        "IATI-PCT-MISSING",
                        _("Some {what} have a percentage and others have none.").format(what=what),
                        missing,
                    )
                )
                continue
            total = sum((value or Decimal(0)) for _where, value in given)
            if abs(total - 100) <= PERCENT_TOLERANCE:
                return
            failures.append(
                (
                    "IATI-PCT-100",
                    _("The percentages of the {what} add up to {total}, not 100.").format(
                        what=what, total="{:f}".format(total.normalize())
                    ),
                    element,
                )
            )
        if failures:
            add(*failures[0])

    @staticmethod
    def _dates(activity, add):
        dates = {}
        for where, kind, value in activity.dates:
            dates.setdefault(kind, (where, value))
        for start, end, what in (("1", "3", _("planned")), ("2", "4", _("actual"))):
            if start in dates and end in dates and dates[end][1] < dates[start][1]:
                add(
                    "IATI-DATE-ORDER",
                    _("The {what} end date {end} is before the {what} start date {start}.").format(
                        what=what, end=dates[end][1], start=dates[start][1]
                    ),
                    dates[end][0],
                )
        for where, _kind, start, end, *_rest in activity.budgets:
            if start and end and end < start:
                add(
                    "IATI-DATE-ORDER",
                    _("The budget period ends ({end}) before it starts ({start}).").format(
                        end=end, start=start
                    ),
                    where + "/period-end",
                )

    def _title(self, activity, add):
        default = activity.default_language
        if not any(text and (lang or default) in self.languages for lang, text in activity.title):
            add(
                "IATI-TITLE-LANG",
                _(
                    "The title has no text in a language of the platform (English, Spanish, French, Arabic, "
                    "Chinese or Russian)."
                ),
                "title",
            )


def warning(rule, message, activity, where=""):
    """A warning about ``activity`` at ``where`` (relative to the activity)."""
    element = "/iati-activity/" + where if where else "/iati-activity"
    line = line_of(activity, where) if where else activity.line
    return Problem(rule, message, activity=activity.label, element=element, line=line, severity=WARNING)
