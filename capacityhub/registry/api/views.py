"""API ViewSets of the shared records: each declares its record type and serializer; everything else is the
generic :class:`~capacityhub.core.api.views.RecordViewSet`."""

from capacityhub.core.api.views import RecordViewSet
from capacityhub.core.registry import registry

from . import serializers


class InitiativeViewSet(RecordViewSet):
    """Capacity-building initiatives (projects and programmes)."""

    record_type = registry["initiative"]
    serializer_class = serializers.InitiativeSerializer


class NeedViewSet(RecordViewSet):
    """Countries' capacity-building needs."""

    record_type = registry["need"]
    serializer_class = serializers.NeedSerializer


class OpportunityViewSet(RecordViewSet):
    """Training courses, workshops, fellowships and other capacity-building opportunities."""

    record_type = registry["opportunity"]
    serializer_class = serializers.OpportunitySerializer


class ResourceViewSet(RecordViewSet):
    """Biosafety information resources, with their files."""

    record_type = registry["resource"]
    serializer_class = serializers.ResourceSerializer


class ExpertViewSet(RecordViewSet):
    """The roster of experts. Lists show experts on the roster unless ``roster=expired`` or ``roster=all``."""

    record_type = registry["expert"]
    serializer_class = serializers.ExpertSerializer


class CountryProfileViewSet(RecordViewSet):
    """Countries' profiles of their biosafety capacity-building situation."""

    record_type = registry["countryprofile"]
    serializer_class = serializers.CountryProfileSerializer
