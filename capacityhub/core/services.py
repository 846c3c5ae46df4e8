"""Writes to records. Every write goes through here: it checks the permission gate, guards against lost
updates (optimistic locking on ``revision``), records a version (who, when, what changed) and keeps the
search index in step, all in one transaction."""

import json

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import permissions
from .choices import Scope, Status, VersionAction
from .models import Version
from .search import index_record

SNAPSHOT_EXCLUDE = {"id", "revision", "created_at", "updated_at", "sort_title", "updated_by", "created_by"}
TRANSITION_ACTIONS = {
    permissions.SUBMIT: VersionAction.SUBMITTED,
    permissions.PUBLISH: VersionAction.PUBLISHED,
    permissions.RETURN: VersionAction.RETURNED,
    permissions.ARCHIVE: VersionAction.ARCHIVED,
}


class EditConflict(Exception):
    """Somebody saved the record after the editor opened it."""

    def __init__(self, record, base_revision, current_revision):
        super().__init__(f"revision {base_revision} is not the current {current_revision}")
        self.record = record
        self.base_revision = base_revision
        self.current_revision = current_revision


def snapshot(record):
    """A JSON-ready dict of the record's fields, many-to-many ids and related rows."""
    data = {}
    for field in record._meta.concrete_fields:
        if field.name in SNAPSHOT_EXCLUDE:
            continue
        value = field.value_from_object(record)
        if isinstance(field, models.FileField):
            value = value.name or ""
        data[field.name] = value
    for field in record._meta.many_to_many:
        data[field.name] = sorted(obj.pk for obj in field.value_from_object(record))
    extra = getattr(record, "snapshot_related", None)
    if extra:
        data.update(extra())
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def changed_fields(before, after):
    keys = sorted(set(before) | set(after))
    return [key for key in keys if before.get(key) != after.get(key)]


def write_version(record, *, actor, action, comment=""):
    content_type = ContentType.objects.get_for_model(record)
    data = snapshot(record)
    previous = (
        Version.objects.filter(content_type=content_type, object_id=record.pk).order_by("-number").first()
    )
    changes = changed_fields(previous.data if previous else {}, data)
    return Version.objects.create(
        content_type=content_type,
        object_id=record.pk,
        number=record.revision,
        action=action,
        status=record.status,
        actor=actor if actor and actor.is_authenticated else None,
        data=data,
        changes=changes,
        comment=comment,
    )


def _check_scope_on_add(record, actor):
    model = type(record)
    if actor is None or actor.is_secretariat or model.scope_kind != Scope.COUNTRY:
        return
    if permissions.scope_id(record) not in permissions.member_scope_ids(actor, model):
        raise PermissionDenied(_("You can only create national records for your own country."))


@transaction.atomic
def record_save(*, record, actor, base_revision=None, save_related=None, comment="", action=None):
    """Create or update ``record`` (already holding the new field values) as ``actor``.

    ``save_related(record)`` saves many-to-many fields and related rows inside the same transaction.
    ``base_revision`` is the revision the editor started from; if another save came in between,
    :class:`EditConflict` is raised and nothing is written. ``actor=None`` is the system (loaders).
    """
    adding = record._state.adding
    if adding:
        if actor is not None and not permissions.can(actor, permissions.ADD, model=type(record)):
            raise PermissionDenied(_("You may not create this kind of record."))
        _check_scope_on_add(record, actor)
        record.revision = 1
        record.created_by = actor
    else:
        current = (
            type(record)._base_manager.select_for_update().values_list("revision", "status").get(pk=record.pk)
        )
        if actor is not None:
            stored = type(record)._base_manager.get(pk=record.pk)
            if not permissions.can(actor, permissions.CHANGE, stored):
                raise PermissionDenied(_("You may not edit this record."))
            if permissions.scope_id(stored) != permissions.scope_id(record):
                _check_scope_on_add(record, actor)
        if base_revision is not None and int(base_revision) != current[0]:
            raise EditConflict(record, int(base_revision), current[0])
        record.revision = current[0] + 1
    record.updated_by = actor
    if record.status == Status.PUBLISHED and not record.published_at:
        record.published_at = timezone.now()
    record.full_clean(exclude=_unvalidated(record))
    record.save()
    if save_related:
        save_related(record)
    write_version(
        record,
        actor=actor,
        action=action or (VersionAction.CREATED if adding else VersionAction.EDITED),
        comment=comment,
    )
    index_record(record)
    return record


def _unvalidated(record):
    # Many-to-many and reverse relations are validated by their forms; uniqueness by the database.
    return [f.name for f in record._meta.many_to_many]


@transaction.atomic
def record_transition(*, record, action, actor, comment=""):
    """Move ``record`` through the workflow: submit, publish, return (with a comment) or archive."""
    if action not in permissions.TRANSITIONS:
        raise ValidationError(_("Unknown action."))
    record = type(record)._base_manager.select_for_update().get(pk=record.pk)
    if actor is not None and not permissions.can(actor, action, record):
        raise PermissionDenied(_("You may not do this to this record."))
    allowed_from, target = permissions.TRANSITIONS[action]
    if record.status not in allowed_from:
        raise ValidationError(_("This record cannot be moved to that state from its current state."))
    if action == permissions.RETURN and not comment.strip():
        raise ValidationError({"comment": _("Say why the record is returned, so its authors can mend it.")})
    record.status = target
    record.revision += 1
    record.review_comment = comment.strip()
    record.updated_by = actor
    if target == Status.PUBLISHED:
        record.published_at = timezone.now()
    hook = getattr(record, "on_transition", None)
    if hook:
        hook(action)
    record.save()
    write_version(record, actor=actor, action=TRANSITION_ACTIONS[action], comment=comment.strip())
    return record
