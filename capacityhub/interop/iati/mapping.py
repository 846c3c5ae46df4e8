"""Which IATI activities count as biosafety capacity-building, and their thematic areas.

The rules are data (:class:`capacityhub.interop.models.MappingRule`, edited by the Secretariat, seeded from
``data/iati-mapping.json``). They are compiled once per import: code rules into a dictionary, keyword rules
into one regular expression over the activity's normalized text (case and accents removed), so that
matching costs one scan of the text whatever the number of keywords.
"""

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parents[1] / "data" / "iati-mapping.json"
#: Tags with these vocabulary URIs carry CapacityHub vocabularies (written by our export).
VOCABULARY_URI = "https://capacityhub.org/vocabularies/{}"
THEMATIC_AREAS_URI = VOCABULARY_URI.format("thematic-areas")

_COMBINING = re.compile(r"[\u0300-\u036f]")
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015_/]+")
#: Keywords written in these scripts match anywhere (no spaces between words, or attached prefixes).
_UNSPACED = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def normalize(text):
    """Lower case, accents removed, hyphens and runs of spaces as one space.

    What ``_SEPARATORS.sub(" ", text)`` does, done with string methods (several times quicker: it runs on
    the text of every activity of a file): separators other than white space become spaces, then runs of
    white space (``str.split`` and ``\\s`` agree on what it is) become one space, at the ends too."""
    if text.isascii():  # nothing to decompose, and casefold() is lower() (the common case, quicker)
        return _collapse(text, _ASCII_SEPARATORS).lower()
    text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return _collapse(text, _OTHER_SEPARATORS).casefold()


_ASCII_SEPARATORS = "-_/"
_OTHER_SEPARATORS = _ASCII_SEPARATORS + "".join(chr(code) for code in range(0x2010, 0x2016))


def _collapse(text, separators):
    for char in separators:
        if char in text:
            text = text.replace(char, " ")
    words = text.split()
    collapsed = " ".join(words)
    if not text or collapsed == text:
        return collapsed
    if text[0].isspace():
        collapsed = " " + collapsed
    if words and text[-1].isspace():
        collapsed += " "
    return collapsed


def _trie_pattern(words):
    """A regular expression matching any of ``words`` (the longest first), with shared prefixes factored."""
    trie = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = True

    def build(node):
        end = node.get("") is True
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:{})".format("|".join(branches))
        return "(?:{})?".format(body) if end else body

    return build(trie)


def load_seed():
    with open(DATA_FILE, encoding="utf-8") as handle:
        return json.load(handle)["rules"]


def seed_rules(model):
    """Add the rules of the seed file missing from the table of ``model`` (never changes existing rules).

    ``model`` is :class:`~capacityhub.interop.models.MappingRule` or its historical version in a migration."""
    existing = set(model.objects.values_list("kind", "vocabulary", "code"))
    new = []
    for position, row in enumerate(load_seed(), start=1):
        key = (row["kind"], row.get("vocabulary", ""), row["code"])
        if key in existing:
            continue
        existing.add(key)
        new.append(
            model(
                kind=row["kind"],
                vocabulary=row.get("vocabulary", ""),
                code=row["code"],
                selects=row.get("selects", False),
                areas=row.get("areas", []),
                min_significance=row.get("min_significance", 1),
                note=row.get("note", ""),
                position=position,
            )
        )
    model.objects.bulk_create(new)
    return len(new)


@lru_cache(maxsize=8)
def _compile(words):
    """One regular expression finding the longest keyword of ``words`` that starts at a place (a trie, so
    that the engine scans the text once), and for each keyword the other keywords that are its prefixes
    (found at the same place). Compiled once per set of keywords."""
    pattern = re.compile(_trie_pattern(words)) if words else None
    prefixes = {}
    for word in words:
        prefixes[word] = [other for other in words if other != word and word.startswith(other)]

    return pattern, prefixes


@dataclass
class Match:
    selected: bool = False
    areas: set = field(default_factory=set)
    reasons: list = field(default_factory=list)


@dataclass
class _Rule:
    kind: str
    vocabulary: str
    code: str
    selects: bool
    areas: tuple
    min_significance: int = 1


