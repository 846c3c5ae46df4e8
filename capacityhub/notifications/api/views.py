"""``/api/subscriptions/``: the signed-in user's own saved searches and follows — list, create, change how
often they are e-mailed, delete. Nobody sees or changes another user's subscriptions (404). Writes go
through :mod:`capacityhub.notifications.services`, as on the subscriptions page.

- ``GET /api/subscriptions/``: both lists at once.
- ``GET|POST /api/subscriptions/saved-searches/``; ``GET|PATCH|DELETE`` on ``…/saved-searches/<id>/``
- ``GET|POST /api/subscriptions/follows/``; ``GET|PATCH|DELETE`` on ``…/follows/<id>/``
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, mixins, permissions, status, viewsets
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from capacityhub.core.api.views import AUTHENTICATION

from .. import services
from ..models import Follow, SavedSearch
from ..views import target_of
from . import serializers

CANNOT_FOLLOW = _("This cannot be followed: give `<app label>.<model>:<id>` of something you may see.")


def _errors(error):
    if hasattr(error, "message_dict"):
        return {key: [str(m) for m in messages] for key, messages in error.message_dict.items()}
    return {"non_field_errors": [str(m) for m in error.messages]}


class OwnSubscriptionsMixin(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    authentication_classes = AUTHENTICATION
    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [JSONParser]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    lookup_value_regex = r"[0-9]+"
    model = None
    update_serializer_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        return self.model.objects.filter(user=self.request.user).order_by("-created_at", "-pk")

    def get_serializer_class(self):
        if self.action == "partial_update":
            return self.update_serializer_class
        return self.serializer_class

    def perform_update(self, serializer):
        values = serializer.validated_data
        try:
            services.subscription_update(
                subscription=serializer.instance,
                actor=self.request.user,
                frequency=values.get("frequency", serializer.instance.frequency),
                name=values.get("name"),
            )
        except DjangoValidationError as error:
            raise exceptions.ValidationError(_errors(error)) from error


class SavedSearchViewSet(OwnSubscriptionsMixin):
    """The user's saved searches: new published records matching a list's search and filters are e-mailed
    (immediately, in a daily digest, or not at all)."""

    model = SavedSearch
    queryset = SavedSearch.objects.none()
    serializer_class = serializers.SavedSearchSerializer
    update_serializer_class = serializers.SavedSearchUpdateSerializer

    def perform_create(self, serializer):
        values = serializer.validated_data
        try:
            serializer.instance = services.saved_search_create(
                actor=self.request.user,
                record_type=values["record_type"],
                query=values.get("query", "").lstrip("?"),
                name=(values.get("name") or values["record_type"]).strip()[:200],
                frequency=values["frequency"],
            )
        except DjangoValidationError as error:
            raise exceptions.ValidationError(_errors(error)) from error

    def perform_destroy(self, instance):
        services.saved_search_delete(search=instance, actor=self.request.user)


class FollowViewSet(OwnSubscriptionsMixin):
    """What the user follows: records (their new versions), countries and areas (new records about them),
    conferences and topics (new posts)."""

    model = Follow
    queryset = Follow.objects.none()
    serializer_class = serializers.FollowSerializer
    update_serializer_class = serializers.FollowUpdateSerializer

    def get_queryset(self):
        return super().get_queryset().select_related("content_type")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data
        try:
            target = target_of(values["target"])
            follow = services.follow_create(target=target, actor=request.user, frequency=values["frequency"])
        except (Http404, DjangoPermissionDenied, DjangoValidationError) as error:
            raise exceptions.ValidationError({"target": [str(CANNOT_FOLLOW)]}) from error
        if follow.frequency != values["frequency"]:  # followed already: the new frequency holds
            follow = services.subscription_update(
                subscription=follow, actor=request.user, frequency=values["frequency"]
            )
        data = self.get_serializer(follow).data
        return Response(data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        services.follow_delete(follow=instance, actor=self.request.user)


class SubscriptionsView(APIView):
    """Both lists of the signed-in user: saved searches and follows."""

    authentication_classes = AUTHENTICATION
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        responses=inline_serializer(
            "Subscriptions",
            {
                "saved_searches": serializers.SavedSearchSerializer(many=True),
                "follows": serializers.FollowSerializer(many=True),
            },
        )
    )
    def get(self, request):
        context = {"request": request}
        searches = SavedSearch.objects.filter(user=request.user).order_by("-created_at", "-pk")
        follows = (
            Follow.objects.filter(user=request.user)
            .select_related("content_type")
            .order_by("-created_at", "-pk")
        )
        return Response(
            {
                "saved_searches": serializers.SavedSearchSerializer(
                    searches, many=True, context=context
                ).data,
                "follows": serializers.FollowSerializer(follows, many=True, context=context).data,
            }
        )
