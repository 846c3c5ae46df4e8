"""Keeping the analysis up to date: when an initiative is saved (created, edited, moved through the
workflow, merged), its footprint, completeness and pairs are recomputed right after the transaction
commits (well under a second); needs and exchange rates only make cached figures stale.

Connected in ``CoordinationConfig.ready()`` to ``post_save`` of Initiative, Need and ExchangeRate, so no
other app has to call anything. ``initiative_changed(pk)`` is the same hook as a function, for code that
changes initiatives without ``save()`` (bulk imports): call it once per initiative, or run the full
analysis (``analysis.analyze_all`` / the ``analyze_coordination`` task) after a large import."""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def refresh_initiative(initiative_id):
    from .analysis import analyze_initiative
    from .coverage import bump_generation

    try:
        analyze_initiative(initiative_id)
    except Exception:  # the save has been committed: never let the analysis break it
        logger.exception("Coordination analysis of initiative %s failed", initiative_id)
    bump_generation()


def initiative_changed(initiative_id):
    """Recompute one initiative's derived data once the current transaction commits."""
    transaction.on_commit(lambda: refresh_initiative(initiative_id))


def figures_changed():
    from .coverage import bump_generation

    transaction.on_commit(bump_generation)


def on_initiative_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        initiative_changed(instance.pk)


def on_figures_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        figures_changed()


def connect():
    from django.db.models.signals import post_delete, post_save

    from capacityhub.registry.models import Initiative, Need

    from .models import ExchangeRate

    post_save.connect(on_initiative_saved, sender=Initiative, dispatch_uid="coordination_initiative_saved")
    post_delete.connect(
        on_initiative_saved, sender=Initiative, dispatch_uid="coordination_initiative_deleted"
    )
    for model in (Need, ExchangeRate):
        post_save.connect(
            on_figures_saved, sender=model, dispatch_uid="coordination_figures_" + model.__name__
        )
        post_delete.connect(
            on_figures_saved, sender=model, dispatch_uid="coordination_figures_del_" + model.__name__
        )