class ActivityMapping:
    """The compiled mapping rules."""

    def __init__(self, rules):
        self.codes = {}
        self.keywords = {}
        self.default_areas = set()
        for rule in rules:
            if rule.kind == "default":
                self.default_areas |= set(rule.areas)
            elif rule.kind == "keyword":
                word = normalize(rule.code).strip()
                if word:
                    self.keywords.setdefault(word, []).append(rule)
            else:
                key = (rule.kind, (rule.vocabulary or "1").strip(), rule.code.strip())
                self.codes.setdefault(key, []).append(rule)
        self.pattern, self.prefixes = _compile(tuple(sorted(self.keywords)))
        # What decides selection alone (see :meth:`selects`): the codes with a selecting rule (the lowest
        # significance at which one selects) and the selecting keywords.
        self.selecting_codes = {}
        for key, code_rules in self.codes.items():
            levels = [
                rule.min_significance if key[0] == "policy-marker" else 0
                for rule in code_rules
                if rule.selects
            ]
            if levels:
                self.selecting_codes[key] = min(levels)
        self.selecting_pattern = _compile(
            tuple(
                sorted(
                    word for word, word_rules in self.keywords.items() if any(r.selects for r in word_rules)
                )
            )
        )[0]

    @classmethod
    def from_database(cls):
        from ..models import MappingRule

        rules = [
            _Rule(r.kind, r.vocabulary, r.code, r.selects, tuple(r.areas or ()), r.min_significance)
            for r in MappingRule.objects.filter(active=True)
        ]
        return cls(rules)

    def _apply(self, match, rules, reason):
        for rule in rules:
            match.selected = match.selected or rule.selects
            match.areas.update(rule.areas)
            match.reasons.append(reason)

    def selects(self, selection):
        """Whether :meth:`match` would select the activity ``selection`` is read from (a
        :class:`~capacityhub.interop.iati.activity.Selection`), found at a fraction of its cost: only the
        rules that select are looked at, and the first one found decides. Most activities of a publisher's
        file are not selected, and this is all that is done with them."""
        if selection.extension:
            return True
        for _code, _vocabulary, uri in selection.tags:
            if uri.rstrip("/") == THEMATIC_AREAS_URI:
                return True
        codes = self.selecting_codes
        if codes:
            for code, vocabulary in selection.sectors:
                if ("sector", vocabulary, code) in codes:
                    return True
            for code, vocabulary, significance in selection.policy_markers:
                level = codes.get(("policy-marker", vocabulary, code))
                if level is not None and (int(significance) if significance.isdigit() else 0) >= level:
                    return True
            for code, vocabulary, _uri in selection.tags:
                if ("tag", vocabulary or "1", code) in codes:
                    return True
        pattern = self.selecting_pattern
        if pattern is None:
            return False
        text = normalize(selection.texts())
        search = pattern.search
        hit = search(text)
        while hit is not None:
            start = hit.start()
            # As in match(): keywords of spaced scripts match at the start of a word only.
            if start == 0 or not text[start - 1].isalnum() or _UNSPACED.match(hit.group()):
                return True
            hit = search(text, start + 1)
        return False

    def match(self, activity):
        """The :class:`Match` of an :class:`~capacityhub.interop.iati.activity.Activity`.

        An activity exported by CapacityHub (it carries our extension element or thematic-area tags) is
        selected and keeps exactly the areas it lists: the rules neither drop nor add any."""
        match = Match()
        own = [code for _where, code, _v, uri, _n in activity.tags if uri.rstrip("/") == THEMATIC_AREAS_URI]
        if own or activity.extension.get("present"):
            match.selected = True
            match.areas = set(own)
            match.reasons.append("CapacityHub thematic areas")
            return match
        codes = self.codes
        for _where, code, vocabulary, _uri, _pct in activity.sectors:
            rules = codes.get(("sector", vocabulary, code))
            if rules:
                self._apply(match, rules, "sector {}".format(code))
        for _where, code, vocabulary, significance in activity.policy_markers:
            rules = codes.get(("policy-marker", vocabulary, code))
            if rules:
                level = int(significance) if significance.isdigit() else 0
                self._apply(
                    match, [r for r in rules if level >= r.min_significance], "policy marker {}".format(code)
                )
        for _where, code, vocabulary, _uri, _narratives in activity.tags:
            rules = codes.get(("tag", vocabulary or "1", code))
            if rules:
                self._apply(match, rules, "tag {}".format(code))
        if self.pattern is not None:
            text = normalize(activity.texts())
            found = set()
            search = self.pattern.search
            hit = search(text)
            while hit is not None:
                start, word = hit.start(), hit.group()
                # Keywords of spaced scripts match at the start of a word only.
                if start == 0 or not text[start - 1].isalnum() or _UNSPACED.match(word):
                    found.add(word)
                    found.update(self.prefixes[word])
                hit = search(text, start + 1)
            for word in sorted(found):
                self._apply(match, self.keywords[word], "keyword {}".format(word))
        if match.selected and not match.areas:
            match.areas |= self.default_areas
        return match
