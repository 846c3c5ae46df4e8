"""The generic API ViewSet of a record type. A record type's ViewSet only declares its ``record_type`` and
``serializer_class``; queryset, permission gate, FilterSet, sorting, pagination, brief form, languages,
writes and workflow come from here.

- ``GET /api/<type>/``: the records the user may see, filtered by the list page's FilterSet (``q`` and every
  filter behave as on the page), sorted by ``?sort=`` (the page's sort keys), paginated (``page``,
  ``page_size`` ≤ 200) with a ``count``.
- ``GET /api/<type>/<id>/``: one record; ``ETag: "<revision>"``.
- ``POST /api/<type>/``: a new draft. ``PUT``/``PATCH /api/<type>/<id>/``: an edit; with ``revision`` in the
  body or ``If-Match: "<revision>"``, a 409 when somebody else saved the record in between.
- ``POST /api/<type>/<id>/submit/``, ``publish/``, ``return/`` (with a ``comment``), ``archive/``.
- Nothing is deleted: ``DELETE`` answers 405.
- ``?lang=es`` adds the resolved text of every multilingual field and answers in that language (as does an
  ``Accept-Language`` header); ``?brief=1`` answers the brief form.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from capacityhub.core import permissions, selectors, services

from .filters import RecordFilterBackend, RecordPagination
from .schema import RecordAutoSchema
from .serializers import EditConflictError, RecordBriefSerializer, RecordSerializer, TransitionSerializer

#: ViewSets declared for record types, by record type key (filled by ``RecordViewSet.__init_subclass__``).
VIEWSETS = {}
TRUE_VALUES = {"1", "true", "yes", "on"}
INVALID_STATE = _("This record cannot be moved to that state from its current state ({status}).")
#: Token first: a request without valid credentials is answered 401 with ``WWW-Authenticate: Token``.
AUTHENTICATION = [TokenAuthentication, SessionAuthentication]
UNKNOWN_LANGUAGE = _("Unknown language code: {code}. Use one of: {codes}.")


def content_language_codes():
    return [code for code, _name in settings.CONTENT_LANGUAGES]


class LanguageMixin:
    """``?lang=<code>``: resolved texts in that language, and messages in it when it is an interface
    language. Without it, messages follow ``Accept-Language`` (Django's locale middleware)."""

    lang = None

    def initial(self, request, *args, **kwargs):
        self.lang = None
        code = request.query_params.get("lang")
        if code:
            code = code.strip().lower()
            if code not in content_language_codes():
                raise exceptions.ValidationError(
                    {"lang": [UNKNOWN_LANGUAGE.format(code=code, codes=", ".join(content_language_codes()))]}
                )
            self.lang = code
            if code in dict(settings.LANGUAGES):
                request.LANGUAGE_CODE = code
        super().initial(request, *args, **kwargs)

    def dispatch(self, request, *args, **kwargs):
        # The language of ?lang holds for this request only (rendering included), never for the next.
        code = (request.GET.get("lang") or "").strip().lower()
        if code not in dict(settings.LANGUAGES):
            return super().dispatch(request, *args, **kwargs)
        with translation.override(code):
            response = super().dispatch(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
            return response

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["lang"] = self.lang
        return context


class RecordViewSet(
    LanguageMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    record_type = None  # the registry descriptor
    authentication_classes = AUTHENTICATION
    serializer_class = RecordSerializer
    brief_serializer_class = RecordBriefSerializer
    pagination_class = RecordPagination
    filter_backends = [RecordFilterBackend]
    schema = RecordAutoSchema()
    parser_classes = [JSONParser]
    lookup_value_regex = r"[0-9]+"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        record_type = cls.__dict__.get("record_type")
        if record_type is not None:
            cls.queryset = record_type.model.objects.all()
            if "filterset_class" not in cls.__dict__:
                cls.filterset_class = record_type.filterset
            VIEWSETS.setdefault(record_type.key, cls)

    # -- reading ---------------------------------------------------------------------------------------
    @property
    def brief(self):
        request = getattr(self, "request", None)
        return bool(
            request is not None
            and request.method == "GET"
            and request.query_params.get("brief", "").strip().lower() in TRUE_VALUES
        )

    def get_serializer_class(self):
        if self.brief and self.action in ("list", "retrieve"):
            return self.brief_serializer_class
        return self.serializer_class

    def get_queryset(self):
        rt = self.record_type
        if getattr(self, "swagger_fake_view", False):
            return rt.model.objects.none()
        queryset = permissions.restrict(rt.model.objects.all(), self.request.user, permissions.VIEW)
        if self.brief:
            return queryset.select_related(*rt.list_select_related)
        serializer_class = self.serializer_class
        select = serializer_class.select_related
        prefetch = serializer_class.prefetch_related
        return queryset.select_related(
            *(rt.detail_select_related if select is None else select)
        ).prefetch_related(*(rt.detail_prefetch_related if prefetch is None else prefetch))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        ordered, _sort = selectors.apply_sort(
            self.record_type, queryset, self.request.query_params.get("sort")
        )
        return ordered

    def get_object(self, check_permissions=True):
        """The record, among those the user may see (the list's filters do not apply to a detail)."""
        record = get_object_or_404(
            self.get_queryset(), pk=self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        )
        if check_permissions:
            self.check_object_permissions(self.request, record)
        return record

    def retrieve(self, request, *args, **kwargs):
        record = self.get_object()
        response = Response(self.get_serializer(record).data)
        response["ETag"] = '"{}"'.format(record.revision)
        return response

    # -- writing ---------------------------------------------------------------------------------------
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        record = serializer.save()
        return self.record_response(record, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        record = self.get_object()
        serializer = self.get_serializer(record, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        extra = {}
        base_revision = self.if_match_revision()
        if base_revision is not None:
            extra["base_revision"] = base_revision
        record = serializer.save(**extra)
        return self.record_response(record)

    def if_match_revision(self):
        """The revision an ``If-Match: "<revision>"`` header names, if any."""
        value = self.request.headers.get("If-Match", "").strip()
        if not value or value == "*":
            return None
        value = value.split(",")[0].strip()
        if value.startswith("W/"):
            value = value[2:]
        value = value.strip('"')
        if not value.isdigit():
            raise exceptions.ValidationError({"If-Match": [_('Give the revision, such as "3".')]})
        return int(value)

    def record_response(self, record, status_code=status.HTTP_200_OK):
        fresh = self.get_queryset().filter(pk=record.pk).first() or record
        data = self.get_serializer(fresh).data
        response = Response(data, status=status_code)
        response["ETag"] = '"{}"'.format(fresh.revision)
        if status_code == status.HTTP_201_CREATED and data.get("url"):
            response["Location"] = data["url"]
        return response

    def handle_exception(self, exc):
        if isinstance(exc, EditConflictError):
            return Response(exc.as_data(), status=exc.status_code)
        return super().handle_exception(exc)

    # -- workflow --------------------------------------------------------------------------------------
    def transition(self, request, action_name):
        record = self.get_object(check_permissions=False)
        payload = TransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        allowed_from, _target = permissions.TRANSITIONS[action_name]
        if record.status not in allowed_from:
            return Response(
                {
                    "detail": str(INVALID_STATE.format(status=record.get_status_display())),
                    "code": "invalid_state",
                    "status": record.status,
                },
                status=status.HTTP_409_CONFLICT,
            )
        try:
            record = services.record_transition(
                record=record,
                action=action_name,
                actor=request.user,
                comment=payload.validated_data.get("comment", ""),
            )
        except DjangoPermissionDenied as error:
            raise exceptions.PermissionDenied(str(error) or None) from error
        except DjangoValidationError as error:
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from error
        return self.record_response(record)

    @action(detail=True, methods=["post"])
    def submit(self, request, *args, **kwargs):
        """Submit a draft for review."""
        return self.transition(request, permissions.SUBMIT)

    @action(detail=True, methods=["post"])
    def publish(self, request, *args, **kwargs):
        """Publish a draft or a submitted record."""
        return self.transition(request, permissions.PUBLISH)

    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_to_authors(self, request, *args, **kwargs):
        """Return a submitted record to its authors, with a comment saying why."""
        return self.transition(request, permissions.RETURN)

    @action(detail=True, methods=["post"])
    def archive(self, request, *args, **kwargs):
        """Archive a published record: it is no longer public; its history is kept."""
        return self.transition(request, permissions.ARCHIVE)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "layout",
                str,
                enum=["wide", "long"],
                description="long: one row per country and thematic area, budgets split (initiatives)",
            )
        ],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @action(
        detail=False, methods=["get"], url_path=r"export/(?P<file_format>csv|xlsx|json)", url_name="export"
    )
    def export(self, request, file_format, *args, **kwargs):
        """The list as filtered, as a CSV, XLSX or JSON file: the same export layer as the list pages."""
        from capacityhub.core import exports

        django_request = request._request
        django_request.user = request.user  # the token's user, not only the session's
        try:
            return exports.response(self.record_type, django_request, format=file_format)
        except exports.ExportError as error:
            raise exceptions.ValidationError({"layout": [str(error)]}) from error
