"""Demonstration meetings, decisions and Liaison Group members (part of ``manage.py load_demo``).

Factual content only where it is certain: the sessions of the governing body that adopted the decisions
on capacity-building (COP-MOP 1 in Kuala Lumpur, 2004; 2 in Montreal, 2005; 3 in Curitiba, 2006; 4 in Bonn,
2008; 6 in Hyderabad, 2012), the decisions' symbols and titles, and the fifth coordination meeting (San
José, Costa Rica, 9–11 March 2009). Everything else — the summaries of decisions, the other coordination
and Liaison Group meetings, their documents, recommendations, members and the links between them — is
illustrative, says so, and carries ``DEMO`` in its document symbols. The official text of decisions is never
reproduced or invented: their paragraphs are short demo summaries.

Idempotent: every object is looked up by its natural key (kind and number, title, symbol) before it is
created, so a second run creates nothing."""

import datetime

from django.contrib.contenttypes.models import ContentType

from capacityhub.core import services as record_services
from capacityhub.core.choices import Status
from capacityhub.reference.models import Country, Organization

from .choices import DocumentKind, FollowUpStatus, LiaisonRole, LinkRelation, MeetingKind
from .models import (
    AgendaItem,
    Decision,
    DecisionParagraph,
    LiaisonGroupMember,
    Link,
    Meeting,
    MeetingDocument,
    Recommendation,
)

D = datetime.date
DEMO_NOTE = {
    "en": "Demo record: this summary is illustrative, written for the demonstration; it is not the official "
    "text.",
    "es": "Registro de demostración: este resumen es ilustrativo; no es el texto oficial.",
    "fr": "Fiche de démonstration : ce résumé est illustratif ; ce n'est pas le texte officiel.",
}

COP_MOP = [
    # number, start, end, city, country, ordinal (en, es, fr)
    (1, D(2004, 2, 23), D(2004, 2, 27), "Kuala Lumpur", "MY", ("First", "Primera", "Première")),
    (2, D(2005, 5, 30), D(2005, 6, 3), "Montreal", "CA", ("Second", "Segunda", "Deuxième")),
    (3, D(2006, 3, 13), D(2006, 3, 17), "Curitiba", "BR", ("Third", "Tercera", "Troisième")),
    (4, D(2008, 5, 12), D(2008, 5, 16), "Bonn", "DE", ("Fourth", "Cuarta", "Quatrième")),
    (6, D(2012, 10, 1), D(2012, 10, 5), "Hyderabad", "IN", ("Sixth", "Sexta", "Sixième")),
]

DECISIONS = [
    (
        "BS-I/5",
        1,
        {
            "en": "The first meeting of the Parties addressed capacity-building for the implementation of "
            "the Protocol, including an action plan for building capacities and a mechanism to coordinate "
            "capacity-building activities.",
            "es": "La primera reunión de las Partes trató la creación de capacidad para aplicar el "
            "Protocolo, "
            "incluido un plan de acción y un mecanismo de coordinación.",
            "fr": "La première réunion des Parties a traité du renforcement des capacités pour "
            "l'application du "
            "Protocole, y compris un plan d'action et un mécanisme de coordination.",
        },
    ),
    (
        "BS-II/3",
        2,
        {
            "en": "The second meeting of the Parties reviewed progress in capacity-building and the "
            "coordination of capacity-building activities.",
            "es": "La segunda reunión de las Partes examinó los avances en la creación de capacidad.",
            "fr": "La deuxième réunion des Parties a examiné les progrès du renforcement des capacités.",
        },
    ),
    (
        "BS-III/3",
        3,
        {
            "en": "The third meeting of the Parties adopted the updated Action Plan for building capacities "
            "for the effective implementation of the Protocol (2006).",
            "es": "La tercera reunión de las Partes adoptó el Plan de Acción actualizado de creación de "
            "capacidad (2006).",
            "fr": "La troisième réunion des Parties a adopté le Plan d'action actualisé de renforcement des "
            "capacités (2006).",
        },
    ),
    (
        "BS-IV/3",
        4,
        {
            "en": "The fourth meeting of the Parties reviewed the implementation of the updated Action Plan "
            "and the coordination of capacity-building.",
            "es": "La cuarta reunión de las Partes examinó la aplicación del Plan de Acción actualizado.",
            "fr": "La quatrième réunion des Parties a examiné la mise en œuvre du Plan d'action actualisé.",
        },
    ),
    (
        "BS-VI/3",
        6,
        {
            "en": "The sixth meeting of the Parties adopted the Framework and Action Plan for "
            "Capacity-Building for the Effective Implementation of the Cartagena Protocol on Biosafety "
            "(2012–2020).",
            "es": "La sexta reunión de las Partes adoptó el Marco y Plan de Acción de creación de capacidad "
            "para la aplicación efectiva del Protocolo de Cartagena (2012–2020).",
            "fr": "La sixième réunion des Parties a adopté le Cadre et plan d'action pour le renforcement "
            "des "
            "capacités en vue de l'application effective du Protocole de Cartagena (2012–2020).",
        },
    ),
]

