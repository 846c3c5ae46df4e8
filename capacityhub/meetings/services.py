"""Writes to meetings' related rows (documents and their files, recommendations), decisions' links and the
Liaison Group. Meetings and decisions themselves are written by ``core.services.record_save``; a change to
a related row also records a version of its meeting or decision (who, when, what), so the record's history
shows it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _

from capacityhub.core.choices import VersionAction
from capacityhub.core.services import write_version

from . import permissions
from .models import DocumentFile, LiaisonGroupMember, Link, MeetingDocument, Recommendation

NOT_ALLOWED = _("You may not change this meeting.")


def record_touch(*, record, actor, comment):
    """A new revision and version of ``record`` after a change to its related rows."""
    type(record)._base_manager.select_for_update().filter(pk=record.pk).values_list("pk").get()
    record.refresh_from_db(fields=["revision"])
    record.revision += 1
    record.updated_by = actor if actor and actor.is_authenticated else None
    record.save(update_fields=["revision", "updated_by", "updated_at"])
    write_version(record, actor=actor, action=VersionAction.EDITED, comment=comment)


def _owner(source):
    """The record whose editors manage ``source``'s links: a recommendation's meeting, else itself."""
    return source.meeting if isinstance(source, Recommendation) else source


def _check(actor, record):
    if actor is not None and not permissions.can_change(actor, record):
        raise PermissionDenied(NOT_ALLOWED)


@transaction.atomic
def document_save(*, document, actor, upload=None, language="", checked=None):
    """Create or edit a meeting document; ``upload`` (already checked by ``validate_upload``: ``checked``
    holds its kind, type, size and digest) becomes its file in ``language``."""
    _check(actor, document.meeting)
    adding = document._state.adding
    document.full_clean()
    document.save()
    if upload is not None:
        if not language:
            raise ValidationError({"language": _("Say which language the file is in.")})
        document_file_add(document=document, language=language, upload=upload, checked=checked, actor=actor)
    record_touch(
        record=document.meeting,
        actor=actor,
        comment=str((_("Document added: {}") if adding else _("Document edited: {}")).format(document)),
    )
    return document


@transaction.atomic
def document_file_add(*, document, language, upload, actor, checked=None, content_type=None):
    """Add (or replace) the file of ``document`` in ``language`` and this format."""
    _check(actor, document.meeting)
    if checked is not None:
        _kind, content_type, size, digest = checked
    else:
        import hashlib

        upload.seek(0)
        data = upload.read()
        upload.seek(0)
        size, digest = len(data), hashlib.sha256(data).hexdigest()
    document.files.filter(language=language, content_type=content_type).delete()
    item = DocumentFile(
        document=document, language=language, content_type=content_type, size=size, sha256=digest
    )
    item.file.save(upload.name, upload, save=False)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def document_generate(*, meeting, symbol, title, kind, files, actor, document=None):
    """Attach a generated document (a compiled background paper) to ``meeting``: ``files`` are
    ``(language, filename, bytes, content type)``. The caller checked that ``actor`` may do it (a conference
    moderator feeds the meeting without being its editor); the meeting's history records it."""
    if document is None:
        document = MeetingDocument(meeting=meeting, symbol=symbol, title=title, kind=kind)
    else:
        document.title, document.kind = title, kind
    document.full_clean()
    document.save()
    import hashlib

    for language, filename, data, content_type in files:
        document.files.filter(language=language, content_type=content_type).delete()
        item = DocumentFile(
            document=document,
            language=language,
            content_type=content_type,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
        )
        item.file.save(filename, ContentFile(data), save=False)
        item.save()
    record_touch(record=meeting, actor=actor, comment=str(_("Document compiled: {}").format(document)))
    return document


DOCUMENT_CONSIDERED = _(
    "Decisions consider this document ({decisions}): it cannot be removed while they link it."
)


