"""The IATI codelists the import checks codes against, read from the copies shipped with the reference data
(``capacityhub/reference/data/iati-codelists/{core,non-embedded}/xml``). Read once per process."""

from functools import lru_cache
from pathlib import Path

from lxml import etree

CODELIST_DIR = Path(__file__).resolve().parents[2] / "reference" / "data" / "iati-codelists"
FOLDERS = ("core/xml", "non-embedded/xml")


def _path(name):
    for folder in FOLDERS:
        path = CODELIST_DIR / folder / "{}.xml".format(name)
        if path.exists():
            return path
    raise LookupError("IATI codelist {} is not shipped in {}".format(name, CODELIST_DIR))


@lru_cache(maxsize=64)
def codes(name):
    """The codes of codelist ``name`` (e.g. ``"Country"``), withdrawn ones included: data published while a
    code was active stays valid."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    tree = etree.parse(str(_path(name)), parser)
    return frozenset((item.findtext("code") or "").strip() for item in tree.iter("codelist-item"))


@lru_cache(maxsize=64)
def names(name, language="en"):
    """``{code: name}`` of codelist ``name`` in ``language`` (else English)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    tree = etree.parse(str(_path(name)), parser)
    result = {}
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    for item in tree.iter("codelist-item"):
        narratives = item.findall("name/narrative")
        text = next((n.text for n in narratives if n.get(xml_lang) == language), None)
        text = text or next((n.text for n in narratives if not n.get(xml_lang)), "")
        result[(item.findtext("code") or "").strip()] = (text or "").strip()
    return result


def is_valid(name, code):
    return code in codes(name)
