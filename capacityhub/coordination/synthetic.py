"""Synthetic data at scale for the benchmarks (``manage.py generate_synthetic``).

Skewed like the real world: a few countries, thematic areas, donors and implementers take most initiatives
(Zipf-like weights), recent years more than old ones; texts in English, Spanish and French (a third with a
translation), built from phrase banks per thematic area plus distinctive words (crops, audiences,
activities, a programme name) so that unrelated initiatives differ. Planted, with their truth recorded in
``SyntheticTruth``:

- overlaps: a second initiative by other organizations in the same country and areas, overlapping in time,
  describing the same work in other words (sometimes in another language);
- duplicates: the same initiative registered again from another source: title reworded, a country added or
  dropped, budget a few percent off, dates moved by weeks, its own project number (sometimes the same IATI
  identifier), the description partly rewritten.

Records are written with bulk inserts (no versions, no search entries: this is benchmark data, marked
``is_demo``), in batches, in a few minutes for 100,000 initiatives.
"""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from capacityhub.core.choices import Status
from capacityhub.reference.choices import RegionKind
from capacityhub.reference.models import Country, Organization, Region, Term
from capacityhub.registry.models import Initiative, InitiativeCountry, InitiativeRegion, Need, Participation

from .models import SyntheticTruth

BATCH = 5000
AREA_WORDS = {
    "en": {
        "institutional-capacity": [
            "institutional capacity",
            "national biosafety institutions",
            "human resources",
        ],
        "mainstreaming": ["mainstreaming biosafety", "national development plans", "sectoral policies"],
        "risk-assessment": ["risk assessment", "science-based risk assessment", "scientific expertise"],
        "risk-management": ["risk management", "monitoring of released organisms", "containment"],
        "public-awareness": ["public awareness", "public participation", "biosafety education"],
        "information-exchange": ["the Biosafety Clearing-House", "information exchange", "data management"],
        "collaboration": ["regional collaboration", "scientific networks", "technical cooperation"],
        "technology-transfer": ["technology transfer", "laboratory equipment", "know-how"],
        "detection": ["detection of LMOs", "identification of LMOs", "laboratory testing"],
        "socioeconomic": ["socioeconomic considerations", "impacts on farmers", "economic analysis"],
        "documentation": ["documentation requirements", "shipment documentation", "Article 18.2"],
        "confidential-information": ["confidential information", "business information", "data protection"],
        "transboundary-movements": [
            "illegal transboundary movements",
            "border controls",
            "unintentional releases",
        ],
        "research": ["biosafety research", "field trials", "ecological studies"],
        "human-health": ["risks to human health", "food safety", "health surveillance"],
        "liability-redress": ["liability and redress", "the Supplementary Protocol", "damage response"],
        "other": ["biosafety", "capacity development", "national frameworks"],
    },
    "es": {
        "institutional-capacity": [
            "capacidad institucional",
            "instituciones nacionales de bioseguridad",
            "recursos humanos",
        ],
        "mainstreaming": [
            "integración de la bioseguridad",
            "planes nacionales de desarrollo",
            "políticas sectoriales",
        ],
        "risk-assessment": [
            "evaluación del riesgo",
            "evaluación científica del riesgo",
            "conocimientos científicos",
        ],
        "risk-management": ["gestión del riesgo", "monitoreo de organismos liberados", "contención"],
        "public-awareness": [
            "sensibilización del público",
            "participación pública",
            "educación en bioseguridad",
        ],
        "information-exchange": [
            "el Centro de Intercambio de Información",
            "intercambio de información",
            "gestión de datos",
        ],
        "collaboration": ["colaboración regional", "redes científicas", "cooperación técnica"],
        "technology-transfer": [
            "transferencia de tecnología",
            "equipos de laboratorio",
            "conocimientos técnicos",
        ],
        "detection": ["detección de OVM", "identificación de OVM", "análisis de laboratorio"],
        "socioeconomic": [
            "consideraciones socioeconómicas",
            "impactos en los agricultores",
            "análisis económico",
        ],
        "documentation": ["requisitos de documentación", "documentación de envíos", "artículo 18.2"],
        "confidential-information": [
            "información confidencial",
            "información comercial",
            "protección de datos",
        ],
        "transboundary-movements": [
            "movimientos transfronterizos ilícitos",
            "controles fronterizos",
            "liberaciones involuntarias",
        ],
        "research": ["investigación en bioseguridad", "ensayos de campo", "estudios ecológicos"],
        "human-health": [
            "riesgos para la salud humana",
            "inocuidad de los alimentos",
            "vigilancia sanitaria",
        ],
        "liability-redress": [
            "responsabilidad y compensación",
            "el Protocolo Suplementario",
            "respuesta a daños",
        ],
        "other": ["bioseguridad", "desarrollo de capacidades", "marcos nacionales"],
    },
    "fr": {
        "institutional-capacity": [
            "capacité institutionnelle",
            "institutions nationales de biosécurité",
            "ressources humaines",
        ],
        "mainstreaming": [
            "intégration de la biosécurité",
            "plans nationaux de développement",
            "politiques sectorielles",
        ],
        "risk-assessment": [
            "évaluation des risques",
            "évaluation scientifique des risques",
            "expertise scientifique",
        ],
        "risk-management": ["gestion des risques", "surveillance des organismes disséminés", "confinement"],
        "public-awareness": [
            "sensibilisation du public",
            "participation du public",
            "éducation à la biosécurité",
        ],
        "information-exchange": ["le Centre d'échange", "échange d'informations", "gestion des données"],
        "collaboration": ["collaboration régionale", "réseaux scientifiques", "coopération technique"],
        "technology-transfer": ["transfert de technologie", "équipement de laboratoire", "savoir-faire"],
        "detection": ["détection des OVM", "identification des OVM", "analyses de laboratoire"],
        "socioeconomic": [
            "considérations socio-économiques",
            "impacts sur les agriculteurs",
            "analyse économique",
        ],
        "documentation": ["exigences de documentation", "documentation des expéditions", "article 18.2"],
        "confidential-information": [
            "informations confidentielles",
            "informations commerciales",
            "protection des données",
        ],
        "transboundary-movements": [
            "mouvements transfrontières illicites",
            "contrôles aux frontières",
            "disséminations involontaires",
        ],
        "research": ["recherche en biosécurité", "essais au champ", "études écologiques"],
        "human-health": [
            "risques pour la santé humaine",
            "sécurité sanitaire des aliments",
            "surveillance sanitaire",
        ],
        "liability-redress": [
            "responsabilité et réparation",
            "le Protocole additionnel",
            "réponse aux dommages",
        ],
        "other": ["biosécurité", "renforcement des capacités", "cadres nationaux"],
    },
}
CROPS = {
    "en": (
        "maize cotton cassava rice banana soybean sorghum cowpea eggplant potato wheat papaya sugarcane "
        "mosquitoes salmon"
    ).split(),
    "es": (
        "maíz algodón yuca arroz banano soya sorgo caupí berenjena papa trigo papaya caña mosquitos salmón"
    ).split(),
    "fr": (
        "maïs coton manioc riz banane soja sorgho niébé aubergine pomme-de-terre blé papaye canne moustiques "
        "saumon"
    ).split(),
}
AUDIENCES = {
    "en": [
        "regulators",
        "customs officers",
        "judges",
        "journalists",
        "researchers",
        "farmers",
        "teachers",
        "inspectors",
        "laboratory technicians",
        "parliamentarians",
        "extension workers",
        "students",
    ],
    "es": [
        "reguladores",
        "funcionarios de aduanas",
        "jueces",
        "periodistas",
        "investigadores",
        "agricultores",
        "docentes",
        "inspectores",
        "técnicos de laboratorio",
        "parlamentarios",
        "extensionistas",
        "estudiantes",
    ],
    "fr": [
        "régulateurs",
        "agents des douanes",
        "juges",
        "journalistes",
        "chercheurs",
        "agriculteurs",
        "enseignants",
        "inspecteurs",
        "techniciens de laboratoire",
        "parlementaires",
        "vulgarisateurs",
        "étudiants",
    ],
}
ACTIVITIES = {
    "en": [
        "workshops",
        "an e-learning course",
        "guidelines",
        "a national database",
        "field visits",
        "study tours",
        "mentoring",
        "a helpdesk",
        "manuals",
        "simulation exercises",
        "a curriculum",
        "a toolkit",
    ],
    "es": [
        "talleres",
        "un curso virtual",
        "directrices",
        "una base de datos nacional",
        "visitas de campo",
        "giras de estudio",
        "mentorías",
        "una mesa de ayuda",
        "manuales",
        "simulacros",
        "un plan de estudios",
        "una caja de herramientas",
    ],
    "fr": [
        "des ateliers",
        "un cours en ligne",
        "des lignes directrices",
        "une base de données nationale",
        "des visites de terrain",
        "des voyages d'étude",
        "du tutorat",
        "un service d'assistance",
        "des manuels",
        "des exercices de simulation",
        "un programme d'études",
        "une boîte à outils",
    ],
}
TITLES = {
    "en": [
        "Strengthening {a} in {c}",
        "Building capacity for {a} in {c}",
        "Support to {a} in {c}",
        "{C}: {a} programme",
        "Enhancing {a} for {g} in {c}",
    ],
    "es": [
        "Fortalecimiento de {a} en {c}",
        "Creación de capacidad para {a} en {c}",
        "Apoyo a {a} en {c}",
        "{C}: programa de {a}",
        "Mejora de {a} para {g} en {c}",
    ],
    "fr": [
        "Renforcement de {a} au {c}",
        "Renforcement des capacités en {a} au {c}",
        "Appui à {a} au {c}",
        "{C} : programme de {a}",
        "Amélioration de {a} pour les {g} au {c}",
    ],
}
SENTENCES = {
    "en": [
        "The {n} project trains {g} in {a} with {x}, in {site}.",
        "It develops {x} on {a} for {crop} and {crop2} growers around {site}.",
        "Activities include {x} and {x2} for {g2}.",
        "Expected results: {g} able to apply {a2} to {crop}.",
    ],
    "es": [
        "El proyecto {n} capacita a {g} en {a} con {x}, en {site}.",
        "Desarrolla {x} sobre {a} para productores de {crop} y {crop2} de {site}.",
        "Las actividades incluyen {x} y {x2} para {g2}.",
        "Resultados esperados: {g} capaces de aplicar {a2} al {crop}.",
    ],
    "fr": [
        "Le projet {n} forme les {g} à {a} avec {x}, à {site}.",
        "Il élabore {x} sur {a} pour les producteurs de {crop} et de {crop2} de {site}.",
        "Les activités comprennent {x} et {x2} pour les {g2}.",
        "Résultats attendus : des {g} capables d'appliquer {a2} au {crop}.",
    ],
}
PARAPHRASES = {
    "en": [
        "In {site}, {g} will learn {a} through {x}, focusing on {crop} and {crop2}.",
        "A programme of {x} and {x2} on {a} for {g2}.",
        "{g} trained to apply {a2} to {crop}.",
    ],
    "es": [
        "En {site}, los {g} aprenderán {a} mediante {x}, con énfasis en {crop} y {crop2}.",
        "Un programa de {x} y {x2} sobre {a} para {g2}.",
        "{g} capacitados para aplicar {a2} al {crop}.",
    ],
    "fr": [
        "À {site}, les {g} apprendront {a} grâce à {x}, surtout pour le {crop} et le {crop2}.",
        "Un programme de {x} et {x2} sur {a} pour les {g2}.",
        "Des {g} formés pour appliquer {a2} au {crop}.",
    ],
}
SYLLABLES = (
    "ka ma li to ra ne su mi ko ba ze lu da pe ri no ta vi go ya se fu ho je wa xi bo ge ku lo"
).split()
CURRENCIES = [("USD", 0.6), ("EUR", 0.22), ("GBP", 0.05), ("JPY", 0.05), ("CAD", 0.04), ("SEK", 0.04)]


