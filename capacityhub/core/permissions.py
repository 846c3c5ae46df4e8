"""The one permission gate. Pages, the API, search, facets, exports and feeds all ask it.

Two kinds of record (``Record.scope_kind``):

- national records (needs, expert nominations, country profiles) belong to a country: its focal points and
  authorized users draft and submit them; only its focal points publish, return or archive them;
- organization records (initiatives, opportunities, resources, organizations, contacts) belong to a
  publishing organization: its publishers publish them; any registered user may draft one and submit it
  for review by the Secretariat.

The Secretariat (administrators) may do everything. Drafts and submitted records are visible only to the
users of their scope, to their author and to the Secretariat. Nothing is ever deleted: records are archived.
"""

from django.db.models import Q

from capacityhub.accounts.choices import Role

from .choices import Scope, Status

VIEW, ADD, CHANGE, SUBMIT, PUBLISH, RETURN, ARCHIVE = (
    "view",
    "add",
    "change",
    "submit",
    "publish",
    "return",
    "archive",
)
ACTIONS = (VIEW, ADD, CHANGE, SUBMIT, PUBLISH, RETURN, ARCHIVE)
TRANSITIONS = {
    # action: (statuses it applies to, resulting status)
    SUBMIT: ({Status.DRAFT}, Status.SUBMITTED),
    PUBLISH: ({Status.DRAFT, Status.SUBMITTED}, Status.PUBLISHED),
    RETURN: ({Status.SUBMITTED}, Status.DRAFT),
    ARCHIVE: ({Status.PUBLISHED}, Status.ARCHIVED),
}


def _is_secretariat(user):
    return bool(user and user.is_authenticated and user.is_secretariat)


def _scope_lookup(model):
    field = model.scope_field
    return "pk" if field in ("id", "pk") else field


def member_scope_ids(user, model):
    """Scope ids (countries or organizations) where ``user`` may draft and submit records of ``model``."""
    if not user.is_authenticated:
        return set()
    if model.scope_kind == Scope.COUNTRY:
        return user.country_ids(Role.FOCAL_POINT, Role.AUTHORIZED_USER)
    return user.organization_ids()


def _co_member_ids(user, model):
    """``(field, ids)``: the second scope of ``model`` (``model.co_member_scope = (field, Scope)``) and
    the ids of it where ``user`` is a member; ``(None, set())`` when the model has none. Members of the
    second scope draft and submit the record as the first scope's members do, but never publish it (e.g.
    an organization's submission: every publisher of the organization may edit its draft)."""
    co_scope = getattr(model, "co_member_scope", None)
    if not co_scope or not user or not user.is_authenticated:
        return None, set()
    field, kind = co_scope
    if kind == Scope.COUNTRY:
        return field, user.country_ids(Role.FOCAL_POINT, Role.AUTHORIZED_USER)
    return field, user.organization_ids()


def co_member_q(user, model):
    """The records of ``model`` that ``user`` may draft through its second scope (see above)."""
    field, ids = _co_member_ids(user, model)
    return Q(**{f"{field}__in": ids}) if ids else Q(pk__in=[])


def _is_co_member(user, obj):
    field, ids = _co_member_ids(user, type(obj))
    return bool(ids) and getattr(obj, f"{field}_id") in ids


def publisher_scope_ids(user, model):
    """Scope ids where ``user`` may publish, return and archive records of ``model``."""
    if not user.is_authenticated:
        return set()
    if model.scope_kind == Scope.COUNTRY:
        return user.country_ids(Role.FOCAL_POINT)
    return user.organization_ids()


def scope_id(obj):
    field = type(obj).scope_field
    return obj.pk if field in ("id", "pk") else getattr(obj, f"{field}_id")


def restrict(queryset, user, action=VIEW):
    """Filter ``queryset`` to the records ``user`` may ``action``."""
    model = queryset.model
    if _is_secretariat(user):
        if action in TRANSITIONS:
            return queryset.filter(status__in=TRANSITIONS[action][0])
        if action == CHANGE:
            return queryset.exclude(status=Status.ARCHIVED)
        return queryset
    lookup = f"{_scope_lookup(model)}__in"
    published = Q(status=Status.PUBLISHED)
    if action == VIEW:
        if not user or not user.is_authenticated:
            return queryset.filter(published)
        return queryset.filter(
            published
            | Q(**{lookup: member_scope_ids(user, model)})
            | Q(created_by=user)
            | co_member_q(user, model)
        )
    if not user or not user.is_authenticated:
        return queryset.none()
    open_states = Q(status__in=[Status.DRAFT, Status.SUBMITTED])
    members = Q(**{lookup: member_scope_ids(user, model)}) | Q(created_by=user) | co_member_q(user, model)
    publishers = Q(**{lookup: publisher_scope_ids(user, model)})
    if action == CHANGE:
        return queryset.filter((open_states & members) | (published & publishers))
    if action == SUBMIT:
        return queryset.filter(Q(status=Status.DRAFT) & members)
    if action in (PUBLISH, RETURN, ARCHIVE):
        return queryset.filter(Q(status__in=TRANSITIONS[action][0]) & publishers)
    return queryset.none()


def can(user, action, obj=None, model=None):
    """May ``user`` do ``action`` on ``obj`` (or, for ``add``, on a new record of ``model``)?"""
    if action == ADD:
        model = model or type(obj)
        if not user or not user.is_authenticated:
            return False
        if _is_secretariat(user):
            return True
        if getattr(model, "add_role", None) and model.add_role not in user.roles:  # e.g. conferences
            return False
        if model.scope_kind == Scope.COUNTRY:
            return bool(member_scope_ids(user, model))
        return True
    if obj is None:
        return False
    if action in TRANSITIONS and obj.status not in TRANSITIONS[action][0]:
        return False
    if _is_secretariat(user):
        return action != CHANGE or obj.status != Status.ARCHIVED
    if action == VIEW and obj.status == Status.PUBLISHED:
        return True
    if not user or not user.is_authenticated:
        return False
    model = type(obj)
    sid = scope_id(obj)
    is_member = (
        sid in member_scope_ids(user, model) or obj.created_by_id == user.pk or _is_co_member(user, obj)
    )
    is_publisher = sid in publisher_scope_ids(user, model)
    if action == VIEW:
        return is_member or is_publisher
    if action == CHANGE:
        if obj.status in (Status.DRAFT, Status.SUBMITTED):
            return is_member or is_publisher
        return obj.status == Status.PUBLISHED and is_publisher
    if action == SUBMIT:
        return is_member or is_publisher
    if action in (PUBLISH, RETURN, ARCHIVE):
        return is_publisher
    return False


def allowed_actions(user, obj):
    """What ``user`` may do to ``obj`` besides viewing it (the actions a record page offers)."""
    return [action for action in ACTIONS if action not in (ADD, VIEW) and can(user, action, obj)]