@transaction.atomic
def document_remove(*, document, actor):
    """Remove a meeting document and its files (those who may edit the meeting). Refused while decisions
    consider it. The meeting's next version records the removal; its earlier versions keep the document."""
    meeting = document.meeting
    _check(actor, meeting)
    symbols = list(document.decisions.values_list("symbol", flat=True))
    if symbols:
        raise ValidationError(DOCUMENT_CONSIDERED.format(decisions=", ".join(symbols)), code="considered")
    label = str(document)
    files = [(f.file.storage, f.file.name) for f in document.files.all() if f.file]
    document.delete()
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])
    record_touch(record=meeting, actor=actor, comment=str(_("Document removed: {}")).format(label))


@transaction.atomic
def agenda_item_remove(*, item, actor):
    """Remove an agenda item (its documents stay, no longer tied to an item); recorded in the meeting's
    history like any change of its agenda."""
    meeting = item.meeting
    _check(actor, meeting)
    label = str(item)
    item.delete()
    record_touch(record=meeting, actor=actor, comment=str(_("Agenda item removed: {}")).format(label))


@transaction.atomic
def recommendation_save(*, recommendation, actor):
    _check(actor, recommendation.meeting)
    adding = recommendation._state.adding
    recommendation.full_clean()
    recommendation.save()
    message = _("Recommendation {} added.") if adding else _("Recommendation {} edited.")
    record_touch(
        record=recommendation.meeting, actor=actor, comment=str(message.format(recommendation.number))
    )
    return recommendation


def resolve_address(address):
    """The record a page address of this site points to, or ``None`` for an outside web page.

    ``/en/meetings/12/`` → the meeting 12: any page served by a generic record view (or a view that
    declares ``record_type``) with a ``pk``."""
    from urllib.parse import urlparse

    parsed = urlparse(address.strip())
    if parsed.scheme and parsed.scheme not in ("http", "https"):
        raise ValidationError({"address": _("Give a web address (http or https) or a page of this site.")})
    try:
        match = resolve(parsed.path or "/")
    except Resolver404:
        match = None
    if match is not None:
        view_class = getattr(match.func, "view_class", None)
        record_type = getattr(match.func, "view_initkwargs", {}).get("record_type") or getattr(
            view_class, "record_type", None
        )
        pk = match.kwargs.get("pk")
        if record_type is not None and pk is not None:
            record = record_type.model._base_manager.filter(pk=pk).first()
            if record is not None:
                return record
    if not parsed.scheme:
        raise ValidationError({"address": _("No record of this site has this address.")})
    return None


@transaction.atomic
def link_add(*, source, relation, actor, target=None, address="", label="", note=""):
    """Link ``source`` (a decision or a meeting's recommendation) to a record or a web page."""
    owner = _owner(source)
    _check(actor, owner)
    from django.contrib.contenttypes.models import ContentType

    if target is None and address:
        target = resolve_address(address)
    link = Link(
        source_type=ContentType.objects.get_for_model(source),
        source_id=source.pk,
        relation=relation,
        label=label,
        note=note,
        created_by=actor if actor and actor.is_authenticated else None,
    )
    if target is not None:
        link.target_type = ContentType.objects.get_for_model(target)
        link.target_id = target.pk
    else:
        link.url = address.strip()
    link.full_clean()
    link.save()
    record_touch(record=owner, actor=actor, comment=str(_("Link added: {}").format(link)))
    return link


@transaction.atomic
def link_remove(*, link, actor):
    owner = _owner(link.source)
    _check(actor, owner)
    description = str(link)
    link.delete()
    record_touch(record=owner, actor=actor, comment=str(_("Link removed: {}").format(description)))


@transaction.atomic
def liaison_member_save(*, member: LiaisonGroupMember, actor):
    if actor is not None and not permissions.can_manage_liaison_group(actor):
        raise PermissionDenied(_("Only the Secretariat manages the Liaison Group."))
    member.full_clean()
    member.save()
    return member
