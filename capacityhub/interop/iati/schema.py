"""Layer 1 of the IATI validation: the IATI 2.03 XML schemas (XSD), applied while streaming.

The file is read once with ``lxml.etree.iterparse``. Each ``<iati-activity>`` (or ``<iati-organisation>``)
is validated against its global element declaration as soon as it is complete, handed to the caller, then
cleared and dropped, so memory stays flat whatever the file's size. The envelope (the root element's
attributes and its children other than activities) is validated at the end on a skeleton where each run of
activities is replaced by one minimal valid activity. Together these are the whole-document validation,
without holding the document.

The parser resolves no entity, loads no DTD and never uses the network; a document type declaration is
refused outright (IATI files have none, and entity expansion is how "billion laughs" files attack parsers).
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.utils.translation import gettext_lazy as _
from lxml import etree

from ..reports import Problem

SCHEMA_DIR = Path(__file__).resolve().parents[1] / "schemas" / "iati-2.03"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ACCEPTED_VERSIONS = ("2.01", "2.02", "2.03")
#: Root element -> (record element, schema file)
KINDS = {
    "iati-activities": ("iati-activity", "iati-activities-schema.xsd"),
    "iati-organisations": ("iati-organisation", "iati-organisations-schema.xsd"),
}
STUBS = {
    "iati-activity": (
        '<iati-activity><iati-identifier>X-1</iati-identifier><reporting-org ref="X" type="10">'
        "<narrative>X</narrative></reporting-org><title><narrative>X</narrative></title><description>"
        '<narrative>X</narrative></description><participating-org role="1"/><activity-status code="1"/>'
        '<activity-date type="1" iso-date="2000-01-01"/></iati-activity>'
    ),
    "iati-organisation": (
        "<iati-organisation><organisation-identifier>X</organisation-identifier><name><narrative>X"
        '</narrative></name><reporting-org ref="X" type="10"><narrative>X</narrative></reporting-org>'
        "</iati-organisation>"
    ),
}
SKELETON_LIMIT = 200

RULE_MALFORMED = "IATI-XML-MALFORMED"
RULE_DTD = "IATI-XML-DTD"
RULE_ROOT = "IATI-XML-ROOT"
RULE_XSD = "IATI-XSD"
RULE_VERSION_1 = "IATI-VERSION-1X"
RULE_VERSION_UNKNOWN = "IATI-VERSION-UNKNOWN"


def parser_options():
    """Options of every IATI parse: no entities, no DTD, no network, no huge trees."""
    return {"resolve_entities": False, "load_dtd": False, "no_network": True, "huge_tree": False}


@lru_cache(maxsize=4)
def schema(filename):
    """The compiled XSD (parsed once per process; the schemas include each other by relative path)."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / filename), parser))


def activities_schema():
    return schema(KINDS["iati-activities"][1])


def organisations_schema():
    return schema(KINDS["iati-organisations"][1])


@dataclass
class RecordElement:
    """One complete ``<iati-activity>``/``<iati-organisation>``, valid against the XSD or not."""

    element: object
    index: int  # 1-based position in the file
    identifier: str
    schema_problems: list

    @property
    def label(self):
        return self.identifier or "#{}".format(self.index)


def xsd_problems(validator, element, label):
    problems = []
    if validator.validate(element):
        return problems
    for entry in validator.error_log:
        problems.append(
            Problem(
                RULE_XSD,
                _("Schema: {message}").format(message=entry.message),
                activity=label,
                element=entry.path or "",
                line=entry.line or None,
            )
        )
    return problems


