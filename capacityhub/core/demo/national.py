"""National records of the demo: needs (with the planted gaps), expert nominations and country profiles,
written by the national users of the demo countries where there are some."""

import datetime

from django.utils.text import slugify

from capacityhub.registry.choices import NeedSource, NeedStatus, Priority, Timeframe
from capacityhub.registry.models import CountryProfile, Expert, Need

from .common import (
    ACTIVE_STATUSES,
    COUNTRY_LANGUAGE,
    DEMO_COUNTRIES,
    JOINERS,
    LANGUAGE_ORDER,
    MIN_NEEDS,
    data,
)


class NationalRecordsMixin:
    # -- needs --------------------------------------------------------------------------------------------
    def covered(self, iso2, area, statuses):
        """Does an initiative in one of ``statuses`` address ``area`` in country ``iso2`` (directly, through a
        recipient region, or as a global initiative)?"""
        return any(
            area in areas and status in statuses and (is_global or iso2 in members)
            for members, areas, status, is_global in self.coverage
        )

    def make_needs(self):
        # Generous on purpose, so that the planted gaps are gaps by any reading of "active or planned".
        active = {*ACTIVE_STATUSES, "suspended"}
        source = data("needs")
        all_areas = list(source["texts"])
        plans = []
        for iso2 in source["countries"]:
            count = 3 if iso2 in DEMO_COUNTRIES or self.rng.random() < 0.75 else 2
            uncovered = [area for area in all_areas if not self.covered(iso2, area, active)]
            covered = [area for area in all_areas if area not in uncovered]
            chosen = []
            for number in range(count):
                gap = (number == 0 and uncovered) or self.rng.random() < 0.35
                pool = [area for area in (uncovered if gap else covered) if area not in chosen]
                chosen.append(self.rng.choice(pool or [area for area in all_areas if area not in chosen]))
            plans += [(iso2, area) for area in chosen]
        while len(plans) < MIN_NEEDS:  # top up, in a fixed order
            iso2 = source["countries"][len(plans) % len(source["countries"])]
            used = {area for country, area in plans if country == iso2}
            plans.append((iso2, next(area for area in all_areas if area not in used)))
        for iso2, area in plans:
            self.make_need(iso2, area, active)
        # Work waiting for the national users of the demo countries.
        for iso2, area, workflow in [
            ("KE", "human-health", "submitted"),
            ("KE", "confidential-information", "returned"),
            ("CO", "liability-redress", "submitted"),
            ("SN", "socioeconomic", "draft"),
            ("VN", "detection", "submitted"),
        ]:
            self.make_need(iso2, area, active, workflow=workflow)

    def make_need(self, iso2, area, active, workflow="published"):
        source = data("needs")
        related_areas = source["related_areas"][area]
        areas = [area] + self.rng.sample(related_areas, self.rng.randint(0, min(2, len(related_areas))))
        texts = source["texts"][area]
        original, languages = self.languages(texts["title"], COUNTRY_LANGUAGE.get(iso2, "en"))
        if workflow != "published":
            need_status = NeedStatus.OPEN
        elif self.covered(iso2, area, active):
            need_status = NeedStatus.BEING_ADDRESSED if self.rng.random() < 0.6 else NeedStatus.OPEN
        elif self.covered(iso2, area, {"closed"}) and self.rng.random() < 0.4:
            need_status = NeedStatus.MET
        else:
            need_status = NeedStatus.OPEN
        need = Need(
            country=self.country(iso2),
            title=self.pick(texts["title"], languages),
            description=self.pick(texts["description"], languages, c=self.country_names(iso2)),
            priority=self.rng.choices([Priority.HIGH, Priority.MEDIUM, Priority.LOW], [4, 4, 2])[0],
            timeframe=self.rng.choice([Timeframe.SHORT, Timeframe.MEDIUM, Timeframe.MEDIUM, Timeframe.LONG]),
            source=self.rng.choices(
                [NeedSource.NEEDS_ASSESSMENT, NeedSource.NATIONAL_REPORT, NeedSource.OTHER], [5, 4, 1]
            )[0],
            need_status=need_status,
            original_language=original,
        )
        terms = [self.term("thematic-areas", code) for code in areas]
        author, focal = self.national_users(iso2)
        self.save(
            need,
            actor=author,
            publisher=focal,
            workflow=workflow,
            related=lambda record: record.thematic_areas.set(terms),
            comment=source["returned_comment"],
        )
        if workflow == "published":
            created = self.when(self.rng.randint(60, 2400))
            updated = created + datetime.timedelta(days=self.rng.randint(0, (self.today - created).days))
        else:
            created = updated = self.when(self.rng.randint(1, 25))
        self.timeline.append((need, created, updated))

    # -- experts ------------------------------------------------------------------------------------------
    def make_experts(self):
        source = data("experts")
        phrases = source["expertise_phrases"]
        for spec in source["experts"]:
            iso2, plan = spec["country"], spec["plan"]
            preferred = spec["languages"][0] if spec["languages"][0] in LANGUAGE_ORDER else "en"
            original, languages = self.languages(source["experience"], preferred)
            fields = {
                code: JOINERS[code].join(phrases[e][code] for e in spec["expertise"][:2])
                for code in languages
            }
            years = self.rng.randint(8, 30)
            expert = Expert(
                name={original: spec["name"]},
                country=self.country(iso2),
                nationality=self.country(spec["nationality"]),
                organization=self.orgs.get(spec["organization"]),
                email="{}@example.org".format(slugify(spec["name"].split(". ", 1)[-1]).replace("-", ".")),
                languages=spec["languages"],
                experience=self.pick(source["experience"], languages, y=str(years), f=fields),
                availability=spec["availability"],
                original_language=original,
            )
            terms = [self.term("expertise", code) for code in spec["expertise"]]
            author, focal = self.national_users(iso2)
            workflow = plan if plan in ("draft", "submitted") else "published"
            self.save(
                expert,
                actor=author,
                publisher=focal,
                workflow=workflow,
                related=lambda record, terms=terms: record.expertise.set(terms),
            )
            if workflow == "published":
                # On the roster for four years: "expiring" leaves it within the warning period, "expired"
                # has left it.
                days = {"expiring": 1461 - self.rng.randint(60, 150), "expired": 5 * 365 + 1}.get(
                    plan, self.rng.randint(30, 1200)
                )
                nominated = self.when(days)
                Expert.objects.filter(pk=expert.pk).update(nominated_at=nominated)
                self.timeline.append((expert, nominated - datetime.timedelta(days=20), nominated))
            else:
                self.timeline.append((expert, self.when(self.rng.randint(1, 20)), self.today))

    # -- country profiles ---------------------------------------------------------------------------------
    def make_profiles(self):
        source = data("profiles")
        authorities = data("organizations")["national_authorities"]
        for spec in source["profiles"]:
            iso2, focus, workflow = spec["country"], spec["focus"], spec["workflow"]
            if CountryProfile.objects.filter(country=self.country(iso2)).exists():
                continue  # one profile per country: a real one wins
            original, languages = self.languages(
                source["texts"]["summary"], COUNTRY_LANGUAGE.get(iso2, "en"), 0.5
            )
            names = self.country_names(iso2)
            names["en"] = names["en"][0].upper() + names["en"][1:]
            authority = self.orgs[authorities[iso2]]
            area = source["area_phrases"]
            values = {
                "c": names,
                "a": {code: authority.display_title(code) for code in LANGUAGE_ORDER},
                "f": {
                    code: ", ".join(area[a][code] for a in focus[:-1]) + JOINERS[code] + area[focus[-1]][code]
                    for code in LANGUAGE_ORDER
                },
            }
            profile = CountryProfile(
                country=self.country(iso2),
                original_language=original,
                **{key: self.pick(text, languages, **values) for key, text in source["texts"].items()},
            )
            author, focal = self.national_users(iso2)
            self.save(profile, actor=author, publisher=focal, workflow=workflow)
            created = self.when(self.rng.randint(200, 1500)) if workflow == "published" else self.when(3)
            self.timeline.append((profile, created, min(self.today, created + datetime.timedelta(days=90))))
