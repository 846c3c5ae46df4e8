"""Demo data of the plans app (idempotent; everything marked demo):

- three status-of-implementation cycles on the 2006 Action Plan (the shipped plan, complete at the level of
  its key areas): 2008 (20 national submissions), 2010 (34 national and 3 organizations', some late;
  compared with 2008), and an open cycle where Kenya's draft waits for its focal point;
- two national-report cycles, on the fourth and the fifth national report questionnaires (the fifth compared
  with the fourth through the mapping of questions), with 24 and 32 published reports;
- a demonstration plan (clearly marked: its texts are illustrative, not official) with areas, elements,
  activities, indicators and a crosswalk from the 2006 key areas, and a cycle on it with 12 submissions.

Answers are drawn at random (seeded) among the valid ones, with regional tendencies so that the analysis
shows differences; texts are short demo sentences in the respondent's language. Submissions are written
through the services (versions, search index); only their reception dates are then set back in time.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from capacityhub.accounts.models import User
from capacityhub.core import services as core_services
from capacityhub.core.choices import Status
from capacityhub.reference.models import Country, Organization, Region

from . import generator, planfiles
from .choices import Respondents
from .definitions import respondent_question
from .engine import random_answers
from .models import Crosswalk, Plan, Questionnaire, ReportingCycle, Submission

SEED = 20120704  # decision BS-VI/3 was adopted in Hyderabad in October 2012; any fixed number will do
DEMO_PLAN_KEY = "demo-capacity-building-plan"
STATUS_2006 = "status-cpb-cb-action-plan-2006"
COUNTRIES = [
    # African Group
    "KE", "UG", "TZ", "ET", "NG", "GH", "SN", "CM", "ZA", "ZM", "MG", "BF", "MA", "BJ",
    # Asia-Pacific Group
    "IN", "CN", "VN", "TH", "PH", "ID", "MY", "BD", "FJ",
    # GRULAC
    "CO", "PE", "BR", "MX", "CU", "EC", "BO", "CR",
    # Central and Eastern Europe, WEOG
    "PL", "MD", "NO",
]  # fmt: skip
SPANISH = {"CO", "PE", "MX", "CU", "EC", "BO", "CR"}
FRENCH = {"SN", "CM", "MG", "BF", "MA", "BJ"}
ORGANIZATIONS = [("UNEP", "United Nations Environment Programme"), ("FAO", None), ("ICGEB", None)]
TEXTS = {
    "en": [
        "A national workshop trained staff of the competent authority and the customs service.",
        "Biosafety guidelines were drafted with the national biosafety committee and are under review.",
        "Regional cooperation helped to share laboratory capacity for the detection of LMOs.",
        "Funding remained the main constraint; activities depended on a GEF-funded project.",
        "Public awareness campaigns reached schools and farmers' associations in three provinces.",
        "Staff turnover slowed progress; a training-of-trainers approach helped to keep expertise.",
        "Information is now shared through the Biosafety Clearing-House and a national website.",
        "Involving universities early gave the risk assessment reviews a stable pool of experts.",
    ],
    "es": [
        "Un taller nacional capacitó al personal de la autoridad competente y de aduanas.",
        "Se redactaron directrices de bioseguridad con el comité nacional, que están en revisión.",
        "La cooperación regional permitió compartir laboratorios para la detección de OVM.",
        "La financiación siguió siendo la principal limitación; "
        "las actividades dependieron de un proyecto del FMAM.",
        "Las campañas de sensibilización llegaron a escuelas y asociaciones de agricultores.",
        "La rotación del personal frenó los avances; "
        "la formación de formadores ayudó a conservar la experiencia.",
    ],
    "fr": [
        "Un atelier national a formé le personnel de l'autorité compétente et des douanes.",
        "Des lignes directrices ont été rédigées avec le comité national de biosécurité.",
        "La coopération régionale a permis de partager des laboratoires de détection des OVM.",
        "Le financement est resté la principale contrainte ; les activités dépendaient d'un projet du FEM.",
        "Les campagnes de sensibilisation ont touché des écoles et des associations d'agriculteurs.",
        "La rotation du personnel a freiné les progrès ; "
        "la formation de formateurs a aidé à garder l'expertise.",
    ],
}
#: Tendencies of the answers by CBD regional group (weights of option values).
TENDENCIES = {
    "cbd-africa": {"not_started": 1.4, "in_progress": 1.6, "achieved": 0.6, "true": 0.9, "false": 1.2},
    "cbd-asia-pacific": {"not_started": 0.9, "in_progress": 1.5, "achieved": 1.0},
    "cbd-grulac": {"not_started": 0.7, "in_progress": 1.3, "achieved": 1.2, "true": 1.2},
    "cbd-ceeu": {"not_started": 0.5, "in_progress": 1.0, "achieved": 1.6, "true": 1.3},
    "cbd-weog": {"not_started": 0.3, "in_progress": 0.8, "achieved": 2.0, "true": 1.6, "false": 0.6},
}


def _write(stdout, message):
    if stdout is not None:
        stdout.write(message)


class DemoBuilder:
    def __init__(self, *, stdout=None, seed=SEED):
        self.stdout = stdout
        self.rng = random.Random(seed)
        self.today = timezone.localdate()
        self.groups = {}
        for region in Region.objects.filter(kind="cbd_group").prefetch_related("countries"):
            for country in region.countries.all():
                self.groups[country.iso2] = region.code
        self.countries = {c.iso2: c for c in Country.objects.filter(iso2__in=COUNTRIES)}
        self.created = 0

    # -- building blocks -------------------------------------------------------------------------------
    def user(self, username):
        return User.objects.filter(username=username).first()

    def cycle(self, title, questionnaire, *, deadline, previous=None, period=None, **fields):
        cycle = ReportingCycle.objects.filter(title__en=title["en"], is_demo=True).first()
        if cycle is None:
            cycle = ReportingCycle(title=title, is_demo=True)
        cycle.questionnaire = questionnaire
        cycle.deadline = deadline
        cycle.previous = previous
        if period:
            cycle.period_start, cycle.period_end = period
        for name, value in fields.items():
            setattr(cycle, name, value)
        cycle.full_clean()
        cycle.save()
        return cycle

    def language(self, iso2):
        return "es" if iso2 in SPANISH else "fr" if iso2 in FRENCH else "en"

    def weights(self, definition, iso2, bias=1.0):
        tendency = TENDENCIES.get(self.groups.get(iso2, ""), {})
        weights = {}
        for question in definition.answerable:
            if question.has_options:
                weights[question.key] = {o.value: tendency.get(o.value, 1.0) * bias for o in question.options}
        return weights

    def answers(self, definition, iso2, *, bias=1.0, fill=0.7):
        texts = TEXTS[self.language(iso2)] if iso2 else TEXTS["en"]
        pairs = [a + " " + b for a in texts for b in texts if a != b]
        return random_answers(
            definition, self.rng, fill=fill, texts=pairs, weights=self.weights(definition, iso2, bias)
        )

    def submit(
        self, cycle, *, country=None, organization=None, state=Status.PUBLISHED, received=None, fill=0.7
    ):
        """One demo submission of ``cycle``, written through the services, received on ``received``."""
        existing = Submission.objects.filter(cycle=cycle, country=country, organization=organization).first()
        if existing is not None:
            return existing
        definition = cycle.questionnaire.definition()
        iso2 = country.iso2 if country else ""
        answers, explanations = self.answers(definition, iso2, fill=fill)
        key = respondent_question(cycle.questionnaire)
        if key in definition and country is not None:  # the header of the fifth national report
            answers[key] = country.localized_name(self.language(iso2))
            if cycle.period_start and cycle.period_end and "Q004_start" in definition:
                answers.update(
                    Q004_start=cycle.period_start.isoformat(), Q004_end=cycle.period_end.isoformat()
                )
            if "Q003" in definition:
                answers["Q003"] = (received or timezone.now()).date().isoformat()
        record = Submission(
            cycle=cycle,
            country=country,
            organization=organization,
            original_language=self.language(iso2) if iso2 else "en",
            answers=answers,
            explanations=explanations,
            is_demo=True,
        )
        record = core_services.record_save(record=record, actor=None, comment="Demo data")
        if state in (Status.SUBMITTED, Status.PUBLISHED):
            core_services.record_transition(record=record, action="submit", actor=None)
        if state == Status.PUBLISHED:
            core_services.record_transition(record=record, action="publish", actor=None)
            when = received or timezone.now()
            Submission.objects.filter(pk=record.pk).update(
                received_at=when, published_at=when, is_late=timezone.localdate(when) > cycle.deadline
            )
        self.created += 1
        return record

    def received_dates(self, cycle, count, late_share=0.15):
        """Reception dates around the deadline: most in the six weeks before it, some after."""
        dates = []
        for _index in range(count):
            if self.rng.random() < late_share:
                days = self.rng.randint(1, 60)
            else:
                days = -self.rng.randint(0, 45)
            moment = datetime.datetime.combine(
                cycle.deadline + datetime.timedelta(days=days), datetime.time(self.rng.randint(8, 17), 0)
            )
            dates.append(timezone.make_aware(moment))
        return dates

    def national(self, cycle, codes, *, late_share=0.15, fill=0.7):
        dates = self.received_dates(cycle, len(codes), late_share)
        for iso2, when in zip(codes, dates, strict=True):
            if iso2 in self.countries:
                self.submit(cycle, country=self.countries[iso2], received=when, fill=fill)

    def organizations(self):
        found = []
        for acronym, name in ORGANIZATIONS:
            org = Organization.objects.filter(acronym=acronym, merged_into__isnull=True).first()
            if org is None and name:
                org = Organization(name={"en": name}, acronym=acronym, status=Status.DRAFT, is_demo=True)
                org = core_services.record_save(record=org, actor=None)
                core_services.record_transition(record=org, action="publish", actor=None)
            if org is not None:
                found.append(org)
        return found

    # -- the data set ----------------------------------------------------------------------------------
    def status_cycles(self):
        questionnaire = Questionnaire.objects.filter(key=STATUS_2006).order_by("-version").first()
        if questionnaire is None:
            _write(
                self.stdout, "The 2006 Action Plan's questionnaire is missing: run manage.py load_reference."
            )
            return
        first = self.cycle(
            {
                "en": "Status of implementation of the Action Plan, 2006–2008 (demo)",
                "es": "Estado de aplicación del Plan de Acción, 2006–2008 (demostración)",
                "fr": "État de mise en œuvre du Plan d'action, 2006–2008 (démonstration)",
            },
            questionnaire,
            deadline=datetime.date(2008, 6, 30),
            period=(datetime.date(2006, 4, 1), datetime.date(2008, 3, 31)),
            opens_on=datetime.date(2008, 1, 15),
            decision="BS-III/3",
            respondents=Respondents.ALL,
        )
        self.national(first, COUNTRIES[::2] + COUNTRIES[1:6], late_share=0.2, fill=0.5)
        second = self.cycle(
            {
                "en": "Status of implementation of the Action Plan, 2008–2010 (demo)",
                "es": "Estado de aplicación del Plan de Acción, 2008–2010 (demostración)",
                "fr": "État de mise en œuvre du Plan d'action, 2008–2010 (démonstration)",
            },
            questionnaire,
            deadline=datetime.date(2010, 6, 30),
            previous=first,
            period=(datetime.date(2008, 4, 1), datetime.date(2010, 3, 31)),
            opens_on=datetime.date(2010, 1, 15),
            decision="BS-III/3",
            respondents=Respondents.ALL,
        )
        self.national(second, COUNTRIES, late_share=0.15)
        dates = self.received_dates(second, 3, 0.3)
        for org, when in zip(self.organizations(), dates, strict=False):
            self.submit(second, organization=org, received=when)
        current = self.cycle(
            {
                "en": "Status of implementation of the Action Plan: current cycle (demo)",
                "es": "Estado de aplicación del Plan de Acción: ciclo actual (demostración)",
                "fr": "État de mise en œuvre du Plan d'action : cycle en cours (démonstration)",
            },
            questionnaire,
            deadline=self.today + datetime.timedelta(days=90),
            previous=second,
            opens_on=self.today - datetime.timedelta(days=30),
            respondents=Respondents.ALL,
        )
        self.national(current, ["UG", "CO", "VN", "SN", "NO"], late_share=0.0)
        kenya = self.countries.get("KE")
        if kenya and not Submission.objects.filter(cycle=current, country=kenya).exists():
            author = self.user("demo-user-ke")
            definition = questionnaire.definition()
            answers, explanations = self.answers(definition, "KE", fill=0.8)
            partial = {k: v for k, v in answers.items() if not k.startswith(("area-n", "area-o", "general"))}
            record = Submission(
                cycle=current,
                country=kenya,
                answers=partial,
                explanations={k: v for k, v in explanations.items() if k in partial},
                is_demo=True,
            )
            core_services.record_save(record=record, actor=author, comment="Demo data")
            self.created += 1

    def national_report_cycles(self):
        nr4 = Questionnaire.objects.filter(key="cpb-nr4").first()
        nr5 = Questionnaire.objects.filter(key="cpb-nr5").first()
        if nr4 is None or nr5 is None:
            return
        fourth = self.cycle(
            {
                "en": "Fourth national reports (demo)",
                "es": "Cuartos informes nacionales (demostración)",
                "fr": "Quatrièmes rapports nationaux (démonstration)",
            },
            nr4,
            deadline=datetime.date(2019, 10, 1),
            period=(datetime.date(2015, 10, 1), datetime.date(2019, 9, 30)),
            respondents=Respondents.COUNTRIES,
            decision="BS-V/14",
        )
        self.national(fourth, COUNTRIES[:24], late_share=0.2, fill=0.5)
        fifth = self.cycle(
            {
                "en": "Fifth national reports (demo)",
                "es": "Quintos informes nacionales (demostración)",
                "fr": "Cinquièmes rapports nationaux (démonstration)",
            },
            nr5,
            deadline=datetime.date(2023, 10, 1),
            previous=fourth,
            period=(datetime.date(2019, 10, 1), datetime.date(2023, 9, 30)),
            respondents=Respondents.COUNTRIES,
            decision="CP-10/11",
        )
        self.national(fifth, COUNTRIES[:32], late_share=0.2, fill=0.6)

    def demo_plan(self):
        plan_2006 = Plan.objects.filter(key="cpb-cb-action-plan-2006").first()
        data = demo_plan_data()
        plan, _results = planfiles.import_plan(data, source="demo data", is_demo=True)
        if plan_2006 is not None:
            for source, target in (
                ("a", "1.1"),
                ("b", "1.2"),
                ("c", "2.1"),
                ("d", "2.2"),
                ("e", "3.1"),
                ("f", "3.2"),
            ):
                source_area = plan_2006.areas.filter(number=source).first()
                element = plan.elements.filter(number=target).select_related("area").first()
                if source_area and element:
                    Crosswalk.objects.get_or_create(
                        source_area=source_area,
                        source_element=None,
                        target_area=element.area,
                        target_element=element,
                        defaults={"relation": "continues" if source in "ace" else "partly"},
                    )
        questionnaire, _results = generator.generate_status_questionnaire(plan)
        cycle = self.cycle(
            {
                "en": "Demonstration plan: first reporting cycle (demo)",
                "es": "Plan de demostración: primer ciclo de presentación de informes (demostración)",
                "fr": "Plan de démonstration : premier cycle de rapports (démonstration)",
            },
            questionnaire,
            deadline=self.today - datetime.timedelta(days=120),
            respondents=Respondents.ALL,
        )
        self.national(cycle, COUNTRIES[1:25:2], late_share=0.1)
        self.link_initiatives(plan)

    def link_initiatives(self, plan):
        """Link demo initiatives to the areas of the 2006 plan and to the demo plan's elements, by area."""
        from capacityhub.registry.models import Initiative

        plan_2006 = Plan.objects.filter(key="cpb-cb-action-plan-2006").first()
        initiatives = list(
            Initiative.objects.filter(is_demo=True, status=Status.PUBLISHED).prefetch_related(
                "thematic_areas"
            )
        )
        if not initiatives or plan_2006 is None:
            return
        for area in plan_2006.areas.exclude(thematic_area=None):
            matching = [i for i in initiatives if area.thematic_area in i.thematic_areas.all()][:6]
            area.initiatives.add(*matching)
            for link in Crosswalk.objects.filter(source_area=area, target_element__isnull=False):
                link.target_element.initiatives.add(*matching[:3])

    def build(self):
        with transaction.atomic():
            self.status_cycles()
            self.national_report_cycles()
            self.demo_plan()
        return self.created


