from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingKind(models.TextChoices):
    COORDINATION = "coordination", _("Coordination meeting")
    LIAISON_GROUP = "liaison_group", _("Liaison Group meeting")
    WORKSHOP = "workshop", _("Workshop")
    GOVERNING_BODY = "cop_mop", _("Meeting of the Parties (COP-MOP)")


class DocumentKind(models.TextChoices):
    WORKING = "working", _("Working document")
    INFORMATION = "information", _("Information document")
    BACKGROUND = "background", _("Background paper")
    REPORT = "report", _("Report of the meeting")
    PRESENTATION = "presentation", _("Presentation")
    OTHER = "other", _("Other document")


class FollowUpStatus(models.TextChoices):
    PENDING = "pending", _("No action yet")
    IN_PROGRESS = "in_progress", _("Being acted on")
    ACTED_ON = "acted_on", _("Acted on")
    NOT_ACTED = "not_acted", _("Not taken up")
    SUPERSEDED = "superseded", _("Superseded")


class LinkRelation(models.TextChoices):
    ADOPTED = "adopted", _("adopted")
    CONSIDERED = "considered", _("considered")
    TOOK_UP = "took_up", _("took up")
    ACTED_ON = "acted_on", _("acted on")
    FED_INTO = "fed_into", _("fed into")
    RELATED = "related", _("is related to")


class LiaisonRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    MEMBER = "member", _("Member")
    OBSERVER = "observer", _("Observer")
