from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.views import APIView

from engine.directory import rights
from engine.directory.models import Membership


class ObtainToken(ObtainAuthToken):
    """Exchange a username and password for an API token."""


class MembershipSerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True, default=None)

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