ILLUSTRATIVE = {
    "en": "Demo record (illustrative): this meeting, its dates, documents and recommendations were made up "
    "for the demonstration.",
    "es": "Registro de demostración (ilustrativo): esta reunión, sus fechas, documentos y recomendaciones "
    "son inventados.",
    "fr": "Fiche de démonstration (illustrative) : cette réunion, ses dates, documents et recommandations "
    "sont fictifs.",
}


def _say(stdout, message):
    if stdout is not None:
        stdout.write(message if message.endswith("\n") else message + "\n")


def organization(acronym, names, country=None):
    """The (demo or existing) organization with this acronym."""
    found = Organization.objects.filter(acronym=acronym, merged_into__isnull=True).order_by("pk").first()
    if found is not None:
        return found
    org = Organization(name=names, acronym=acronym, country=country, status=Status.PUBLISHED)
    org.is_demo = True
    return record_services.record_save(record=org, actor=None)


def secretariat():
    return organization(
        "SCBD",
        {
            "en": "Secretariat of the Convention on Biological Diversity",
            "es": "Secretaría del Convenio sobre la Diversidad Biológica",
            "fr": "Secrétariat de la Convention sur la diversité biologique",
        },
    )


def _meeting(lookup, **fields):
    existing = Meeting.objects.filter(**lookup).first()
    if existing is not None:
        return existing, False
    related = fields.pop("related", None)
    plain = {key: value for key, value in lookup.items() if "__" not in key}
    meeting = Meeting(**plain, **fields, status=Status.DRAFT)
    meeting.is_demo = True
    meeting = record_services.record_save(record=meeting, actor=None, save_related=related)
    record_services.record_transition(record=meeting, action="publish", actor=None)
    meeting.refresh_from_db()
    return meeting, True


def cop_mop_sessions(scbd):
    sessions = {}
    for number, start, end, city, iso2, (en, es, fr) in COP_MOP:
        sessions[number], _created = _meeting(
            {"kind": MeetingKind.GOVERNING_BODY, "series_number": number},
            title={
                "en": "{} meeting of the Conference of the Parties serving as the meeting of the Parties to "
                "the Cartagena Protocol on Biosafety".format(en),
                "es": "{} reunión de la Conferencia de las Partes que actúa como reunión de las Partes en el "
                "Protocolo de Cartagena sobre Seguridad de la Biotecnología".format(es),
                "fr": "{} réunion de la Conférence des Parties siégeant en tant que réunion des Parties au "
                "Protocole de Cartagena sur la prévention des risques biotechnologiques".format(fr),
            },
            start_date=start,
            end_date=end,
            city=city,
            country=Country.objects.get(iso2=iso2),
            organizer=scbd,
        )
    return sessions


def _documents(meeting, rows):
    for position, (symbol, title, kind) in enumerate(rows):
        if not MeetingDocument.objects.filter(symbol=symbol).exists():
            MeetingDocument.objects.create(
                meeting=meeting, symbol=symbol, title=title, kind=kind, position=position
            )


