"""Writes of the coordination app: reviewers' decisions on pairs, the merge of duplicate initiatives, the
exchange rates. Keyword-only, each in one transaction, each checking who may do it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from capacityhub.core import permissions, services
from capacityhub.core.choices import Status, VersionAction
from capacityhub.registry.models import Initiative, InitiativeCountry, InitiativeRegion, Participation

from .choices import Decision
from .coverage import bump_generation
from .models import ExchangeRate, InitiativeMerge, OverlapPair, PairReview

M2M_FIELDS = ("thematic_areas", "categories", "target_groups", "funding_source_types", "contacts")


def ordered(a, b):
    a_id, b_id = getattr(a, "pk", a), getattr(b, "pk", b)
    return (a_id, b_id) if a_id < b_id else (b_id, a_id)


def can_review(user, initiative_a, initiative_b):
    """The Secretariat, and the publishers of either initiative, if they may see both."""
    if not user or not user.is_authenticated:
        return False
    if not (
        permissions.can(user, permissions.VIEW, initiative_a)
        and permissions.can(user, permissions.VIEW, initiative_b)
    ):
        return False
    if user.is_secretariat:
        return True
    publishers = permissions.publisher_scope_ids(user, Initiative)
    return initiative_a.publisher_id in publishers or initiative_b.publisher_id in publishers


def can_merge(user, keep, duplicate):
    """Whoever may edit both records (the Secretariat, or the publisher of both)."""
    if not user or not user.is_authenticated:
        return False
    return permissions.can(user, permissions.CHANGE, keep) and permissions.can(
        user, permissions.CHANGE, duplicate
    )


@transaction.atomic
def pair_review(*, initiative_a, initiative_b, decision, comment="", actor):
    """Record (or change) the decision on a pair. It is kept whatever later analyses find."""
    if decision not in Decision.values:
        raise ValidationError({"decision": _("Choose a decision.")})
    if initiative_a.pk == initiative_b.pk:
        raise ValidationError(_("A pair needs two different initiatives."))
    if actor is not None and not can_review(actor, initiative_a, initiative_b):
        raise PermissionDenied(
            _("Only the Secretariat and the publishers of these initiatives review this pair.")
        )
    a_id, b_id = ordered(initiative_a, initiative_b)
    review, _created = PairReview.objects.update_or_create(
        initiative_a_id=a_id,
        initiative_b_id=b_id,
        defaults={"decision": decision, "comment": (comment or "").strip(), "reviewer": actor},
    )
    return review


@transaction.atomic
def pair_review_withdraw(*, initiative_a, initiative_b, actor):
    """Remove the decision on a pair: it is pending again."""
    if actor is not None and not can_review(actor, initiative_a, initiative_b):
        raise PermissionDenied(
            _("Only the Secretariat and the publishers of these initiatives review this pair.")
        )
    a_id, b_id = ordered(initiative_a, initiative_b)
    PairReview.objects.filter(initiative_a_id=a_id, initiative_b_id=b_id).delete()


def _other_references():
    """Relations from other models to Initiative not handled explicitly (plan links and whatever comes
    later): (model, field name, is many-to-many)."""
    handled = {
        (InitiativeCountry, "initiative"),
        (InitiativeRegion, "initiative"),
        (Participation, "initiative"),
        (Initiative, "part_of"),
        (InitiativeMerge, "duplicate"),
        (InitiativeMerge, "kept"),
    }
    found = []
    for relation in Initiative._meta.related_objects:
        model, name = relation.related_model, relation.field.name
        if (model, name) in handled or model.__module__.startswith("capacityhub.coordination"):
            continue
        found.append((model, name, relation.many_to_many))
    return found


@transaction.atomic
def initiative_merge(*, keep, duplicate, actor, comment=""):
    """Merge ``duplicate`` into ``keep``: every reference moves to ``keep`` (organizations and roles,
    recipient countries and regions, thematic areas and other terms, contacts, links, components, any other
    record pointing at it); the duplicate is archived, never deleted, with a pointer (``InitiativeMerge``)
    that also keeps its identifiers. The pair is recorded as a duplicate."""
    if keep.pk == duplicate.pk:
        raise ValidationError(_("An initiative cannot be merged into itself."))
    keep = Initiative.objects.select_for_update().get(pk=keep.pk)
    duplicate = Initiative.objects.select_for_update().get(pk=duplicate.pk)
    if actor is not None and not can_merge(actor, keep, duplicate):
        raise PermissionDenied(_("You may merge only initiatives you may edit, both of them."))
    if duplicate.status == Status.ARCHIVED or InitiativeMerge.objects.filter(duplicate=duplicate).exists():
        raise ValidationError(_("This initiative was merged or archived already."))
    if keep.status == Status.ARCHIVED:
        raise ValidationError(_("An initiative cannot be merged into an archived one."))
    moved = {}

    def save_related(record):
        kept_roles = set(record.participations.values_list("organization_id", "role_id"))
        rows = list(duplicate.participations.all())
        for row in rows:
            if (row.organization_id, row.role_id) not in kept_roles:
                Participation.objects.create(
                    initiative=record, organization_id=row.organization_id, role_id=row.role_id
                )
        moved["participations"] = len(rows)
        for model, field, key in (
            (InitiativeCountry, "country_shares", "country_id"),
            (InitiativeRegion, "region_shares", "region_id"),
        ):
            kept = set(getattr(record, field).values_list(key, flat=True))
            added = [row for row in getattr(duplicate, field).all() if getattr(row, key) not in kept]
            for row in added:
                # Its percentage belonged to the other record's split; the kept record's shares stand.
                model.objects.create(initiative=record, **{key: getattr(row, key)}, percentage=None)
            if added and getattr(record, field).filter(percentage__isnull=False).exists():
                getattr(record, field).update(percentage=None)
            moved[field] = len(added)
        for name in M2M_FIELDS:
            values = list(getattr(duplicate, name).values_list("pk", flat=True))
            getattr(record, name).add(*values)
            moved[name] = len(values)
        components = Initiative.objects.filter(part_of=duplicate).exclude(pk=record.pk)
        moved["components"] = components.update(part_of=record)
        for model, name, many in _other_references():
            if many:
                holders = model.objects.filter(**{name: duplicate})
                for holder in holders:
                    getattr(holder, name).add(record)
                    getattr(holder, name).remove(duplicate)
                moved[model._meta.label + "." + name] = len(holders)
            else:
                moved[model._meta.label + "." + name] = model.objects.filter(**{name: duplicate}).update(
                    **{name: record}
                )

    urls = {link.get("url") for link in keep.links}
    keep.links = keep.links + [link for link in duplicate.links if link.get("url") not in urls]
    for field in ("description", "objectives", "outcomes", "lessons_learned", "title"):
        value = dict(getattr(keep, field) or {})
        for language, text in (getattr(duplicate, field) or {}).items():
            if field != "title":
                value.setdefault(language, text)
        setattr(keep, field, value)
    if not keep.project_number and duplicate.project_number:
        keep.project_number = duplicate.project_number
    if not keep.iati_identifier and duplicate.iati_identifier:
        keep.iati_identifier = duplicate.iati_identifier
    if keep.part_of_id is None and duplicate.part_of_id and duplicate.part_of_id != keep.pk:
        keep.part_of_id = duplicate.part_of_id
    for field in ("budget", "co_financing", "planned_start", "planned_end", "actual_start", "actual_end"):
        if getattr(keep, field) is None and getattr(duplicate, field) is not None:
            setattr(keep, field, getattr(duplicate, field))
    keep = services.record_save(
        record=keep,
        actor=actor,
        save_related=save_related,
        action=VersionAction.MERGED,
        comment="Merged: {} (#{})".format(duplicate.display_title(), duplicate.pk),
    )
    identifiers = [v for v in (duplicate.project_number, duplicate.iati_identifier) if v]
    duplicate.status = Status.ARCHIVED
    duplicate.part_of = None if duplicate.part_of_id == keep.pk else duplicate.part_of
    services.record_save(
        record=duplicate,
        actor=actor,
        action=VersionAction.MERGED,
        comment="Merged into {} (#{})".format(keep.display_title(), keep.pk),
    )
    merge = InitiativeMerge.objects.create(
        duplicate=duplicate,
        kept=keep,
        identifiers=identifiers,
        moved=moved,
        comment=(comment or "").strip(),
        actor=actor,
    )
    a_id, b_id = ordered(keep, duplicate)
    PairReview.objects.update_or_create(
        initiative_a_id=a_id,
        initiative_b_id=b_id,
        defaults={"decision": Decision.DUPLICATE, "comment": (comment or "").strip(), "reviewer": actor},
    )
    OverlapPair.objects.involving(duplicate.pk).delete()
    return merge


@transaction.atomic
def exchange_rate_set(*, currency, usd_per_unit, note="", actor):
    """Create or change the rate of a currency (the Secretariat)."""
    if actor is not None and not actor.is_secretariat:
        raise PermissionDenied(_("Only the Secretariat edits exchange rates."))
    rate, _created = ExchangeRate.objects.update_or_create(
        currency=(currency or "").upper(), defaults={"usd_per_unit": usd_per_unit, "note": note}
    )
    rate.full_clean()
    bump_generation()
    return rate
