"""What the BCH import and export share: document identifiers, and terms to and from BCH identifiers.

A record's BCH identifier is the one it was imported with (:class:`~capacityhub.interop.models.
ExternalIdentifier`), else a name-based UUID derived from its id, so that exporting twice gives the same
identifiers and importing an export finds the same records."""

import json
import uuid
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import translation

from capacityhub.reference.models import Term
from capacityhub.registry.choices import GeographicScope

from ..models import ExternalIdentifier

DATA_FILE = Path(__file__).resolve().parents[1] / "data" / "bch-terms.json"
NAMESPACE = uuid.UUID("6f1f3f3c-3d4e-5a0b-9c59-0c1d2e3f4a5b")
SCHEMA_INITIATIVE = "capacityBuildingInitiative"
SCHEMA_ORGANIZATION = "organization"
SCHEMA_CONTACT = "contact"
GEOGRAPHIC_SCOPE = "geographic-scope"


@lru_cache(maxsize=1)
def term_map():
    with open(DATA_FILE, encoding="utf-8") as handle:
        data = json.load(handle)
    return {key: value for key, value in data.items() if not key.startswith("_")}


def other_identifier():
    return term_map()["other"]


def derived_identifier(kind, pk):
    return str(uuid.uuid5(NAMESPACE, "{}:{}".format(kind, pk))).upper()


def plain(identifier):
    """A reference's identifier without its version suffix (``ABC@2`` -> ``ABC``), upper case."""
    return str(identifier or "").split("@", 1)[0].strip().upper()


class Identifiers:
    """BCH identifiers of the records of one model."""

    def __init__(self, model, kind):
        self.model = model
        self.kind = kind
        self.content_type = ContentType.objects.get_for_model(model)
        self._derived = None

    def of(self, pk, stored=None):
        if stored is None:
            stored = (
                ExternalIdentifier.objects.filter(system="bch", content_type=self.content_type, object_id=pk)
                .values_list("identifier", flat=True)
                .first()
            )
        return stored or derived_identifier(self.kind, pk)

    def stored(self, pks):
        rows = ExternalIdentifier.objects.filter(
            system="bch", content_type=self.content_type, object_id__in=pks
        )
        return dict(rows.values_list("object_id", "identifier"))

    def find(self, identifier):
        """The id of the record with this BCH identifier, or ``None``."""
        identifier = plain(identifier)
        row = (
            ExternalIdentifier.objects.filter(
                system="bch", content_type=self.content_type, identifier=identifier
            )
            .values_list("object_id", flat=True)
            .first()
        )
        if row is not None and self.model._base_manager.filter(pk=row).exists():
            return row
        if self._derived is None:
            self._derived = {
                derived_identifier(self.kind, pk): pk
                for pk in self.model._base_manager.values_list("pk", flat=True)
            }
        return self._derived.get(identifier)

    def remember(self, pk, identifier):
        identifier = plain(identifier)
        if identifier == derived_identifier(self.kind, pk):
            return
        ExternalIdentifier.objects.update_or_create(
            system="bch", content_type=self.content_type, object_id=pk, defaults={"identifier": identifier}
        )
        if self._derived is not None:
            self._derived[identifier] = pk


class Terms:
    """Terms of the platform's vocabularies to and from BCH term identifiers."""

    def __init__(self):
        data = term_map()
        self.other = data["other"].upper()
        self.to_bch = {}  # (vocabulary, code) -> identifier
        self.from_bch = {}  # (vocabulary, identifier) -> code
        self.labels = {}  # (vocabulary, casefolded label) -> code
        for vocabulary, code, identifier, label in Term.objects.values_list(
            "vocabulary__code", "code", "identifier", "label"
        ):
            extra = data.get(vocabulary, {}).get(code, [])
            ids = [identifier.upper()] if identifier else []
            ids += [item.upper() for item in extra if item.upper() not in ids]
            if ids:
                self.to_bch[(vocabulary, code)] = ids[0]
            for item in ids:
                self.from_bch.setdefault((vocabulary, item), code)
            for text in [code, *(label or {}).values()]:
                self.labels.setdefault((vocabulary, " ".join(str(text).split()).casefold()), code)
        for code, ids in data.get(GEOGRAPHIC_SCOPE, {}).items():
            self.to_bch[(GEOGRAPHIC_SCOPE, code)] = ids[0].upper()
            for item in ids:
                self.from_bch.setdefault((GEOGRAPHIC_SCOPE, item.upper()), code)
        for code, label in GeographicScope.choices:
            for language, _name in settings.LANGUAGES:
                with translation.override(language):
                    self.labels.setdefault((GEOGRAPHIC_SCOPE, " ".join(str(label).split()).casefold()), code)
            self.labels.setdefault((GEOGRAPHIC_SCOPE, code), code)

    def term(self, vocabulary, code, label=None):
        """The BCH ``Term`` of a platform term: its identifier, else "Other" with the label as customValue."""
        identifier = self.to_bch.get((vocabulary, code))
        if identifier:
            return {"identifier": identifier}
        return {"identifier": self.other, "customValue": label or {"en": code}}

    def code(self, vocabulary, term):
        """The platform code of a BCH ``Term`` (``None`` if unknown)."""
        identifier = plain(term.get("identifier"))
        code = self.from_bch.get((vocabulary, identifier))
        if code and not (identifier == self.other and term.get("customValue")):
            return code
        if identifier == self.other:
            for text in (term.get("customValue") or {}).values():
                code = self.labels.get((vocabulary, " ".join(str(text).split()).casefold()))
                if code:
                    return code
            return self.from_bch.get((vocabulary, identifier))
        return None