def _recommendations(meeting, rows):
    created = []
    for position, (number, text, status, note) in enumerate(rows):
        recommendation, _new = Recommendation.objects.get_or_create(
            meeting=meeting,
            number=number,
            defaults={"text": text, "follow_up_status": status, "follow_up_note": note, "position": position},
        )
        created.append(recommendation)
    return created


def coordination_meetings(scbd, today):
    """The fifth coordination meeting (real dates and place) and illustrative past and coming meetings."""
    fifth, _created = _meeting(
        {"kind": MeetingKind.COORDINATION, "series_number": 5},
        title={
            "en": "Fifth coordination meeting for Governments and organizations implementing or funding "
            "biosafety capacity-building activities",
            "es": "Quinta reunión de coordinación para gobiernos y organizaciones que ejecutan o financian "
            "actividades de creación de capacidad en seguridad de la biotecnología",
            "fr": "Cinquième réunion de coordination des gouvernements et organisations qui mettent en œuvre "
            "ou financent des activités de renforcement des capacités en prévention des risques "
            "biotechnologiques",
        },
        summary={
            "en": "The online conference on integrating biosafety into national development plans "
            "(19 January to 6 February 2009) fed this meeting: its compiled outcome is the meeting's "
            "background paper. " + DEMO_NOTE["en"],
            "es": "La conferencia en línea sobre la integración de la seguridad de la biotecnología en los "
            "planes nacionales de desarrollo alimentó esta reunión. " + DEMO_NOTE["es"],
            "fr": "La conférence en ligne sur l'intégration de la prévention des risques biotechnologiques "
            "dans les plans nationaux de développement a alimenté cette réunion. " + DEMO_NOTE["fr"],
        },
        start_date=D(2009, 3, 9),
        end_date=D(2009, 3, 11),
        city="San José",
        country=Country.objects.get(iso2="CR"),
        organizer=scbd,
    )
    if not fifth.agenda_items.exists():
        for position, (number, en, es, fr) in enumerate(
            [
                ("1", "Opening of the meeting", "Apertura de la reunión", "Ouverture de la réunion"),
                (
                    "2",
                    "Integration of biosafety into national development plans: outcome of the online "
                    "conference",
                    "Integración de la seguridad de la biotecnología en los planes nacionales de desarrollo",
                    "Intégration de la prévention des risques biotechnologiques dans les plans de "
                    "développement",
                ),
                ("3", "Other matters", "Otros asuntos", "Questions diverses"),
                ("4", "Closure of the meeting", "Clausura de la reunión", "Clôture de la réunion"),
            ]
        ):
            AgendaItem.objects.create(
                meeting=fifth, number=number, title={"en": en, "es": es, "fr": fr}, position=position
            )
    _recommendations(
        fifth,
        [
            (
                "1",
                {
                    "en": "Demo recommendation (illustrative): countries are encouraged to include biosafety "
                    "in their national development plans and in their requests for development assistance.",
                    "es": "Recomendación de demostración (ilustrativa): se alienta a los países a incluir la "
                    "seguridad de la biotecnología en sus planes nacionales de desarrollo.",
                    "fr": "Recommandation de démonstration (illustrative) : les pays sont encouragés à "
                    "inclure "
                    "la prévention des risques biotechnologiques dans leurs plans de développement.",
                },
                FollowUpStatus.IN_PROGRESS,
                {"en": "Demo follow-up note (illustrative)."},
            ),
        ],
    )
    past, _created = _meeting(
        {"title__en": "Demo coordination meeting on biosafety capacity-building (illustrative)"},
        title={
            "en": "Demo coordination meeting on biosafety capacity-building (illustrative)",
            "es": "Reunión de coordinación de demostración sobre creación de capacidad (ilustrativa)",
            "fr": "Réunion de coordination de démonstration sur le renforcement des capacités (illustrative)",
        },
        kind=MeetingKind.COORDINATION,
        summary=ILLUSTRATIVE,
        start_date=D(2007, 11, 5),
        end_date=D(2007, 11, 7),
        city="Montreal",
        country=Country.objects.get(iso2="CA"),
        organizer=scbd,
        report={"en": "Demo report (illustrative): participants shared their capacity-building plans."},
    )
    _documents(
        past,
        [
            (
                "DEMO/CB/CM/1",
                {"en": "Provisional agenda (demo)", "fr": "Ordre du jour provisoire (démo)"},
                DocumentKind.WORKING,
            ),
            ("DEMO/CB/CM/2", {"en": "Report of the meeting (demo)"}, DocumentKind.REPORT),
            ("DEMO/CB/CM/INF/1", {"en": "List of participants (demo)"}, DocumentKind.INFORMATION),
        ],
    )
    recommendations = _recommendations(
        past,
        [
            (
                "1",
                {
                    "en": "Demo recommendation (illustrative): share capacity-building plans through the "
                    "platform."
                },
                FollowUpStatus.ACTED_ON,
                {"en": "Demo follow-up (illustrative): taken up by a decision of the governing body."},
            ),
            (
                "2",
                {"en": "Demo recommendation (illustrative): hold an online conference before each meeting."},
                FollowUpStatus.ACTED_ON,
                {
                    "en": "Demo follow-up (illustrative): online conferences now precede coordination "
                    "meetings."
                },
            ),
        ],
    )
    coming, _created = _meeting(
        {"title__en": "Demo coordination meeting, upcoming (illustrative)"},
        title={
            "en": "Demo coordination meeting, upcoming (illustrative)",
            "es": "Reunión de coordinación de demostración, próxima (ilustrativa)",
            "fr": "Réunion de coordination de démonstration, à venir (illustrative)",
        },
        kind=MeetingKind.COORDINATION,
        summary=ILLUSTRATIVE,
        start_date=today + datetime.timedelta(days=45),
        end_date=today + datetime.timedelta(days=47),
        city="Montreal",
        country=Country.objects.get(iso2="CA"),
        organizer=scbd,
    )
    return {"fifth": fifth, "past": past, "coming": coming, "recommendations": recommendations}


