"""Identifier keys: what says two records describe the same initiative, whatever their titles.

A record carries identifiers in several places: its IATI identifier (``44000-P123456`` is World Bank project
P123456), its project number (``GEF-4444``), the addresses of its documents
(``https://www.thegef.org/projects-operations/projects/4444``) and its texts ("GEF ID 4444", "PIMS 5678").
Each is reduced to a key:

- ``ID:<letters and digits>`` — the IATI identifier and the project number as given (upper case, only letters
  and digits, at least four of them), so that one source's project number matches another's IATI identifier;
- ``GEF:<n>`` — a Global Environment Facility project id;
- ``WB:P<nnnnnn>`` — a World Bank project id;
- ``PIMS:<n>`` — a UNDP PIMS number.

Donor ids are read from the structured fields leniently (``GEF-4444``) and from free text only with a word
that marks them as an identifier ("GEF ID 4444", "GEF project 4444", "P123456" for the World Bank, whose
ids have a distinctive shape), so a year after "GEF" is not taken for an id. Two initiatives sharing a key
are compared wherever they are (a blocking key) and scored as likely duplicates (a strong signal)."""

import re

from django.utils.translation import gettext_lazy as _

MIN_LENGTH = 4
_GEF_FIELD = re.compile(r"\bGEF\s*(?:ID|PROJECT\s*ID|NO\.?|#|-)?\s*[:#-]?\s*(\d{3,5})\b", re.IGNORECASE)
_GEF_TEXT = re.compile(
    r"\bGEF\s*(?:PROJECT|PROGRAMME|PROGRAM|PROYECTO|PROJET)?\s*(?:ID|NO\.?|NUMBER|N[°º]|#)\s*[:#]?\s*(\d{3,5})\b",
    re.IGNORECASE,
)
_GEF_URL = re.compile(r"thegef\.org/(?:projects-operations/)?projects?/(\d{3,5})\b", re.IGNORECASE)
_WORLD_BANK = re.compile(r"\b(P\d{6})\b")
_PIMS = re.compile(r"\bPIMS\s*(?:ID|NO\.?|#)?\s*[:#]?\s*(\d{3,6})\b", re.IGNORECASE)

LABELS = {"GEF": _("GEF {id}"), "WB": _("World Bank {id}"), "PIMS": _("UNDP PIMS {id}")}


def normalize_identifier(value):
    return "".join(ch for ch in (value or "").upper() if ch.isalnum())


def _donor_keys(text, gef):
    keys = {"GEF:{}".format(int(m)) for m in gef.findall(text)}
    keys |= {"GEF:{}".format(int(m)) for m in _GEF_URL.findall(text)}
    keys |= {"WB:{}".format(m.upper()) for m in _WORLD_BANK.findall(text)}
    keys |= {"PIMS:{}".format(int(m)) for m in _PIMS.findall(text)}
    return keys


def field_keys(*values):
    """Keys of structured identifiers (IATI identifier, project number)."""
    keys = set()
    for value in values:
        value = (value or "").strip()
        if not value:
            continue
        normalized = normalize_identifier(value)
        if len(normalized) >= MIN_LENGTH:
            keys.add("ID:" + normalized)
        keys |= _donor_keys(value.upper(), _GEF_FIELD)
    return keys


def text_keys(texts=(), links=()):
    """Donor ids mentioned in texts (any language) and in the addresses of documents."""
    keys = set()
    for text in texts:
        if text and ("GEF" in text.upper() or "P" in text or "PIMS" in text.upper()):
            keys |= _donor_keys(text, _GEF_TEXT)
    for link in links or ():
        url = link.get("url", "") if isinstance(link, dict) else str(link or "")
        if url:
            keys |= {"GEF:{}".format(int(m)) for m in _GEF_URL.findall(url)}
            keys |= {"WB:{}".format(m.upper()) for m in _WORLD_BANK.findall(url)}
    return keys


def record_keys(project_number="", iati_identifier="", texts=(), links=()):
    return field_keys(project_number, iati_identifier) | text_keys(texts, links)


def multilingual_values(*fields):
    """Every language's text of multilingual fields (dicts), as a flat list."""
    values = []
    for value in fields:
        if isinstance(value, dict):
            values += [v for v in value.values() if v]
        elif value:
            values.append(value)
    return values


def initiative_keys(initiative):
    return record_keys(
        initiative.project_number,
        initiative.iati_identifier,
        multilingual_values(initiative.title, initiative.description, initiative.objectives),
        initiative.links,
    )


def label(key):
    """A key as a reader sees it: "GEF 4444", "World Bank P123456", or the identifier itself."""
    kind, _sep, value = key.partition(":")
    return str(LABELS[kind]).format(id=value) if kind in LABELS else value
