"""API tokens: each user has at most one (``rest_framework.authtoken``), created and revoked by the user.

- ``GET /api/token/``: the user's token (404 when there is none);
- ``POST /api/token/``: create the token, or return the existing one (201 when created, 200 otherwise);
- ``DELETE /api/token/``: revoke it (204).

Signed in with a session (or with the token itself). The profile page posts to ``api-token-manage``
(``/api/token/manage/``, ``action=create`` or ``action=revoke``), which does the same and goes back to the
profile page with a message.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.views import APIView

from capacityhub.core.api.views import AUTHENTICATION


class TokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = Token
        fields = ["key", "created"]
        read_only_fields = fields


def token_create(*, user):
    """The user's token, created if needed: ``(token, created)``."""
    return Token.objects.get_or_create(user=user)


def token_revoke(*, user):
    """Revoke the user's token; True when there was one."""
    deleted, _rows = Token.objects.filter(user=user).delete()
    return bool(deleted)


class TokenView(APIView):
    """The signed-in user's API token. Send it as ``Authorization: Token <key>``."""

    authentication_classes = AUTHENTICATION
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: TokenSerializer, 404: OpenApiResponse(description="No token yet.")})
    def get(self, request):
        token = Token.objects.filter(user=request.user).first()
        if token is None:
            return Response({"detail": _("You have no API token.")}, status=status.HTTP_404_NOT_FOUND)
        return Response(TokenSerializer(token).data)

    @extend_schema(request=None, responses={200: TokenSerializer, 201: TokenSerializer})
    def post(self, request):
        token, created = token_create(user=request.user)
        return Response(
            TokenSerializer(token).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )

    @extend_schema(responses={204: OpenApiResponse(description="Revoked.")})
    def delete(self, request):
        token_revoke(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@login_required
@require_POST
def token_manage(request):
    """Create (``action=create``) or revoke (``action=revoke``) the user's token from the profile page."""
    action = request.POST.get("action")
    if action == "create":
        _token, created = token_create(user=request.user)
        if created:
            messages.success(request, _("Your API token was created."))
        else:
            messages.info(request, _("You already have an API token."))
    elif action == "revoke":
        if token_revoke(user=request.user):
            messages.success(
                request, _("Your API token was revoked: programs using it can no longer sign in.")
            )
        else:
            messages.info(request, _("You have no API token."))
    else:
        messages.error(request, _("Unknown action."))
    return redirect("accounts:profile")
