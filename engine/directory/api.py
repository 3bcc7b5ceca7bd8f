"""Read-only directory endpoints: departments and organizations."""
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .models import Department, Organization
from .serializers import DepartmentSerializer, OrganizationSerializer
from .services import organization_end


class OrganizationEndSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[(s.value, s.label) for s in (Organization.Status.MERGED,
                                                                         Organization.Status.DISSOLVED)])
    successor = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all(), required=False,
                                                   allow_null=True)
    reason = serializers.CharField()


class DepartmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Departments with their level, parent and district (D1)."""

    serializer_class = DepartmentSerializer
    queryset = Department.objects.select_related("parent", "district").filter(is_active=True)
    lookup_field = "code"

    def get_queryset(self):
        qs = super().get_queryset()
        for param in ("kind", "level"):
            if value := self.request.query_params.get(param):
                qs = qs.filter(**{param: value})
        return qs


class OrganizationViewSet(viewsets.ReadOnlyModelViewSet):
    """Volunteer-service organizations; who may see them: everyone signed in (public register)."""

    serializer_class = OrganizationSerializer
    queryset = Organization.objects.select_related("supervising_department", "district")

    def get_queryset(self):
        qs = super().get_queryset()
        if q := self.request.query_params.get("q"):
            qs = qs.filter(name__icontains=q)
        if status := self.request.query_params.get("status"):
            qs = qs.filter(status=status)
        return qs

    @action(detail=True, methods=["post"], serializer_class=OrganizationEndSerializer)
    def end(self, request, pk=None):
        """Merge (naming the successor) or dissolve an organization (R9). Supervising
        department or civil affairs bureau reviewers and heads only."""
        serializer = OrganizationEndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        org = organization_end(actor=request.user, organization=self.get_object(), **serializer.validated_data)
        return Response(OrganizationSerializer(org).data)
