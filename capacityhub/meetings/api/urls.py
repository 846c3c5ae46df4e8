"""``/api/meetings/`` and ``/api/decisions/`` are routed with every record type, from the registry
(``core.api.routers.register_record_types``): nothing more to route here. Kept so that an ``include`` of
this module stays valid."""

urlpatterns = []
