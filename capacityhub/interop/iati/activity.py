"""Reading one ``<iati-activity>`` element into plain data: one pass over its children, no XPath.

Only what the platform maps or checks is read. Positions (``recipient-country[2]``) are kept so that
problems can name the element at fault."""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .schema import XML_LANG

#: Namespace of CapacityHub's extension elements and attributes in exported IATI files (IATI allows
#: extensions in other namespaces; other consumers ignore them).
EXT_NS = "https://capacityhub.org/ns/iati-extension/1"
EXT = "{" + EXT_NS + "}"


def language(value):
    """``"en"`` from ``"EN"``, ``"en-GB"`` or ``"en_GB"``."""
    return (value or "").strip().lower().replace("_", "-").split("-")[0]


def narratives(element):
    """``[(language or "", text)]`` of the ``<narrative>`` children of ``element``."""
    result = []
    if element is None:
        return result
    for child in element:
        if child.tag == "narrative":
            lang = child.get(XML_LANG)
            result.append((language(lang) if lang else "", (child.text or "").strip()))
    return result


def decimal(value):
    try:
        number = Decimal((value or "").strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def where(tag, position):
    return "{}[{}]".format(tag, position) if position > 1 else tag


@dataclass
class Activity:
    index: int
    line: int | None
    identifier: str = ""
    language: str = ""  # the activity's default language (xml:lang), raw
    file_language: str = ""  # the file's (xml:lang of the root), raw
    default_currency: str = ""
    reporting_ref: str = ""
    reporting_type: str = ""
    reporting_names: list = field(default_factory=list)
    title: list = field(default_factory=list)
    descriptions: list = field(default_factory=list)  # (type, narratives)
    participants: list = field(default_factory=list)  # dicts
    other_identifiers: list = field(default_factory=list)  # (ref, type)
    status: str = ""
    dates: list = field(default_factory=list)  # (where, type, iso-date)
    contacts: list = field(default_factory=list)  # dicts
    scope: str = ""
    countries: list = field(default_factory=list)  # (where, code, percentage raw, stored percentage raw)
    regions: list = field(default_factory=list)  # (where, code, vocabulary, uri, percentage raw, stored raw)
    sectors: list = field(default_factory=list)  # (where, code, vocabulary, uri, percentage raw)
    tags: list = field(default_factory=list)  # (where, code, vocabulary, uri, narratives)
    policy_markers: list = field(default_factory=list)  # (where, code, vocabulary, significance)
    budgets: list = field(default_factory=list)  # (where, type, start, end, value raw, currency)
    transactions: list = field(default_factory=list)  # (where, type, value raw, currency)
    documents: list = field(default_factory=list)  # (where, url, narratives, categories, languages)
    related: list = field(default_factory=list)  # (type, ref)
    extension: dict = field(default_factory=dict)
    lines: dict = field(default_factory=dict)  # "recipient-country[2]" -> line number

    @property
    def label(self):
        return self.identifier or "#{}".format(self.index)

    @property
    def default_language(self):
        """The language of narratives without xml:lang: the activity's, else the file's, else English."""
        return language(self.language) or language(self.file_language) or "en"

    def texts(self):
        """Every narrative of the title, the descriptions and the tags: what keyword rules search."""
        parts = [text for _lang, text in self.title]
        for _type, items in self.descriptions:
            parts += [text for _lang, text in items]
        for *_rest, items in self.tags:
            parts += [text for _lang, text in items]
        return "\n".join(part for part in parts if part)


def _reporting_org(activity, element, _where):
    activity.reporting_ref = (element.get("ref") or "").strip()
    activity.reporting_type = "" if element.get(EXT + "placeholder") else (element.get("type") or "").strip()
    activity.reporting_names = narratives(element)


def _title(activity, element, _where):
    activity.title = narratives(element)


def _description(activity, element, _where):
    activity.descriptions.append(((element.get("type") or "1").strip(), narratives(element)))


def _participating_org(activity, element, position):
    if element.get(EXT + "placeholder"):
        return  # written by our export because IATI requires one; the initiative has none
    activity.participants.append(
        {
            "where": where("participating-org", position),
            "ref": (element.get("ref") or "").strip(),
            "role": (element.get("role") or "").strip(),
            "type": (element.get("type") or "").strip(),
            "names": narratives(element),
            "ext_role": (element.get(EXT + "role") or "").strip(),
        }
    )


def _other_identifier(activity, element, _where):
    activity.other_identifiers.append(
        ((element.get("ref") or "").strip(), (element.get("type") or "").strip())
    )


def _activity_status(activity, element, _where):
    activity.status = (element.get("code") or "").strip()


def _activity_date(activity, element, position):
    if element.get(EXT + "placeholder"):
        return
    activity.dates.append(
        (
            where("activity-date", position),
            (element.get("type") or "").strip(),
            (element.get("iso-date") or "")[:10],
        )
    )


def _contact_info(activity, element, position):
    def first_text(tag):
        for child in element.iterfind(tag):
            text = "".join(child.itertext()).strip()
            if text:
                return text
        return ""

    activity.contacts.append(
        {
            "where": where("contact-info", position),
            "type": (element.get("type") or "").strip(),
            "organisation": narratives(element.find("organisation")),
            "department": narratives(element.find("department")),
            "person": narratives(element.find("person-name")),
            "job_title": narratives(element.find("job-title")),
            "telephone": first_text("telephone"),
            "email": first_text("email"),
            "website": first_text("website"),
        }
    )


def _activity_scope(activity, element, _where):
    activity.scope = (element.get("code") or "").strip()


def _recipient_country(activity, element, position):
    activity.countries.append(
        (
            where("recipient-country", position),
            (element.get("code") or "").strip(),
            element.get("percentage"),
            element.get(EXT + "percentage"),
        )
    )


def _recipient_region(activity, element, position):
    activity.regions.append(
        (
            where("recipient-region", position),
            (element.get("code") or "").strip(),
            (element.get("vocabulary") or "1").strip(),
            (element.get("vocabulary-uri") or "").strip(),
            element.get("percentage"),
            element.get(EXT + "percentage"),
        )
    )


def _sector(activity, element, position):
    activity.sectors.append(
        (
            where("sector", position),
            (element.get("code") or "").strip(),
            (element.get("vocabulary") or "1").strip(),
            (element.get("vocabulary-uri") or "").strip(),
            element.get("percentage"),
        )
    )


def _tag(activity, element, position):
    activity.tags.append(
        (
            where("tag", position),
            (element.get("code") or "").strip(),
            (element.get("vocabulary") or "").strip(),
            (element.get("vocabulary-uri") or "").strip(),
            narratives(element),
        )
    )


def _policy_marker(activity, element, position):
    activity.policy_markers.append(
        (
            where("policy-marker", position),
            (element.get("code") or "").strip(),
            (element.get("vocabulary") or "1").strip(),
            (element.get("significance") or "").strip(),
        )
    )


def _budget(activity, element, position):
    value = element.find("value")
    start = element.find("period-start")
    end = element.find("period-end")
    activity.budgets.append(
        (
            where("budget", position),
            (element.get("type") or "1").strip(),
            (start.get("iso-date") or "")[:10] if start is not None else "",
            (end.get("iso-date") or "")[:10] if end is not None else "",
            value.text if value is not None else None,
            (value.get("currency") or "").strip() if value is not None else "",
        )
    )


def _transaction(activity, element, position):
    kind = element.find("transaction-type")
    value = element.find("value")
    activity.transactions.append(
        (
            where("transaction", position),
            (kind.get("code") or "").strip() if kind is not None else "",
            value.text if value is not None else None,
            (value.get("currency") or "").strip() if value is not None else "",
        )
    )


def _document_link(activity, element, position):
    activity.documents.append(
        (
            where("document-link", position),
            (element.get("url") or "").strip(),
            narratives(element.find("title")),
            [(c.get("code") or "").strip() for c in element.iterfind("category")],
            [(c.get("code") or "").strip() for c in element.iterfind("language")],
        )
    )


def _related_activity(activity, element, _where):
    activity.related.append(((element.get("type") or "").strip(), (element.get("ref") or "").strip()))


def _extension(activity, element, _where):
    """CapacityHub's own element: the fields IATI has no place for, written by our export."""
    data = activity.extension
    data["present"] = True
    for child in element:
        if not isinstance(child.tag, str) or not child.tag.startswith(EXT):
            continue
        name = child.tag[len(EXT) :]
        if name in ("outcomes", "lessons-learned"):
            data[name] = narratives(child)
        elif name in ("geographic-scope", "co-financing"):
            data[name] = (child.text or "").strip()
        elif name == "record":
            data["record"] = {"id": (child.get("id") or "").strip()}


HANDLERS = {
    "reporting-org": _reporting_org,
    "title": _title,
    "description": _description,
    "participating-org": _participating_org,
    "other-identifier": _other_identifier,
    "activity-status": _activity_status,
    "activity-date": _activity_date,
    "contact-info": _contact_info,
    "activity-scope": _activity_scope,
    "recipient-country": _recipient_country,
    "recipient-region": _recipient_region,
    "sector": _sector,
    "tag": _tag,
    "policy-marker": _policy_marker,
    "budget": _budget,
    "transaction": _transaction,
    "document-link": _document_link,
    "related-activity": _related_activity,
    EXT + "capacityhub": _extension,
}


class Selection:
    """What the mapping rules look at to decide whether an activity is selected: the texts of its title,
    descriptions and tags, its sectors, policy markers and tags, whether it carries our extension element.
    Read by :func:`read_selection`, judged by ``ActivityMapping.selects``."""

    __slots__ = ("title", "descriptions", "tag_texts", "sectors", "policy_markers", "tags", "extension")

    def __init__(self):
        self.title = []
        self.descriptions = []
        self.tag_texts = []
        self.sectors = []  # (code, vocabulary)
        self.policy_markers = []  # (code, vocabulary, significance)
        self.tags = []  # (code, vocabulary, uri)
        self.extension = False

    def texts(self):
        """The text :meth:`Activity.texts` gives for the same activity."""
        return "\n".join(part for part in self.title + self.descriptions + self.tag_texts if part)


def _narrative_texts(element):
    return [(child.text or "").strip() for child in element.iterchildren("narrative")]


SELECTION_TAGS = ("title", "description", "sector", "tag", "policy-marker", EXT + "capacityhub")


def read_selection(element):
    """The :class:`Selection` of ``element`` (an ``<iati-activity>``). Most activities of a publisher's file
    are not selected: reading the rest of them (organizations, budgets, transactions, dates, where each
    element is), as :func:`read_activity` does, would be wasted. The values are read as
    :func:`read_activity` reads them; a selected activity is then read in full."""
    selection = Selection()
    for child in element.iterchildren(*SELECTION_TAGS):  # the other children are skipped by lxml, in C
        tag = child.tag
        if tag == "description":
            selection.descriptions += _narrative_texts(child)
        elif tag == "sector":
            selection.sectors.append(
                ((child.get("code") or "").strip(), (child.get("vocabulary") or "1").strip())
            )
        elif tag == "policy-marker":
            selection.policy_markers.append(
                (
                    (child.get("code") or "").strip(),
                    (child.get("vocabulary") or "1").strip(),
                    (child.get("significance") or "").strip(),
                )
            )
        elif tag == "title":
            selection.title = _narrative_texts(child)
        elif tag == "tag":
            selection.tags.append(
                (
                    (child.get("code") or "").strip(),
                    (child.get("vocabulary") or "").strip(),
                    (child.get("vocabulary-uri") or "").strip(),
                )
            )
            selection.tag_texts += _narrative_texts(child)
        else:
            selection.extension = True
    return selection


def read_activity(element, index, identifier, file_language=""):
    """The :class:`Activity` held by ``element`` (an ``<iati-activity>``)."""
    activity = Activity(
        index=index, line=element.sourceline, identifier=identifier, file_language=file_language
    )
    activity.language = (element.get(XML_LANG) or "").strip()
    activity.default_currency = (element.get("default-currency") or "").strip()
    counts = {}
    handlers = HANDLERS
    for child in element:
        tag = child.tag
        handler = handlers.get(tag)
        if handler is None:
            continue
        position = counts[tag] = counts.get(tag, 0) + 1
        activity.lines[where(tag, position)] = child.sourceline
        handler(activity, child, position)
    return activity


def line_of(activity, path):
    """The line of the child element ``path`` starts with (``"budget[2]/value"`` -> line of ``budget[2]``)."""
    return activity.lines.get(path.split("/", 1)[0], activity.line)


def path_in_activity(node, activity_element):
    """``title/narrative[2]``: where ``node`` is inside its activity, for problems."""
    steps = []
    while node is not None and node is not activity_element:
        parent = node.getparent()
        if parent is None:
            break
        same = [sibling for sibling in parent if sibling.tag == node.tag]
        position = same.index(node) + 1
        steps.append("{}[{}]".format(node.tag, position) if len(same) > 1 else node.tag)
        node = parent
    return "/".join(reversed(steps))
