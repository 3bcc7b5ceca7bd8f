from collections.abc import Mapping

from axes.handlers.proxy import AxesProxyHandler
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from engine.api.errors import invalid_body, problem_response
from engine.api.lockout import LOCKED_OUT_CODE, lockout_message
from engine.api.tokens import token_issue, token_lifetime, tokens_revoke
from engine.directory import rights
from engine.directory.models import Membership


class IssuedTokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()


class ObtainToken(ObtainAuthToken):
    """Exchange a username and password for an API token, valid for ``API_TOKEN_TTL_HOURS``.
    Repeated wrong passwords for one username from one address lock the pair out (429)."""
    # A wrong password is answered, not raised: a raised error rolls the request's transaction
    # back, and with it the recorded failed attempt the lockout counts. (A comment: the
    # docstring is the operation's description in the schema.)

    parser_classes = api_settings.DEFAULT_PARSER_CLASSES  # the strict JSON parser, not DRF's own

    @extend_schema(request=AuthTokenSerializer, responses={200: IssuedTokenSerializer})
    def post(self, request, *args, **kwargs):
        data = request.data if isinstance(request.data, Mapping) else {}
        username = data.get("username")
        credentials = {"username": username if isinstance(username, str) else ""}
        if AxesProxyHandler.is_locked(request._request, credentials):
            return problem_response(status.HTTP_429_TOO_MANY_REQUESTS, LOCKED_OUT_CODE, lockout_message())
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            return Response(invalid_body(serializer.errors), status=status.HTTP_400_BAD_REQUEST)
        token = token_issue(user=serializer.validated_data["user"])
        return Response(IssuedTokenSerializer({"token": token.key, "expires_at": token.created + token_lifetime()}).data)


class RevokeToken(APIView):
    """Log the API client out: the caller's tokens stop working at once."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        tokens_revoke(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MembershipSerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    department_name = serializers.CharField(source="department.name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Membership
        fields = ["department", "department_name", "role"]


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    display_name = serializers.CharField()
    memberships = MembershipSerializer(many=True)
    organizations = serializers.ListField(child=serializers.IntegerField())


class Me(APIView):
    """Who the caller is: roles per department and the organizations they act for."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        user = request.user
        data = {
            "username": user.username,
            "display_name": user.display_name,
            "memberships": Membership.objects.filter(user=user).select_related("department"),
            "organizations": sorted(rights.organization_ids(user)),
        }
        return Response(MeSerializer(data).data)