def liaison_group(scbd):
    first, _created = _meeting(
        {"title__en": "Demo meeting of the Liaison Group on capacity-building for biosafety (illustrative)"},
        title={
            "en": "Demo meeting of the Liaison Group on capacity-building for biosafety (illustrative)",
            "es": "Reunión de demostración del Grupo de Enlace sobre creación de capacidad (ilustrativa)",
            "fr": "Réunion de démonstration du Groupe de liaison sur le renforcement des capacités "
            "(illustrative)",
        },
        kind=MeetingKind.LIAISON_GROUP,
        summary=ILLUSTRATIVE,
        start_date=D(2011, 6, 14),
        end_date=D(2011, 6, 16),
        city="Montreal",
        country=Country.objects.get(iso2="CA"),
        organizer=scbd,
        report={
            "en": "Demo report (illustrative): the group reviewed a draft framework for capacity-building."
        },
    )
    _documents(
        first, [("DEMO/CB/LG/1", {"en": "Report of the Liaison Group meeting (demo)"}, DocumentKind.REPORT)]
    )
    recommendations = _recommendations(
        first,
        [
            (
                "1",
                {
                    "en": "Demo recommendation (illustrative): prepare a framework and action plan for "
                    "2012–2020."
                },
                FollowUpStatus.ACTED_ON,
                {"en": "Demo follow-up (illustrative): see decision BS-VI/3."},
            )
        ],
    )
    if not LiaisonGroupMember.objects.filter(is_demo=True).exists():
        unep = Organization.objects.filter(acronym="UNEP", merged_into__isnull=True).first()
        fao = Organization.objects.filter(acronym="FAO", merged_into__isnull=True).first()
        for name, org, iso2, role, start, end in [
            ("Demo member A (illustrative)", None, "KE", LiaisonRole.CHAIR, D(2011, 1, 1), None),
            ("Demo member B (illustrative)", unep, None, LiaisonRole.MEMBER, D(2011, 1, 1), None),
            ("Demo member C (illustrative)", None, "CO", LiaisonRole.MEMBER, D(2011, 1, 1), None),
            ("Demo member D (illustrative)", fao, None, LiaisonRole.OBSERVER, D(2011, 1, 1), None),
            ("Demo member E (illustrative)", None, "SN", LiaisonRole.MEMBER, D(2007, 1, 1), D(2010, 12, 31)),
        ]:
            member = LiaisonGroupMember(
                name=name,
                organization=org,
                country=Country.objects.get(iso2=iso2) if iso2 else None,
                role=role,
                term_start=start,
                term_end=end,
            )
            member.is_demo = True
            member.save()
    return {"meeting": first, "recommendations": recommendations}


