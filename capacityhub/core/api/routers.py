"""The API router: one ViewSet per record type of the registry, at ``/api/<record type path>/``.

Apps declare their ViewSets in ``<app>/api/views.py`` (subclasses of ``RecordViewSet`` with a
``record_type``); a record type without one gets a generic ViewSet whose serializer lists its form's fields.
"""

from django.db import models
from django.utils.module_loading import autodiscover_modules
from rest_framework.routers import DefaultRouter

from capacityhub.core.registry import registry

from .serializers import RECORD_FIELDS, RecordSerializer
from .views import VIEWSETS, RecordViewSet


class APIRouter(DefaultRouter):
    """The API root at ``/api/`` lists every endpoint; no ``.json`` suffix routes."""

    include_format_suffixes = False


def generic_serializer(record_type):
    """A serializer of the record type's form fields (file uploads left out)."""
    model = record_type.model
    names = [
        name
        for name in record_type.form._meta.fields or []
        if not isinstance(model._meta.get_field(name), models.FileField)
    ]
    meta = type("Meta", (), {"model": model, "fields": [*RECORD_FIELDS, *names]})
    return type("{}Serializer".format(model.__name__), (RecordSerializer,), {"Meta": meta})


def viewset_for(record_type):
    """The ViewSet declared for ``record_type``, or a generic one."""
    autodiscover_modules("api.views")
    if record_type.key not in VIEWSETS:
        type(
            "{}ViewSet".format(record_type.model.__name__),
            (RecordViewSet,),
            {"record_type": record_type, "serializer_class": generic_serializer(record_type)},
        )
    return VIEWSETS[record_type.key]


def register_record_types(router):
    """Register one ViewSet per record type, at its path (``initiatives``, ``country-profiles``…), with its
    key as base name (URL names ``initiative-list``, ``initiative-detail``, ``initiative-publish``…)."""
    for record_type in registry:
        router.register(record_type.path, viewset_for(record_type), basename=record_type.key)
    return router