def zipf_weights(n, s=1.1):
    return [1 / (rank + 1) ** s for rank in range(n)]


@dataclass
class Spec:
    """What an initiative is, before it is written."""

    language: str
    languages: list
    areas: list
    countries: list  # (country, pct)
    regions: list  # (region, pct)
    scope: str
    start: datetime.date
    end: datetime.date
    funder: object
    implementer: object
    budget: Decimal
    currency: str
    words: dict  # distinctive words: n, crop, crop2, g, g2, x, x2 (indexes)
    project_number: str = ""
    iati_identifier: str = ""
    paraphrase: bool = False
    extra: dict = field(default_factory=dict)


class Generator:
    def __init__(self, *, seed, today=None, stdout=None):
        self.random = random.Random(seed)
        self.today = today or timezone.localdate()
        self.stdout = stdout
        self.countries = list(Country.objects.exclude(iso2__in=["AQ"]).order_by("pk"))
        self.random.shuffle(self.countries)
        self.country_weights = zipf_weights(len(self.countries))
        self.areas = list(Term.objects.of("thematic-areas").order_by("position"))
        self.area_weights = zipf_weights(len(self.areas), 0.8)
        self.random.shuffle(self.area_weights)
        self.status = {t.code: t for t in Term.objects.filter(vocabulary__code="activity-status")}
        self.roles = {t.code: t for t in Term.objects.filter(vocabulary__code="organization-roles")}
        self.regions = list(
            Region.objects.filter(
                kind__in=[RegionKind.CBD_GROUP, RegionKind.UN_REGION, RegionKind.UN_SUBREGION]
            )
        )
        self.subregions = {}
        for region in Region.objects.filter(kind=RegionKind.UN_SUBREGION).prefetch_related("countries"):
            members = list(region.countries.all())
            if len(members) >= 3:
                self.subregions[region.pk] = members
        self.subregions_of = {}
        for region in Region.objects.filter(kind=RegionKind.UN_SUBREGION).prefetch_related("countries"):
            for country in region.countries.all():
                self.subregions_of.setdefault(country.pk, []).append(region)
        self.country_names = {
            c.pk: {lang: c.localized_name(lang) for lang in ("en", "es", "fr")} for c in self.countries
        }
        self.truth = []
        self.used_ids = set()

    def log(self, message):
        if self.stdout:
            self.stdout.write(message)

    # -- organizations -------------------------------------------------------------------------------
    def organizations(self, count):
        existing = list(Organization.objects.filter(is_demo=True, acronym__startswith="SYN").order_by("pk"))
        if len(existing) < count:
            new = []
            for number in range(len(existing), count):
                name = "".join(self.random.choice(SYLLABLES) for _ in range(3)).title()
                kind = "Agency" if number % 5 == 0 else "Institute"
                new.append(
                    Organization(
                        name={"en": "{} {} {}".format(name, kind, number)},
                        acronym="SYN{}".format(number),
                        status=Status.PUBLISHED,
                        is_demo=True,
                        sort_title="{} {} {}".format(name, kind, number).casefold(),
                        published_at=timezone.now(),
                    )
                )
            Organization.objects.bulk_create(new, batch_size=BATCH)
            existing = list(
                Organization.objects.filter(is_demo=True, acronym__startswith="SYN").order_by("pk")
            )
        donors = existing[: max(5, count // 5)]
        implementers = existing[max(5, count // 5) :] or existing
        self.donors, self.donor_weights = donors, zipf_weights(len(donors), 1.2)
        self.implementers, self.implementer_weights = implementers, zipf_weights(len(implementers), 1.0)

    # -- specs ----------------------------------------------------------------------------------------
    def pick(self, items, weights, k=1):
        chosen = []
        while len(chosen) < k:
            item = self.random.choices(items, weights)[0]
            if item not in chosen:
                chosen.append(item)
        return chosen

    def dates(self):
        year = int(2026 - abs(self.random.gauss(0, 6)))
        year = max(2003, min(year, 2029))
        start = datetime.date(year, self.random.randint(1, 12), 1)
        end = start + datetime.timedelta(days=self.random.randint(365, 5 * 365))
        return start, end

    def spec(self):
        r = self.random
        language = r.choices(["en", "es", "fr"], [0.6, 0.2, 0.2])[0]
        languages = [language] + (
            [r.choice([x for x in ("en", "es", "fr") if x != language])] if r.random() < 0.33 else []
        )
        areas = self.pick(self.areas, self.area_weights, r.choice([1, 1, 2, 2, 3]))
        kind = r.random()
        countries, regions, scope = [], [], "national"
        if kind < 0.75:
            countries = [
                (c, None)
                for c in self.pick(
                    self.countries, self.country_weights, 1 if r.random() < 0.8 else r.randint(2, 3)
                )
            ]
            if len(countries) > 1 and r.random() < 0.5:
                share = round(100 / len(countries), 2)
                countries = [(c, Decimal(str(share))) for c, _p in countries[:-1]] + [
                    (countries[-1][0], Decimal(str(round(100 - share * (len(countries) - 1), 2))))
                ]
        elif kind < 0.85:
            members = self.subregions[r.choice(list(self.subregions))]
            countries = [(c, None) for c in r.sample(members, min(len(members), r.randint(3, 8)))]
            scope = "subregional"
        elif kind < 0.95:
            regions = [(r.choice(self.regions), None)]
            scope = "regional"
        else:
            scope = "global"
        start, end = self.dates()
        currency = r.choices([c for c, _w in CURRENCIES], [w for _c, w in CURRENCIES])[0]
        budget = Decimal(int(r.lognormvariate(12.5, 1.2))).quantize(Decimal("1"))
        funder = self.pick(self.donors, self.donor_weights)[0]
        implementer = self.pick(self.implementers, self.implementer_weights)[0]
        words = {
            # Names from a space of millions, so that unrelated initiatives rarely share one by chance.
            "n": "".join(r.choice(SYLLABLES) for _ in range(r.randint(4, 6))).title(),
            "site": "".join(r.choice(SYLLABLES) for _ in range(r.randint(4, 5))).title(),
            "crop": r.randrange(15),
            "crop2": r.randrange(15),
            "g": r.randrange(12),
            "g2": r.randrange(12),
            "x": r.randrange(12),
            "x2": r.randrange(12),
        }
        spec = Spec(
            language,
            languages,
            areas,
            countries,
            regions,
            scope,
            start,
            end,
            funder,
            implementer,
            budget,
            currency,
            words,
        )
        if r.random() < 0.5:
            kind = r.random()
            if kind < 0.15:
                spec.project_number = self.donor_id("GEF")
            elif kind < 0.25:
                spec.project_number = self.donor_id("WB")
            else:
                spec.project_number = "{}-{}".format(funder.acronym, r.randint(10000, 99999999))
        if r.random() < 0.3:
            spec.iati_identifier = "XM-SYN-{}-{}".format(funder.pk, r.randint(10000, 99999999))
        return spec

    def donor_id(self, donor):
        """A donor's project id, never given to two different initiatives: "GEF-12345" or "P123456"."""
        while True:
            if donor == "GEF":
                value = "GEF-{}".format(self.random.randint(1000, 999999))
            elif donor == "WB":
                value = "P{:06d}".format(self.random.randint(1, 999999))
            else:
                value = "PIMS {}".format(self.random.randint(1000, 999999))
            if value not in self.used_ids:
                self.used_ids.add(value)
                return value

    def texts(self, spec, language, *, paraphrase=False, retitle=0):
        r = random.Random(hash((spec.words["n"], language, paraphrase, retitle)))
        words = spec.words
        area = spec.areas[0].code
        phrases = AREA_WORDS[language][area]
        second = AREA_WORDS[language][spec.areas[-1].code]
        if spec.countries:
            place = self.country_names[spec.countries[0][0].pk][language]
        elif spec.regions:
            place = str(spec.regions[0][0].name.get(language) or spec.regions[0][0].code)
        else:
            place = {
                "en": "developing countries",
                "es": "países en desarrollo",
                "fr": "pays en développement",
            }[language]
        values = {
            "n": words["n"],
            "site": words["site"],
            "crop": CROPS[language][words["crop"]],
            "crop2": CROPS[language][words["crop2"]],
            "g": AUDIENCES[language][words["g"]],
            "g2": AUDIENCES[language][words["g2"]],
            "x": ACTIVITIES[language][words["x"]],
            "x2": ACTIVITIES[language][words["x2"]],
            "a": phrases[0],
            "a2": second[1],
            "c": place,
            "C": place,
        }
        index = (words["g"] + retitle + (2 if paraphrase else 0)) % len(TITLES[language])
        title = TITLES[language][index].format(**values)
        title = title[0].upper() + title[1:]
        bank = PARAPHRASES[language] if paraphrase else SENTENCES[language]
        sentences = [s.format(**values) for s in bank]
        first, rest = sentences[0], sentences[1:]
        r.shuffle(rest)
        return title, " ".join([first] + rest[: r.randint(1, len(rest))])

    def build(self, spec, *, paraphrase=False, retitle=0, extra_text=""):
        titles, descriptions = {}, {}
        for language in spec.languages:
            titles[language], descriptions[language] = self.texts(
                spec, language, paraphrase=paraphrase, retitle=retitle
            )
        if extra_text:
            descriptions[spec.language] = descriptions[spec.language] + " " + extra_text
        if spec.end < self.today:
            status = "closed"
        elif spec.start > self.today:
            status = "pipeline"
        else:
            status = (
                "implementation" if spec.end > self.today + datetime.timedelta(days=180) else "finalisation"
            )
        if self.random.random() < 0.03:
            status = "cancelled"
        now = timezone.now()
        return Initiative(
            title=titles,
            description=descriptions,
            original_language=spec.language,
            publisher=spec.implementer,
            activity_status=self.status[status],
            planned_start=spec.start,
            planned_end=spec.end,
            geographic_scope=spec.scope,
            budget=spec.budget,
            currency=spec.currency,
            project_number=spec.project_number,
            iati_identifier=spec.iati_identifier,
            status=Status.PUBLISHED,
            published_at=now,
            revision=1,
            is_demo=True,
            sort_title=titles[spec.language][:255].casefold(),
        )

    # -- planted pairs -------------------------------------------------------------------------------
    def overlap_of(self, base):
        """Other organizations doing the same work in the same place, at an overlapping time."""
        r = self.random
        spec = Spec(**{**base.__dict__})
        spec.words = dict(base.words, n="".join(r.choice(SYLLABLES) for _ in range(4)).title())
        # Its own specifics: sometimes another activity, audience or crop.
        if r.random() < 0.3:
            name, size = r.choice([("x2", 12), ("g2", 12), ("crop2", 15)])
            spec.words[name] = r.randrange(size)
        # Another organization does the work (a donor may fund both).
        spec.funder = self.pick(self.donors, self.donor_weights)[0]
        spec.implementer = base.implementer
        while spec.implementer in (base.implementer, base.funder):
            spec.implementer = self.pick(self.implementers, self.implementer_weights)[0]
        shift = datetime.timedelta(days=r.randint(-300, 300))
        spec.start, spec.end = (
            base.start + shift,
            base.end + shift + datetime.timedelta(days=r.randint(-200, 200)),
        )
        spec.end = max(spec.end, spec.start + datetime.timedelta(days=200))
        spec.language = r.choice(base.languages) if r.random() < 0.8 else r.choice(["en", "es", "fr"])
        spec.languages = [spec.language]
        spec.budget = (base.budget * Decimal(str(round(r.uniform(0.4, 2.5), 2)))).quantize(Decimal("1"))
        # Sometimes a regional programme doing the same work in the base's country among others.
        covering = self.subregions_of.get(base.countries[0][0].pk) if len(base.countries) == 1 else None
        if covering and r.random() < 0.15:
            region = r.choice(covering)
            spec.countries, spec.regions, spec.scope = [], [(region, None)], "subregional"
        spec.project_number = ""
        spec.iati_identifier = ""
        return spec

    def duplicate_of(self, base):
        """The same initiative from another source."""
        r = self.random
        spec = Spec(**{**base.__dict__})
        spec.languages = [base.language] + (
            [x for x in base.languages if x != base.language] if r.random() < 0.5 else []
        )
        if base.countries and r.random() < 0.5:
            extra = self.pick(self.countries, self.country_weights)[0]
            spec.countries = [(c, None) for c, _p in base.countries] + (
                [(extra, None)] if all(extra != c for c, _p in base.countries) else []
            )
        elif len(base.countries) > 2:
            spec.countries = [(c, None) for c, _p in base.countries[:-1]]
        moved = datetime.timedelta(days=r.randint(-120, 120))
        spec.start, spec.end = base.start + moved, base.end + datetime.timedelta(days=r.randint(-120, 120))
        spec.end = max(spec.end, spec.start + datetime.timedelta(days=200))
        # Most sources report the same budget give or take; some only the grant, or the total with
        # co-financing.
        factor = (
            r.uniform(0.95, 1.05) if r.random() < 0.75 else r.choice([r.uniform(0.3, 0.7), r.uniform(1.5, 3)])
        )
        spec.budget = (base.budget * Decimal(str(round(factor, 3)))).quantize(Decimal("1"))
        if r.random() < 0.5:
            spec.funder, spec.implementer = spec.implementer, spec.funder
        # Its own source's identifiers; sometimes a cross-reference to the first record's donor id (as its
        # project number or in its description), sometimes the same IATI identifier.
        source = r.choice(["GEF", "WB", "PIMS", "EU"])
        spec.project_number = (
            self.donor_id(source) if source != "EU" else "EU-{}".format(r.randint(100000, 999999))
        )
        spec.extra = {"source": source}
        donor_ref = (
            base.project_number if base.project_number[:4] == "GEF-" or base.project_number[:1] == "P" else ""
        )
        if donor_ref and r.random() < 0.6:
            if r.random() < 0.5:
                spec.project_number = donor_ref
            else:
                spec.extra["mention"] = donor_ref
        spec.iati_identifier = base.iati_identifier if r.random() < 0.4 else ""
        return spec

    # -- writing --------------------------------------------------------------------------------------
    def generate(self, *, initiatives, needs, overlap_share=0.03, duplicate_share=0.015):
        organizations = max(50, initiatives // 40)
        self.organizations(organizations)
        planted_overlaps = int(initiatives * overlap_share)
        planted_duplicates = int(initiatives * duplicate_share)
        base_count = initiatives - planted_overlaps - planted_duplicates
        written = 0
        pending_specs, pending = [], []
        bases = []
        kinds = ["base"] * base_count + ["overlap"] * planted_overlaps + ["duplicate"] * planted_duplicates
        # Planted ones come after their bases: shuffle only within the base block, then interleave.
        plan = kinds[:base_count] + self.random.sample(kinds[base_count:], len(kinds) - base_count)
        for kind in plan:
            if kind == "base":
                spec = self.spec()
                record = self.build(spec)
                if spec.scope == "national":
                    bases.append(len(pending_specs) + written)
            else:
                base_index = self.random.choice(bases)
                base_spec = self.specs_by_index(base_index, pending_specs, written)
                if kind == "overlap":
                    spec = self.overlap_of(base_spec)
                    record = self.build(spec, paraphrase=True)
                else:
                    spec = self.duplicate_of(base_spec)
                    source = {"GEF": "GEF", "WB": "World Bank", "PIMS": "UNDP", "EU": "EU"}[
                        spec.extra["source"]
                    ]
                    mention = spec.extra.get("mention", "")
                    if mention.startswith("GEF-"):
                        source = "GEF ID {}".format(mention[4:])
                    elif mention:
                        source = "World Bank {}".format(mention)
                    record = self.build(
                        spec, retitle=1 + self.random.randrange(3), extra_text="({}).".format(source)
                    )
                spec.extra = {"truth": (base_index, kind)}
            pending_specs.append(spec)
            pending.append(record)
            if len(pending) >= BATCH:
                written += self.flush(pending, pending_specs, written)
                pending, pending_specs = [], []
        if pending:
            written += self.flush(pending, pending_specs, written)
        self.write_truth()
        self.write_needs(needs)
        return {
            "initiatives": written,
            "overlaps": planted_overlaps,
            "duplicates": planted_duplicates,
            "needs": needs,
        }

    def specs_by_index(self, index, pending_specs, written):
        if index >= written:
            return pending_specs[index - written]
        return self.saved_specs[index]

    @transaction.atomic
    def flush(self, records, specs, offset):
        created = Initiative.objects.bulk_create(records, batch_size=BATCH)
        if not hasattr(self, "saved_specs"):
            self.saved_specs, self.saved_ids = [], []
        countries, regions, areas, participations = [], [], [], []
        through = Initiative.thematic_areas.through
        for record, spec in zip(created, specs, strict=True):
            for country, pct in spec.countries:
                countries.append(
                    InitiativeCountry(initiative_id=record.pk, country_id=country.pk, percentage=pct)
                )
            for region, pct in spec.regions:
                regions.append(InitiativeRegion(initiative_id=record.pk, region_id=region.pk, percentage=pct))
            for area in spec.areas:
                areas.append(through(initiative_id=record.pk, term_id=area.pk))
            participations.append(
                Participation(
                    initiative_id=record.pk, organization_id=spec.funder.pk, role=self.roles["funding"]
                )
            )
            if spec.implementer.pk != spec.funder.pk:
                participations.append(
                    Participation(
                        initiative_id=record.pk,
                        organization_id=spec.implementer.pk,
                        role=self.roles["implementing"],
                    )
                )
            truth = spec.extra.get("truth")
            if truth:
                self.truth.append((truth[0], len(self.saved_ids), truth[1]))
            self.saved_specs.append(spec)
            self.saved_ids.append(record.pk)
        InitiativeCountry.objects.bulk_create(countries, batch_size=BATCH)
        InitiativeRegion.objects.bulk_create(regions, batch_size=BATCH)
        through.objects.bulk_create(areas, batch_size=BATCH)
        Participation.objects.bulk_create(participations, batch_size=BATCH)
        self.log("  {} initiatives".format(offset + len(created)))
        # Keep only what planted pairs need later: the specs (light objects).
        return len(created)

    def write_truth(self):
        rows = []
        for base_index, index, kind in self.truth:
            a, b = sorted((self.saved_ids[base_index], self.saved_ids[index]))
            rows.append(SyntheticTruth(initiative_a_id=a, initiative_b_id=b, kind=kind))
        SyntheticTruth.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)

    @transaction.atomic
    def write_needs(self, count):
        r = self.random
        through = Need.thematic_areas.through
        created = 0
        while created < count:
            batch = []
            specs = []
            for _ in range(min(BATCH, count - created)):
                country = self.pick(self.countries, self.country_weights)[0]
                areas = self.pick(self.areas, self.area_weights, r.choice([1, 1, 2]))
                language = r.choices(["en", "es", "fr"], [0.6, 0.2, 0.2])[0]
                area_text = AREA_WORDS[language][areas[0].code][0]
                title = {
                    "en": "Need for {} in {}",
                    "es": "Necesidad de {} en {}",
                    "fr": "Besoin en {} au {}",
                }[language]
                batch.append(
                    Need(
                        title={language: title.format(area_text, self.country_names[country.pk][language])},
                        original_language=language,
                        country=country,
                        priority=r.choices(["high", "medium", "low"], [0.3, 0.5, 0.2])[0],
                        need_status=r.choices(["open", "being_addressed", "met"], [0.7, 0.2, 0.1])[0],
                        status=Status.PUBLISHED,
                        published_at=timezone.now(),
                        revision=1,
                        is_demo=True,
                    )
                )
                specs.append(areas)
            saved = Need.objects.bulk_create(batch, batch_size=BATCH)
            through.objects.bulk_create(
                [
                    through(need_id=need.pk, term_id=a.pk)
                    for need, areas in zip(saved, specs, strict=True)
                    for a in areas
                ],
                batch_size=BATCH,
            )
            created += len(saved)


def generate(*, initiatives, needs, seed, stdout=None):
    return Generator(seed=seed, stdout=stdout).generate(initiatives=initiatives, needs=needs)
