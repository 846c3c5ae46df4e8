"""Who may do what to meetings, their documents and recommendations, decisions, links and the Liaison
Group. Meetings and decisions follow the gate of every record (``core.permissions``); their related rows
follow their meeting or decision. This module is the one place pages, the API and the feeds ask."""

from capacityhub.core import permissions as gate


def can_view(user, record):
    return gate.can(user, gate.VIEW, record)


def can_change(user, record):
    """Add documents, files, recommendations and links to a meeting or decision one may edit."""
    return gate.can(user, gate.CHANGE, record)


def can_manage_liaison_group(user):
    return bool(user and user.is_authenticated and user.is_secretariat)


def visible(queryset, user):
    return gate.restrict(queryset, user, gate.VIEW)
