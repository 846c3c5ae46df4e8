"""What the uniform record-type tests need to know of each record type: its scope and valid form data.

Adding a record type means adding a case here; ``test_every_record_type_has_a_case`` fails until then."""

import itertools
from dataclasses import dataclass

from capacityhub.core.choices import Scope
from capacityhub.core.testing.factories import term

_symbols = itertools.count(1)


def _ml(name, text):
    return {f"{name}_en": text, f"{name}_es": "", f"{name}_fr": ""}


def _formset(prefix, rows=()):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
    return data


@dataclass
class Case:
    key: str
    scope: str  # Scope value

    def form_data(self, roles, title):
        area = term("thematic-areas", "risk-assessment").pk
        base = {"original_language": "en"}
        ka, org = roles.country_a.pk, roles.org_x.pk
        if self.key == "initiative":
            return {
                **base,
                **_ml("title", title),
                **_ml("description", ""),
                **_ml("objectives", ""),
                **_ml("outcomes", ""),
                **_ml("lessons_learned", ""),
                "publisher": org,
                "activity_status": term("activity-status", "implementation").pk,
                "geographic_scope": "national",
                "currency": "USD",
                "thematic_areas": [area],
                "planned_start": "2025-01-01",
                "planned_end": "2026-06-30",
                **_formset("countries", [{"country": ka, "percentage": ""}]),
                **_formset("regions"),
                **_formset(
                    "participations",
                    [{"organization": org, "role": term("organization-roles", "implementing").pk}],
                ),
            }
        if self.key == "need":
            return {
                **base,
                **_ml("title", title),
                **_ml("description", ""),
                "country": ka,
                "thematic_areas": [area],
                "priority": "high",
                "timeframe": "short",
                "source": "needs_assessment",
                "need_status": "open",
            }
        if self.key == "opportunity":
            return {
                **base,
                **_ml("title", title),
                **_ml("description", ""),
                **_ml("eligibility", ""),
                **_ml("cost", ""),
                "kind": term("opportunity-types", "workshop").pk,
                "publisher": org,
                "thematic_areas": [area],
            }
        if self.key == "resource":
            return {
                **base,
                **_ml("title", title),
                **_ml("summary", ""),
                "resource_type": term("resource-types", "manual").pk,
                "publisher": org,
                "thematic_areas": [area],
                **_formset("files"),
            }
        if self.key == "expert":
            return {
                **base,
                **_ml("name", title),
                **_ml("experience", ""),
                "country": ka,
                "expertise": [term("expertise", "risk-assessment").pk],
                "availability": "available",
            }
        if self.key == "countryprofile":
            return {
                **base,
                **_ml("summary", title),
                **_ml("framework", ""),
                **_ml("institutions", ""),
                **_ml("priorities", ""),
                "country": ka,
            }
        if self.key == "organization":
            return {**base, **_ml("name", title), **_ml("description", "")}
        if self.key == "contact":
            return {**base, **_ml("name", title), **_ml("position", ""), "organization": org}
        if self.key == "submission":  # a national submission for a cycle of its own
            from capacityhub.plans.testing import make_cycle

            cycle = make_cycle().pk
            return {**base, **_ml("title", title), "cycle": cycle, "country": ka, "organization": ""}
        if self.key == "meeting":
            return {
                **base,
                **_ml("title", title),
                **_ml("summary", ""),
                **_ml("report", ""),
                "kind": "coordination",
                "series_number": "",
                "start_date": "2025-03-09",
                "end_date": "2025-03-11",
                "venue": "",
                "city": "San José",
                "country": ka,
                "organizer": org,
                "participant_count": "",
                "website": "",
                **_formset("agenda", [{"number": "1", "title_en": "Opening", "position": ""}]),
            }
        if self.key == "decision":
            return {
                **base,
                **_ml("title", title),
                **_ml("summary", ""),
                "symbol": "BS-F/{}".format(next(_symbols)),
                "publisher": org,
                "meeting": "",
                "adopted_on": "2025-06-01",
                "official_url": "",
                **_formset(
                    "paragraphs"
                ),  # the factory's paragraph 1 is kept; clashing numbers are tested apart
            }
        if self.key == "conference":
            return {
                **base,
                **_ml("title", title),
                **_ml("introduction", ""),
                "start_date": "2025-01-19",
                "end_date": "2025-02-06",
                "languages": ["en", "es"],
                "organizer": org,
                "feeds_meeting": "",
                "registration_open": "on",
                "premoderated_posts": "2",
                "posts_public": "on",
            }
        raise ValueError(self.key)

    def title_of(self, record):
        if self.key == "decision":  # its list shows the symbol apart from the title
            return record.text("title")
        return record.display_title()

    def members(self, roles):
        """(member who drafts, publisher, out-of-scope member) for a record in scope A / X."""
        if self.scope == Scope.COUNTRY:
            return roles.author_a, roles.focal_a, roles.author_b
        if self.key == "organization":  # a new organization is reviewed by the Secretariat
            return roles.registered, roles.admin, roles.publisher_y
        if self.key == "conference":  # conferences are created by users holding the moderator role
            return conference_moderator(roles), roles.publisher_x, roles.publisher_y
        return roles.registered, roles.publisher_x, roles.publisher_y

    def scope_kwargs(self, roles):
        if self.scope == Scope.COUNTRY:
            return {"country": roles.country_a}
        if self.key == "organization":
            return {}
        return {"organization": roles.org_x}


def conference_moderator(roles):
    """A user with the “conference moderator” role (created once per test, kept on ``roles``)."""
    if getattr(roles, "conference_moderator", None) is None:
        from capacityhub.accounts.choices import Role
        from capacityhub.core.testing.factories import UserFactory, grant

        roles.conference_moderator = grant(UserFactory(username="conference_moderator"), Role.MODERATOR)
    return roles.conference_moderator


CASES = {
    "initiative": Case("initiative", Scope.ORGANIZATION),
    "need": Case("need", Scope.COUNTRY),
    "opportunity": Case("opportunity", Scope.ORGANIZATION),
    "resource": Case("resource", Scope.ORGANIZATION),
    "expert": Case("expert", Scope.COUNTRY),
    "countryprofile": Case("countryprofile", Scope.COUNTRY),
    "organization": Case("organization", Scope.ORGANIZATION),
    "contact": Case("contact", Scope.ORGANIZATION),
    "submission": Case("submission", Scope.COUNTRY),
    "meeting": Case("meeting", Scope.ORGANIZATION),
    "decision": Case("decision", Scope.ORGANIZATION),
    "conference": Case("conference", Scope.ORGANIZATION),
}
