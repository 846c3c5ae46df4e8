"""API of meetings and decisions: the generic record ViewSet (gate, FilterSet, sorting, pagination, writes
through ``record_save``, workflow actions) over their descriptors."""

from capacityhub.core.api.views import RecordViewSet

from ..record_types import DECISION, MEETING
from . import serializers


class MeetingViewSet(RecordViewSet):
    """Coordination meetings, Liaison Group meetings, workshops and sessions of the governing body, with
    their agenda, documents (files per language) and recommendations (with their follow-up)."""

    record_type = MEETING
    serializer_class = serializers.MeetingSerializer


class DecisionViewSet(RecordViewSet):
    """Decisions of the governing body (COP-MOP), with their paragraphs and what they link."""

    record_type = DECISION
    serializer_class = serializers.DecisionSerializer
