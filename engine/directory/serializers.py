from rest_framework import serializers

from .models import Department, Organization


class DepartmentSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    district = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Department
        fields = ["id", "code", "name", "kind", "level", "parent", "district", "capacity"]


class OrganizationSerializer(serializers.ModelSerializer):
    supervising_department = serializers.SlugRelatedField(
        slug_field="code", queryset=Department.objects.all()
    )
    successor = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    district = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Organization
        fields = [
            "id", "name", "uscc", "registered", "status", "successor",
            "supervising_department", "district", "fiscal_funded", "good_standing",
        ]
        read_only_fields = ["status", "successor", "good_standing"]
