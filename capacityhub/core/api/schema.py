"""OpenAPI description of the record ViewSets: the ``lang``, ``brief`` and ``sort`` parameters, the brief
form as an alternative answer, the workflow actions' bodies and the error answers."""

from django.conf import settings
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, PolymorphicProxySerializer

TRANSITIONS = {"submit", "publish", "return_to_authors", "archive"}

LANG = OpenApiParameter(
    "lang",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    enum=[code for code, _name in settings.CONTENT_LANGUAGES],
    description=(
        "Adds, after each multilingual field `<name>` ({lang: text}), `<name>_text`: its text in this "
        "language (falling back to the record's original language, English, then any). Messages and "
        "`display` are in this language too (otherwise they follow Accept-Language)."
    ),
)
BRIEF = OpenApiParameter(
    "brief",
    OpenApiTypes.BOOL,
    OpenApiParameter.QUERY,
    description="Answer the brief form of each record: id, url, display (title text) and status.",
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description='The revision the edit started from, e.g. "3" (the ETag of the record). A stale revision '
    "answers 409 and saves nothing. The same as `revision` in the body.",
)


def _errors(description):
    return OpenApiResponse(response=OpenApiTypes.OBJECT, description=description)


class RecordAutoSchema(AutoSchema):
    def _action(self):
        return getattr(self.view, "action", None)

    def get_override_parameters(self):
        parameters = [*super().get_override_parameters(), LANG]
        action = self._action()
        if action in ("list", "retrieve"):
            parameters.append(BRIEF)
        if action == "list":
            record_type = self.view.record_type
            parameters.append(
                OpenApiParameter(
                    "sort",
                    OpenApiTypes.STR,
                    OpenApiParameter.QUERY,
                    enum=list(record_type.sorts),
                    description="Order of the list, as on the list page (default {}).".format(
                        record_type.default_sort
                    ),
                )
            )
        if action in ("update", "partial_update"):
            parameters.append(IF_MATCH)
        return parameters

    def _full(self):
        return self.view.serializer_class

    def get_request_serializer(self):
        if self._action() in TRANSITIONS:
            from .serializers import TransitionSerializer

            return TransitionSerializer
        return super().get_request_serializer()

    def get_response_serializers(self):
        from .serializers import ConflictSerializer, DetailSerializer

        action = self._action()
        full = self._full()
        if action in ("list", "retrieve"):
            name = self._get_serializer_name(full(), "response")
            return PolymorphicProxySerializer(
                component_name="{}OrBrief".format(name),
                serializers=[full, self.view.brief_serializer_class],
                resource_type_field_name=None,
            )
        denied = OpenApiResponse(DetailSerializer, description="Not allowed by the permission gate.")
        if action in ("create", "update", "partial_update"):
            return {
                "201" if action == "create" else "200": full,
                "400": _errors("Errors by field name, in the user's language."),
                "403": denied,
                **(
                    {
                        "409": OpenApiResponse(
                            ConflictSerializer, description="Edited by somebody else meanwhile."
                        )
                    }
                    if action != "create"
                    else {}
                ),
            }
        if action in TRANSITIONS:
            return {
                "200": full,
                "400": _errors("Errors by field name (a return needs a comment)."),
                "403": denied,
                "409": OpenApiResponse(
                    ConflictSerializer, description="Not possible from the record's status."
                ),
            }
        return super().get_response_serializers()
