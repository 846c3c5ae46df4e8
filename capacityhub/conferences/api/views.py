"""API of online conferences.

- ``GET /api/conferences/`` and ``/api/conferences/<id>/``: conferences the user may see, with their
  objectives and topics (filters: ``q``, ``year``, ``organization``, ``phase``, ``language``).
- ``GET /api/conferences/<id>/posts/`` (``?topic=<number>``): the posts the user may read.
- ``POST /api/conferences/<id>/posts/`` ``{"topic", "body", "language", "subject"?, "parent"?, "quoted"?}``:
  post as an approved participant or a moderator, under the same rules as the pages (window, closed
  topics and threads, pre-moderation, rate limit). Sent as ``multipart/form-data``, a post may carry up to
  three ``attachments``, checked by their content as on the pages (``core.uploads``).
- ``POST /api/conferences/``, ``PUT``/``PATCH /api/conferences/<id>/`` and the workflow actions
  (``submit``, ``publish``, ``return``, ``archive``), as for every record: creating is for the Secretariat
  and conference moderators; publishing for the conference's moderators and its organizer's publishers.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework import permissions as drf_permissions
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from capacityhub.core import permissions as gate
from capacityhub.core.api.views import RecordViewSet

from .. import permissions, services
from ..models import Conference, Post, Topic
from ..record_types import CONFERENCE
from . import serializers


class ReadOrSignedIn(drf_permissions.BasePermission):
    """Reads for everyone (querysets are restricted by the conference rules); writes need a signed-in user
    and are checked by the services."""

    def has_permission(self, request, view):
        return request.method in drf_permissions.SAFE_METHODS or bool(
            request.user and request.user.is_authenticated
        )


class ConferenceViewSet(RecordViewSet):
    """Online conferences, with their objectives and topics; their posts under ``posts/``."""

    record_type = CONFERENCE
    serializer_class = serializers.ConferenceSerializer
    permission_classes = [ReadOrSignedIn]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Conference.objects.none()
        queryset = permissions.visible(Conference.objects.all(), self.request.user)
        if self.brief:
            return queryset.select_related(*CONFERENCE.list_select_related)
        full = serializers.ConferenceSerializer
        return queryset.select_related(*full.select_related).prefetch_related(*full.prefetch_related)

    def transition(self, request, action_name):
        """Publishing goes through ``conference_publish`` (moderators may publish too); the rest as for
        every record."""
        if action_name != gate.PUBLISH:
            return super().transition(request, action_name)
        conference = self.get_object(check_permissions=False)
        if conference.status not in gate.TRANSITIONS[gate.PUBLISH][0]:
            return super().transition(request, action_name)  # the generic 409 answer
        try:
            conference = services.conference_publish(conference=conference, actor=request.user)
        except DjangoPermissionDenied as error:
            raise exceptions.PermissionDenied(str(error) or None) from error
        return self.record_response(conference)

    @extend_schema(
        responses=serializers.PostSerializer(many=True),
        request={
            "application/json": serializers.PostCreateSerializer,
            "multipart/form-data": serializers.PostCreateSerializer,
        },
        parameters=[
            OpenApiParameter("topic", OpenApiTypes.INT, description="Only the posts of this topic (number).")
        ],
    )
    @action(
        detail=True,
        methods=["get", "post"],
        serializer_class=serializers.PostSerializer,
        parser_classes=[JSONParser, MultiPartParser],
        filter_backends=[],
    )
    def posts(self, request, pk=None):
        conference = self.get_object()
        user = request.user
        if request.method == "POST":
            return self.create_post(request, conference)
        if not permissions.can_read_posts(user, conference):
            raise exceptions.PermissionDenied()
        posts = (
            Post.objects.filter(topic__conference=conference)
            .filter(permissions.posts_filter(user, conference))
            .select_related("topic__conference", "author", "participant__country")
            .order_by("topic__number", "created_at", "pk")
        )
        topic = request.query_params.get("topic")
        if topic and topic.isdigit():
            posts = posts.filter(topic__number=int(topic))
        page = self.paginate_queryset(posts)
        data = serializers.PostSerializer(page, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)

    def create_post(self, request, conference):
        data = request.data
        if hasattr(data, "getlist"):  # multipart: one part per file
            data = {**data.dict(), "attachments": data.getlist("attachments")}
        payload = serializers.PostCreateSerializer(data=data)
        payload.is_valid(raise_exception=True)
        values = payload.validated_data
        topic = get_object_or_404(Topic, conference=conference, number=values["topic"])
        topic.conference = conference
        scope = {"topic__conference": conference}
        parent = Post.objects.filter(pk=values["parent"], topic=topic).first() if values["parent"] else None
        quoted = Post.objects.filter(pk=values["quoted"], **scope).first() if values["quoted"] else None
        try:
            post = services.post_create(
                topic=topic,
                actor=request.user,
                body=values["body"],
                language=values["language"],
                subject=values["subject"],
                parent=parent,
                quoted=quoted,
                files=getattr(payload, "checked_files", ()),
            )
        except DjangoValidationError as error:
            code = getattr(error, "code", None)
            if code == "rate_limited":
                raise exceptions.Throttled(detail=error.messages[0]) from error
            if code == "refused":
                raise exceptions.PermissionDenied(error.messages[0]) from error
            raise exceptions.ValidationError(error.messages) from error
        data = serializers.PostSerializer(post, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)