class IatiStream:
    """Iterate over the records of an IATI file, validated against the XSD, reporting into ``report``.

    After iteration, ``kind`` is ``"activities"`` or ``"organisations"`` (empty if the root was neither),
    ``version`` the declared version and ``language`` the file's default language, if any."""

    def __init__(self, source, report):
        self.source = source
        self.report = report
        self.kind = ""
        self.version = ""
        self.language = ""
        self.stopped = False
        self._record_tag = None

    def _fail(self, rule, message, line=None, element=""):
        self.report.error(rule, message, line=line, element=element)
        self.stopped = True

    def _check_root(self, root):
        if root.tag not in KINDS:
            self._not_iati(root)
            return False
        docinfo = root.getroottree().docinfo
        if docinfo.doctype or docinfo.internalDTD is not None:
            self._fail(
                RULE_DTD,
                _(
                    "The file declares a document type (DTD) or entities; IATI files have none, and they are "
                    "refused for safety."
                ),
                line=1,
            )
            return False
        self.kind = "activities" if root.tag == "iati-activities" else "organisations"
        self.version = (root.get("version") or "").strip()
        self.language = (root.get(XML_LANG) or "").strip()
        if self.version.startswith("1"):
            self._fail(
                RULE_VERSION_1,
                _(
                    "This file declares IATI version {version}. Version 1.x is not supported: publish or "
                    "convert the file to IATI 2.01, 2.02 or 2.03."
                ).format(version=self.version),
                line=root.sourceline,
                element="/{}/@version".format(root.tag),
            )
            return False
        if self.version and self.version not in ACCEPTED_VERSIONS:
            self.report.warning(
                RULE_VERSION_UNKNOWN,
                _("Unknown IATI version {version}; the file was checked against the 2.03 schema.").format(
                    version=self.version
                ),
                line=root.sourceline,
                element="/{}/@version".format(root.tag),
            )
        return True

    def __iter__(self):
        root = None
        record_tag = validator = None
        skeleton = []  # "record" markers (one per run of records) and copies of other root children
        index = 0
        tags = (*KINDS, *(record for record, _file in KINDS.values()))
        context = etree.iterparse(self.source, events=("start", "end"), tag=tags, **parser_options())
        try:
            for event, element in context:
                if root is None:
                    if element.getparent() is not None:
                        self._not_iati(element.getroottree().getroot())
                        return
                    root = element
                    if not self._check_root(root):
                        return
                    record_tag, schema_file = KINDS[root.tag]
                    self._record_tag = record_tag
                    validator = schema(schema_file)
                    continue
                if event != "end" or element.tag != record_tag or element.getparent() is not root:
                    continue
                self._keep_siblings(element, skeleton)
                if not skeleton or skeleton[-1] != "record":
                    skeleton.append("record")
                index += 1
                identifier = (
                    element.findtext(
                        "iati-identifier" if record_tag == "iati-activity" else "organisation-identifier"
                    )
                    or ""
                ).strip()
                label = identifier or "#{}".format(index)
                yield RecordElement(element, index, identifier, xsd_problems(validator, element, label))
                element.clear(keep_tail=True)
                while element.getprevious() is not None:
                    del root[0]
        except etree.XMLSyntaxError as error:
            self._malformed(error)
            return
        if self.stopped:
            return
        if root is None:
            self._not_iati(getattr(context, "root", None))
            return
        for child in list(root):
            self._keep(child, skeleton)
        self._check_envelope(root, skeleton, validator, record_tag)

    def _not_iati(self, root):
        self._fail(
            RULE_ROOT,
            _(
                "This is not an IATI file: its root element is <{tag}>, not <iati-activities> or "
                "<iati-organisations>."
            ).format(tag=root.tag if root is not None else "?"),
            line=root.sourceline if root is not None else None,
        )

    def _malformed(self, error):
        line = error.lineno or (error.position[0] if error.position else None)
        self._fail(
            RULE_MALFORMED,
            _("The file is not well-formed XML (line {line}, column {column}): {message}").format(
                line=line, column=(error.position or (0, 0))[1], message=error.msg
            ),
            line=line,
        )

    def _keep(self, node, skeleton):
        """Keep a root child that is not a record (an extension element) for the skeleton."""
        if isinstance(node.tag, str) and node.tag != self._record_tag and len(skeleton) < SKELETON_LIMIT:
            skeleton.append(node)  # appending it to the envelope later moves it out of the document

    def _keep_siblings(self, element, skeleton):
        siblings = []
        previous = element.getprevious()
        while previous is not None:
            siblings.append(previous)
            previous = previous.getprevious()
        for node in reversed(siblings):
            # Records before this one were cleared and removed already; what is left is other content.
            self._keep(node, skeleton)

    def _check_envelope(self, root, skeleton, validator, record_tag):
        envelope = etree.Element(root.tag, attrib=dict(root.attrib), nsmap=root.nsmap)
        envelope.sourceline = root.sourceline
        if (root.text or "").strip():
            envelope.text = root.text
        for item in skeleton:
            envelope.append(etree.fromstring(STUBS[record_tag]) if item == "record" else item)
        if validator.validate(envelope):
            return
        inside_stub = re.compile(r"^/{}/{}(\[\d+\])?/".format(re.escape(root.tag), re.escape(record_tag)))
        on_stub = re.compile(r"^/{}/{}(\[\d+\])?$".format(re.escape(root.tag), re.escape(record_tag)))
        for entry in validator.error_log:
            path = entry.path or ""
            if inside_stub.match(path):
                continue  # inside a stand-in record: cannot happen, but never blame the file for it
            line = root.sourceline if path in ("", "/" + root.tag) or on_stub.match(path) else entry.line
            self.report.error(
                RULE_XSD, _("Schema: {message}").format(message=entry.message), element=path, line=line
            )
