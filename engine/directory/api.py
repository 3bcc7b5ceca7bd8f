"""Read-only directory endpoints: departments and organizations."""
from rest_framework import viewsets

from .models import Department, Organization
from .serializers import DepartmentSerializer, OrganizationSerializer


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
