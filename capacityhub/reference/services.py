"""Writes to reference records: merging duplicate organizations."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from capacityhub.core import services
from capacityhub.core.choices import Status, VersionAction
from capacityhub.core.multilingual import resolve

from .models import Organization


def _references(organization):
    """Every relation that points at an organization: (queryset of rows, field name)."""
    from capacityhub.accounts.models import RoleAssignment
    from capacityhub.registry.models import Expert, Initiative, Opportunity, Participation, Resource

    from .models import Contact

    return [
        (Participation.objects.filter(organization=organization), "organization"),
        (Initiative.objects.filter(publisher=organization), "publisher"),
        (Opportunity.objects.filter(publisher=organization), "publisher"),
        (Resource.objects.filter(publisher=organization), "publisher"),
        (Expert.objects.filter(organization=organization), "organization"),
        (Contact.objects.filter(organization=organization), "organization"),
        (RoleAssignment.objects.filter(organization=organization), "organization"),
    ]


@transaction.atomic
def organization_merge(*, keep, duplicate, actor):
    """Merge ``duplicate`` into ``keep``: every reference moves to ``keep``, the duplicate's names become
    aliases of ``keep``, and the duplicate is archived with a pointer to ``keep`` (nothing is deleted)."""
    if actor is not None and not actor.is_secretariat:
        raise PermissionDenied(_("Only the Secretariat merges organizations."))
    if keep.pk == duplicate.pk:
        raise ValidationError(_("An organization cannot be merged into itself."))
    if duplicate.merged_into_id:
        raise ValidationError(_("This organization was merged already."))
    keep = Organization.objects.select_for_update().get(pk=keep.pk)
    duplicate = Organization.objects.select_for_update().get(pk=duplicate.pk)
    from capacityhub.registry.models import Opportunity, Participation

    # Rows that would become duplicates of an existing row of ``keep`` are dropped first.
    kept_roles = set(Participation.objects.filter(organization=keep).values_list("initiative_id", "role_id"))
    for row in Participation.objects.filter(organization=duplicate):
        if (row.initiative_id, row.role_id) in kept_roles:
            row.delete()
    for queryset, field in _references(duplicate):
        if field == "organization" and queryset.model.__name__ == "RoleAssignment":
            for assignment in queryset:
                if queryset.model.objects.filter(
                    user=assignment.user, role=assignment.role, organization=keep
                ).exists():
                    assignment.delete()
        queryset.update(**{field: keep})
    for opportunity in Opportunity.objects.filter(providers=duplicate):
        opportunity.providers.remove(duplicate)
        opportunity.providers.add(keep)
    names = [text for text in duplicate.name.values() if text] + (
        [duplicate.acronym] if duplicate.acronym else []
    )
    keep.aliases = sorted(
        set(keep.aliases) | {n for n in names if n != resolve(keep.name)[0]} | set(duplicate.aliases)
    )
    if not keep.iati_identifier and duplicate.iati_identifier:
        identifier, duplicate.iati_identifier = duplicate.iati_identifier, ""
        duplicate.save(update_fields=["iati_identifier"])
        keep.iati_identifier = identifier
    services.record_save(
        record=keep,
        actor=actor,
        action=VersionAction.MERGED,
        comment=f"Merged: {duplicate.display_title()} (#{duplicate.pk})",
    )
    duplicate.merged_into = keep
    duplicate.status = Status.ARCHIVED
    services.record_save(
        record=duplicate,
        actor=actor,
        action=VersionAction.MERGED,
        comment=f"Merged into {keep.display_title()} (#{keep.pk})",
    )
    return keep