def demo_plan_data():
    """The demonstration plan: an illustrative structure, every text marked as demonstration."""

    def ml(en, es, fr):
        return {"en": en, "es": es, "fr": fr}

    def element(number, en, es, fr, activities, indicators):
        return {
            "number": number,
            "kind": "expected_result",
            "title": ml(en, es, fr),
            "activities": [
                {"number": "{}.{}".format(number, i), "title": ml(*texts)}
                for i, texts in enumerate(activities, start=1)
            ],
            "indicators": [
                {"number": "{}.{}".format(number, chr(96 + i)), "title": ml(*texts), "value_type": "number"}
                for i, texts in enumerate(indicators, start=1)
            ],
        }

    trained = (
        "Number of people trained (demo)",
        "Número de personas capacitadas (demostración)",
        "Nombre de personnes formées (démonstration)",
    )
    return {
        "key": DEMO_PLAN_KEY,
        "title": ml(
            "Demonstration plan for capacity-building (illustrative, not an official text)",
            "Plan de demostración para la creación de capacidad (ilustrativo, no es un texto oficial)",
            "Plan de démonstration pour le renforcement des capacités (illustratif, pas un texte officiel)",
        ),
        "short_title": ml("Demonstration plan", "Plan de demostración", "Plan de démonstration"),
        "period": [2021, 2030],
        "complete": True,
        "notes": ml(
            "Generated demonstration data: this plan shows the structure the platform handles (areas, "
            "expected results, indicative activities, indicators, crosswalk). Its texts are invented.",
            "Datos de demostración generados: este plan muestra la estructura que gestiona la plataforma. "
            "Sus textos son inventados.",
            "Données de démonstration générées : ce plan montre la structure gérée par la plateforme. "
            "Ses textes sont inventés.",
        ),
        "areas": [
            {
                "number": "1",
                "title": ml(
                    "Institutions (demo)", "Instituciones (demostración)", "Institutions (démonstration)"
                ),
                "elements": [
                    element(
                        "1.1",
                        "National biosafety frameworks are operational (demo)",
                        "Los marcos nacionales de bioseguridad están operativos (demostración)",
                        "Les cadres nationaux de biosécurité sont opérationnels (démonstration)",
                        [
                            (
                                "Review the national legislation (demo)",
                                "Revisar la legislación nacional (demostración)",
                                "Examiner la législation nationale (démonstration)",
                            )
                        ],
                        [
                            (
                                "Number of countries with a framework in force (demo)",
                                "Número de países con un marco en vigor (demostración)",
                                "Nombre de pays dotés d'un cadre en vigueur (démonstration)",
                            )
                        ],
                    ),
                    element(
                        "1.2",
                        "Competent authorities have trained staff (demo)",
                        "Las autoridades competentes cuentan con personal capacitado (demostración)",
                        "Les autorités compétentes disposent de personnel formé (démonstration)",
                        [
                            (
                                "Run national training courses (demo)",
                                "Organizar cursos nacionales (demostración)",
                                "Organiser des formations nationales (démonstration)",
                            )
                        ],
                        [trained],
                    ),
                ],
            },
            {
                "number": "2",
                "title": ml(
                    "Science and risk (demo)",
                    "Ciencia y riesgo (demostración)",
                    "Science et risques (démonstration)",
                ),
                "elements": [
                    element(
                        "2.1",
                        "Risk assessments follow agreed guidance (demo)",
                        "Las evaluaciones del riesgo siguen orientaciones acordadas (demostración)",
                        "Les évaluations des risques suivent des orientations convenues (démonstration)",
                        [
                            (
                                "Adapt the guidance to national conditions (demo)",
                                "Adaptar las orientaciones (demostración)",
                                "Adapter les orientations (démonstration)",
                            )
                        ],
                        [
                            (
                                "Number of risk assessments reviewed (demo)",
                                "Número de evaluaciones revisadas (demostración)",
                                "Nombre d'évaluations examinées (démonstration)",
                            )
                        ],
                    ),
                    element(
                        "2.2",
                        "Laboratories detect and identify LMOs (demo)",
                        "Los laboratorios detectan e identifican OVM (demostración)",
                        "Les laboratoires détectent et identifient les OVM (démonstration)",
                        [
                            (
                                "Equip reference laboratories (demo)",
                                "Equipar laboratorios de referencia (demostración)",
                                "Équiper des laboratoires de référence (démonstration)",
                            )
                        ],
                        [
                            (
                                "Number of accredited laboratories (demo)",
                                "Número de laboratorios acreditados (demostración)",
                                "Nombre de laboratoires accrédités (démonstration)",
                            )
                        ],
                    ),
                ],
            },
            {
                "number": "3",
                "title": ml(
                    "Information and participation (demo)",
                    "Información y participación (demostración)",
                    "Information et participation (démonstration)",
                ),
                "elements": [
                    element(
                        "3.1",
                        "The public takes part in decisions (demo)",
                        "El público participa en las decisiones (demostración)",
                        "Le public participe aux décisions (démonstration)",
                        [
                            (
                                "Hold public consultations (demo)",
                                "Celebrar consultas públicas (demostración)",
                                "Tenir des consultations publiques (démonstration)",
                            )
                        ],
                        [
                            (
                                "Number of consultations held (demo)",
                                "Número de consultas celebradas (demostración)",
                                "Nombre de consultations tenues (démonstration)",
                            )
                        ],
                    ),
                    element(
                        "3.2",
                        "Information is shared through the Biosafety Clearing-House (demo)",
                        "La información se comparte a través del Centro de Intercambio (demostración)",
                        "L'information est partagée par le Centre d'échange (démonstration)",
                        [
                            (
                                "Train national authorized users (demo)",
                                "Capacitar a los usuarios autorizados (demostración)",
                                "Former les utilisateurs autorisés (démonstration)",
                            )
                        ],
                        [trained],
                    ),
                ],
            },
        ],
    }


def load_demo(*, stdout=None):
    """Create the plans app's demo data if missing (idempotent). Returns the number of submissions created."""
    created = DemoBuilder(stdout=stdout).build()
    _write(stdout, "Plans: {} demo submissions created.".format(created))
    return created
