"""Demonstration conferences, meetings, decisions and subscriptions: ``load_demo()`` is called by
``manage.py load_demo``.

- The 2009 online conference “Capacity-building for integration of biosafety into national development
  plans” (19 January to 6 February 2009): its title and window are real; its introduction, four objectives,
  topics, participants (fictitious people, ``@example.org``) and posts in English, Spanish and French are
  illustrative and say so. It is closed and its outcome is compiled into the background paper of the fifth
  coordination meeting (San José, Costa Rica, 9–11 March 2009).
- An open demo conference, its window around today, with a post and a registration waiting for the
  moderator (``demo-moderator`` / ``demo``) and a flagged post.
- The meetings, decisions and Liaison Group of :mod:`capacityhub.meetings.demo`.
- A few subscriptions of ``demo-participant`` (if that account exists).

Everything is marked ``is_demo``. Idempotent: objects are found by their natural keys before being made.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from capacityhub.accounts.choices import Role
from capacityhub.accounts.models import User
from capacityhub.accounts.services import role_assign
from capacityhub.core.choices import Status
from capacityhub.reference.models import Country, Organization

from . import services
from .choices import ParticipantStatus, PostStatus, StakeholderType
from .models import Conference, ConferenceModerator, Flag, Objective, Participant, Post, Topic

D = datetime.date
CONFERENCE_2009 = "Capacity-building for integration of biosafety into national development plans"
OPEN_CONFERENCE = "Demo: sharing experiences in biosafety capacity-building (illustrative)"
ILLUSTRATIVE = {
    "en": "*Demo record.* The title and dates of this conference are real; this introduction, the "
    "objectives, topics, participants and posts are illustrative, written for the demonstration.",
    "es": "*Registro de demostración.* El título y las fechas son reales; la introducción, los objetivos, "
    "temas, participantes y mensajes son ilustrativos.",
    "fr": "*Fiche de démonstration.* Le titre et les dates sont réels ; l'introduction, les objectifs, "
    "thèmes, participants et messages sont illustratifs.",
}

PEOPLE = [
    # username, name, country, stakeholder type, organization name, language
    (
        "demo-conf-amina",
        "Amina Wanjiru (demo)",
        "KE",
        StakeholderType.GOVERNMENT,
        "National Biosafety Authority (demo)",
        "en",
    ),
    (
        "demo-conf-carlos",
        "Carlos Restrepo (demo)",
        "CO",
        StakeholderType.GOVERNMENT,
        "Ministerio (demo)",
        "es",
    ),
    ("demo-conf-awa", "Awa Ndiaye (demo)", "SN", StakeholderType.ACADEMIA, "Université (démo)", "fr"),
    ("demo-conf-lan", "Nguyen Thi Lan (demo)", "VN", StakeholderType.NGO, "Biosafety Network (demo)", "en"),
    ("demo-conf-lucia", "Lucía Fernández (demo)", "MX", StakeholderType.ACADEMIA, "Universidad (demo)", "es"),
    (
        "demo-conf-jean",
        "Jean-Baptiste Hounkpatin (demo)",
        "BJ",
        StakeholderType.GOVERNMENT,
        "Ministère (démo)",
        "fr",
    ),
    ("demo-conf-peter", "Peter Olsen (demo)", "NO", StakeholderType.DONOR, "Development agency (demo)", "en"),
    (
        "demo-conf-sofia",
        "Sofía Quispe (demo)",
        "PE",
        StakeholderType.INDIGENOUS,
        "Community network (demo)",
        "es",
    ),
]


def _say(stdout, message):
    if stdout is not None:
        stdout.write(message if message.endswith("\n") else message + "\n")


def user(username, name, language="en", password=None, roles=()):
    found = User.objects.filter(username=username).first()
    if found is None:
        found = User(
            username=username, email="{}@example.org".format(username), name=name, preferred_language=language
        )
        if password:
            found.set_password(password)
        else:
            found.set_unusable_password()
        found.save()
    for role in roles:
        role_assign(user=found, role=role)
    return found


def _conference(title, **fields):
    existing = Conference.objects.filter(title__en=title).first()
    if existing is not None:
        return existing, False
    conference = Conference(title={"en": title, **fields.pop("translations", {})}, **fields)
    conference.is_demo = True
    conference = services.conference_save(conference=conference, actor=None)
    return services.conference_publish(conference=conference, actor=None), True


def _participants(conference, people, orgs, joined):
    result = {}
    for username, name, iso2, stakeholder, org_name, language in people:
        person = user(username, name, language)
        participant, _new = Participant.objects.get_or_create(
            conference=conference,
            user=person,
            defaults={
                "country": Country.objects.get(iso2=iso2),
                "organization": orgs.get(stakeholder),
                "organization_name": "" if orgs.get(stakeholder) else org_name,
                "stakeholder_type": stakeholder,
                "status": ParticipantStatus.APPROVED,
                "decided_at": joined,
            },
        )
        result[username] = participant
    return result


def _post(topic, participant, when, language, body, subject="", parent=None, quoted=None, **flags):
    post = Post.objects.create(
        topic=topic,
        author=participant.user,
        participant=participant,
        parent=parent,
        quoted=quoted,
        subject=subject,
        body=body,
        language=language,
        created_at=when,
        status=flags.pop("status", PostStatus.PUBLISHED),
        **flags,
    )
    return post


def _at(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)), datetime.UTC)


def conference_2009(meetings, moderator):
    conference, created = _conference(
        CONFERENCE_2009,
        translations={
            "es": "Creación de capacidad para la integración de la seguridad de la biotecnología en los "
            "planes "
            "nacionales de desarrollo",
            "fr": "Renforcement des capacités pour l'intégration de la prévention des risques "
            "biotechnologiques "
            "dans les plans nationaux de développement",
        },
        introduction=ILLUSTRATIVE,
        start_date=D(2009, 1, 19),
        end_date=D(2009, 2, 6),
        languages=["en", "es", "fr"],
        organizer=meetings["secretariat"],
        feeds_meeting=meetings["fifth"],
    )
    if not created:
        return conference
    ConferenceModerator.objects.get_or_create(conference=conference, user=moderator)
    for number, en, es, fr in [
        (
            1,
            "Take stock of how far biosafety is reflected in national development plans and strategies.",
            "Hacer un balance de la presencia de la seguridad de la biotecnología en los planes de "
            "desarrollo.",
            "Faire le point sur la place de la biosécurité dans les plans nationaux de développement.",
        ),
        (
            2,
            "Share experiences and good practices in integrating biosafety into development planning.",
            "Compartir experiencias y buenas prácticas de integración en la planificación del desarrollo.",
            "Partager expériences et bonnes pratiques d'intégration dans la planification du développement.",
        ),
        (
            3,
            "Identify obstacles and the capacities needed to overcome them.",
            "Identificar los obstáculos y las capacidades necesarias para superarlos.",
            "Recenser les obstacles et les capacités nécessaires pour les surmonter.",
        ),
        (
            4,
            "Prepare suggestions for the fifth coordination meeting.",
            "Preparar sugerencias para la quinta reunión de coordinación.",
            "Préparer des suggestions pour la cinquième réunion de coordination.",
        ),
    ]:
        Objective.objects.create(conference=conference, number=number, text={"en": en, "es": es, "fr": fr})
    topics = {}
    for number, start, end, en, es, fr, conclusion in [
        (
            1,
            D(2009, 1, 19),
            D(2009, 1, 25),
            "Where do we stand? Biosafety in national development plans",
            "¿Dónde estamos? La seguridad de la biotecnología en los planes nacionales de desarrollo",
            "Où en sommes-nous ? La biosécurité dans les plans nationaux de développement",
            "*Demo conclusion (illustrative).* Few plans mention biosafety explicitly; where they do, it is "
            "tied to agriculture or the environment, rarely with a budget line.",
        ),
        (
            2,
            D(2009, 1, 26),
            D(2009, 2, 1),
            "Approaches and good practices for mainstreaming biosafety",
            "Enfoques y buenas prácticas para integrar la seguridad de la biotecnología",
            "Approches et bonnes pratiques d'intégration de la biosécurité",
            "*Demo conclusion (illustrative).* Participants stressed inter-ministerial committees, links "
            "with poverty-reduction strategies, and evidence that decision-makers can use.",
        ),
        (
            3,
            D(2009, 2, 2),
            D(2009, 2, 6),
            "Resources: the role of donors and organizations",
            "Recursos: el papel de los donantes y las organizaciones",
            "Ressources : le rôle des bailleurs et des organisations",
            "*Demo conclusion (illustrative).* Biosafety in the national plan makes it eligible for "
            "development assistance; donors asked for clear national priorities.",
        ),
    ]:
        topics[number] = Topic.objects.create(
            conference=conference,
            number=number,
            title={"en": en, "es": es, "fr": fr},
            start_date=start,
            end_date=end,
            conclusion={"en": conclusion},
            conclusion_by=moderator,
            conclusion_at=_at(D(2009, 2, 6), 18),
        )
    orgs = {StakeholderType.DONOR: Organization.objects.filter(acronym="Norad").first()}
    people = _participants(conference, PEOPLE, orgs, _at(D(2009, 1, 18)))
    t1, t2, t3 = topics[1], topics[2], topics[3]
    first = _post(
        t1,
        people["demo-conf-amina"],
        _at(D(2009, 1, 19), 9),
        "en",
        "In our country biosafety appears in the **environment chapter** of the national plan, but with no "
        "budget line. *(Demo post.)*",
        subject="A chapter without a budget",
        is_key=True,
        is_pinned=True,
    )
    _post(
        t1,
        people["demo-conf-carlos"],
        _at(D(2009, 1, 20), 15),
        "es",
        "En nuestro caso la bioseguridad figura en la estrategia agrícola, no en el plan nacional. "
        "Hace falta un punto focal en el ministerio de planificación. *(Mensaje de demostración.)*",
        parent=first,
        is_key=True,
    )
    _post(
        t1,
        people["demo-conf-awa"],
        _at(D(2009, 1, 21), 11),
        "fr",
        "Nous avons le même constat : la biosécurité reste un sujet technique, absent des documents de "
        "stratégie de réduction de la pauvreté. *(Message de démonstration.)*",
        parent=first,
        quoted=first,
    )
    _post(
        t1,
        people["demo-conf-lan"],
        _at(D(2009, 1, 23), 8),
        "en",
        "A national survey of ministries helped us show where biosafety fits. *(Demo post.)*",
    )
    practice = _post(
        t2,
        people["demo-conf-lucia"],
        _at(D(2009, 1, 27), 10),
        "es",
        "Un comité interministerial con mandato legal permitió incluir la bioseguridad en el plan sectorial. "
        "*(Mensaje de demostración.)*",
        subject="Comité interministerial",
        is_key=True,
    )
    _post(
        t2,
        people["demo-conf-jean"],
        _at(D(2009, 1, 28), 16),
        "fr",
        "Chez nous, le comité national de biosécurité a présenté ses besoins lors de la revue annuelle du "
        "plan de développement. *(Message de démonstration.)*",
        parent=practice,
        is_key=True,
    )
    _post(
        t2,
        people["demo-conf-sofia"],
        _at(D(2009, 1, 30), 12),
        "es",
        "Las comunidades locales deben participar desde el inicio. *(Mensaje de demostración.)*",
        parent=practice,
    )
    _post(
        t3,
        people["demo-conf-peter"],
        _at(D(2009, 2, 3), 14),
        "en",
        "Donors respond to national priorities: when biosafety is in the plan, it can be funded through "
        "country programmes. *(Demo post.)*",
        subject="Funding follows national priorities",
        is_key=True,
    )
    _post(
        t3,
        people["demo-conf-awa"],
        _at(D(2009, 2, 4), 9),
        "fr",
        "Il faudrait une liste des sources de financement accessibles. *(Message de démonstration.)*",
    )
    hidden = _post(
        t3,
        people["demo-conf-lan"],
        _at(D(2009, 2, 5), 10),
        "en",
        "Buy cheap seeds here! *(Demo spam.)*",
        status=PostStatus.HIDDEN,
        hidden_reason="Advertising, off topic (demo).",
        moderated_by=moderator,
        moderated_at=_at(D(2009, 2, 5), 11),
    )
    services.log(
        conference, moderator, "post_hidden", post=hidden, subject=str(hidden), reason=hidden.hidden_reason
    )
    conference.closed_at, conference.closed_by = _at(D(2009, 2, 6), 23), moderator
    conference.save(update_fields=["closed_at", "closed_by"])
    services.log(conference, moderator, "conference_closed", subject=conference.display_title())
    from django.utils import translation

    from .outcome import outcome_compile

    with translation.override("en"):
        outcome_compile(conference=conference, actor=moderator, today=D(2009, 3, 1))
    return conference


def open_conference(meetings, moderator, today):
    conference, created = _conference(
        OPEN_CONFERENCE,
        translations={
            "es": "Demo: intercambio de experiencias en creación de capacidad (ilustrativa)",
            "fr": "Démo : partage d'expériences en renforcement des capacités (illustrative)",
        },
        introduction={
            "en": "*Demo record (illustrative).* An open conference to try the platform: register, post in "
            "English, Spanish or French, reply and quote.",
            "es": "*Registro de demostración.* Una conferencia abierta para probar la plataforma.",
            "fr": "*Fiche de démonstration.* Une conférence ouverte pour essayer la plateforme.",
        },
        start_date=today - datetime.timedelta(days=5),
        end_date=today + datetime.timedelta(days=16),
        languages=["en", "es", "fr"],
        organizer=meetings["secretariat"],
        feeds_meeting=meetings["coming"],
    )
    if not created:
        return conference
    ConferenceModerator.objects.get_or_create(conference=conference, user=moderator)
    for number, text in [
        (1, "Share what worked in national capacity-building projects."),
        (2, "Identify gaps that the next coordination meeting should address."),
    ]:
        Objective.objects.create(conference=conference, number=number, text={"en": text})
    topic1 = Topic.objects.create(
        conference=conference,
        number=1,
        title={"en": "What worked?", "es": "¿Qué funcionó?", "fr": "Qu'est-ce qui a marché ?"},
        end_date=today + datetime.timedelta(days=6),
    )
    Topic.objects.create(
        conference=conference,
        number=2,
        title={"en": "Gaps and priorities", "es": "Brechas y prioridades", "fr": "Lacunes et priorités"},
        start_date=today + datetime.timedelta(days=7),
    )
    people = _participants(conference, PEOPLE[:4], {}, timezone.now() - datetime.timedelta(days=6))
    now = timezone.now()
    first = _post(
        topic1,
        people["demo-conf-amina"],
        now - datetime.timedelta(days=4),
        "en",
        "Training customs officers together with the plant health service saved time. *(Demo post.)*",
        subject="Joint training",
    )
    _post(
        topic1,
        people["demo-conf-carlos"],
        now - datetime.timedelta(days=3),
        "es",
        "Coincido: las capacitaciones conjuntas reducen costos. *(Mensaje de demostración.)*",
        parent=first,
    )
    flagged = _post(
        topic1,
        people["demo-conf-lan"],
        now - datetime.timedelta(days=2),
        "en",
        "Visit my website for more. *(Demo post that was flagged.)*",
    )
    Flag.objects.get_or_create(
        post=flagged, user=people["demo-conf-awa"].user, defaults={"reason": "Advertising?"}
    )
    _post(
        topic1,
        people["demo-conf-awa"],
        now - datetime.timedelta(hours=5),
        "fr",
        "Un premier message en attente de validation. *(Message de démonstration.)*",
        status=PostStatus.PENDING,
    )
    waiting = User.objects.filter(username="demo-participant").first()
    if waiting is not None:
        Participant.objects.get_or_create(
            conference=conference,
            user=waiting,
            defaults={
                "country": Country.objects.get(iso2="KE"),
                "organization_name": "Demo organization",
                "stakeholder_type": StakeholderType.OTHER,
            },
        )
    return conference


def subscriptions(conference):
    from capacityhub.notifications.choices import Frequency
    from capacityhub.notifications.models import SavedSearch
    from capacityhub.notifications.services import follow_create

    person = User.objects.filter(username="demo-participant").first()
    if person is None:
        return
    follow_create(target=conference, actor=person, frequency=Frequency.DAILY)
    SavedSearch.objects.get_or_create(
        user=person,
        record_type="opportunity",
        query="open=true",
        defaults={"name": "Opportunities still open (demo)", "frequency": Frequency.DAILY},
    )


@transaction.atomic
def load_demo(*, stdout=None, today=None):
    """Write the demo conferences, meetings, decisions and subscriptions (idempotent)."""
    from capacityhub.meetings.demo import load_demo as load_meetings

    today = today or timezone.localdate()
    meetings = load_meetings(stdout=stdout, today=today)
    moderator = user("demo-moderator", "Demo Moderator", password="demo", roles=[Role.MODERATOR])
    past = conference_2009(meetings, moderator)
    current = open_conference(meetings, moderator, today)
    subscriptions(current)
    _say(
        stdout,
        "  conferences: {} demo conferences, {} posts; moderator demo-moderator / demo".format(
            Conference.objects.filter(is_demo=True).count(),
            Post.objects.filter(topic__conference__is_demo=True).count(),
        ),
    )
    return {"past": past, "open": current, "status": Status.PUBLISHED}
