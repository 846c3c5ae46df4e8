"""API of online conferences.

- ``GET /api/conferences/`` and ``/api/conferences/<id>/``: conferences the user may see, with their
  objectives and topics (filters: ``q``, ``year``, ``organization``, ``phase``, ``language``).
- ``GET /api/conferences/<id>/posts/`` (``?topic=<number>``): the posts the user may read.
- ``POST /api/conferences/<id>/posts/`` ``{"topic", "body", "language", "subject"?, "parent"?, "quoted"?}``:
  post as an approved participant or a moderator, under the same rules as the pages (window, closed
  topics and threads, pre-moderation, rate limit); attachments are added on the pages.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework import permissions as drf_permissions
from rest_framework.decorators import action
from rest_framework.response import Response

from capacityhub.core.api.filters import RecordFilterBackend, RecordPagination
from capacityhub.core.api.views import LanguageMixin

from .. import permissions, services
from ..filtersets import ConferenceFilterSet
from ..models import Conference, Post, Topic
from . import serializers


class ReadOrSignedIn(drf_permissions.BasePermission):
    """Reads for everyone (querysets are restricted by the conference rules); writes need a signed-in user
    and are checked by the services."""

    def has_permission(self, request, view):
        return request.method in drf_permissions.SAFE_METHODS or bool(
            request.user and request.user.is_authenticated
        )


class ConferenceViewSet(
    LanguageMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Online conferences, with their objectives and topics; their posts under ``posts/``."""

    serializer_class = serializers.ConferenceSerializer
    permission_classes = [ReadOrSignedIn]
    pagination_class = RecordPagination
    filter_backends = [RecordFilterBackend]
    filterset_class = ConferenceFilterSet
    queryset = Conference.objects.all()
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Conference.objects.none()
        return (
            permissions.visible(Conference.objects.all(), self.request.user)
            .select_related("organizer", "feeds_meeting", "outcome")
            .prefetch_related("objectives")
            .order_by("-start_date", "-pk")
        )

    @extend_schema(responses=serializers.PostSerializer(many=True), request=serializers.PostCreateSerializer)
    @action(detail=True, methods=["get", "post"], serializer_class=serializers.PostSerializer)
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
        payload = serializers.PostCreateSerializer(data=request.data)
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