def decisions(scbd, sessions, coordination, liaison):
    found = {}
    for symbol, session, summary in DECISIONS:
        decision = Decision.objects.filter(symbol=symbol).first()
        if decision is None:
            meeting = sessions[session]

            def related(saved, summary=summary):
                DecisionParagraph.objects.create(
                    decision=saved,
                    number="Demo",
                    text={code: "{} {}".format(text, DEMO_NOTE[code]) for code, text in summary.items()},
                )

            decision = Decision(
                symbol=symbol,
                title={
                    "en": "Capacity-building",
                    "es": "Creación de capacidad",
                    "fr": "Renforcement des capacités",
                },
                publisher=scbd,
                meeting=meeting,
                adopted_on=meeting.end_date,
                summary={
                    code: "{} {}".format(
                        text,
                        {
                            "en": "Links to meetings and recommendations in this demo are illustrative.",
                            "es": "Los vínculos con reuniones y recomendaciones son ilustrativos.",
                            "fr": "Les liens vers les réunions et recommandations sont illustratifs.",
                        }[code],
                    )
                    for code, text in summary.items()
                },
                status=Status.DRAFT,
            )
            decision.is_demo = True
            decision = record_services.record_save(record=decision, actor=None, save_related=related)
            record_services.record_transition(record=decision, action="publish", actor=None)
        found[symbol] = decision
    found["BS-IV/3"].considered_meetings.add(coordination["past"])
    found["BS-IV/3"].recommendations.add(*coordination["recommendations"])
    found["BS-VI/3"].considered_meetings.add(liaison["meeting"], coordination["fifth"])
    found["BS-VI/3"].recommendations.add(*liaison["recommendations"])
    _link_plan(found["BS-VI/3"], "2012")
    _link_plan(found["BS-III/3"], "2006")
    return found


def _link_plan(decision, year):
    """Link the decision to the plan it adopted, once issue 4's plans exist (a generic link: no import)."""
    from django.apps import apps

    try:
        plan_model = apps.get_model("plans", "Plan")
    except LookupError:
        return
    names = [f.name for f in plan_model._meta.get_fields()]
    candidates = plan_model._base_manager.all()
    plan = None
    for field in ("code", "slug", "key", "short_name"):
        if field in names:
            plan = candidates.filter(**{"{}__contains".format(field): year}).first()
            if plan:
                break
    if plan is None and "title" in names:
        plan = next((p for p in candidates if year in str(p)), None)
    if plan is None:
        return
    Link.objects.get_or_create(
        source_type=ContentType.objects.get_for_model(decision),
        source_id=decision.pk,
        relation=LinkRelation.ADOPTED,
        target_type=ContentType.objects.get_for_model(plan),
        target_id=plan.pk,
    )


def load_demo(*, stdout=None, today=None):
    """Write the demo meetings, decisions and Liaison Group; return the objects the conferences need."""
    from django.utils import timezone

    today = today or timezone.localdate()
    scbd = secretariat()
    sessions = cop_mop_sessions(scbd)
    coordination = coordination_meetings(scbd, today)
    liaison = liaison_group(scbd)
    found = decisions(scbd, sessions, coordination, liaison)
    _say(
        stdout,
        "  meetings: {} demo meetings, {} decisions, {} Liaison Group members".format(
            Meeting.objects.filter(is_demo=True).count(),
            len(found),
            LiaisonGroupMember.objects.filter(is_demo=True).count(),
        ),
    )
    return {"secretariat": scbd, **coordination, "decisions": found}
