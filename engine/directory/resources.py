"""Import/export of departments and organizations (Chinese headers; English field names also
accepted). Registered as "departments" and "organizations" for the import service."""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export.fields import Field
from import_export.widgets import CharWidget

from engine.imports import registry
from engine.imports.resources import SafeModelResource
from engine.imports.widgets import ChoiceWidget, CodeForeignKeyWidget, WholeNumberWidget, YesNoWidget

from .models import Department, District, Organization


def _add_error(errors: dict, field: str, message) -> dict:
    errors.setdefault(field, []).append(ValidationError(message))
    return errors


class DepartmentResource(SafeModelResource):
    """One row per department, keyed by 部门代码; a parent must exist or come earlier in the file."""

    code = Field(attribute="code", column_name="部门代码")
    name = Field(attribute="name", column_name="部门名称")
    kind = Field(attribute="kind", column_name="类别", widget=ChoiceWidget(Department.Kind.choices))
    level = Field(
        attribute="level", column_name="层级", widget=ChoiceWidget(Department.Level.choices),
        saves_null_values=False,  # blank keeps the current level (city for a new department)
    )
    parent = Field(attribute="parent", column_name="上级部门代码", widget=CodeForeignKeyWidget(Department))
    district = Field(attribute="district", column_name="区县代码", widget=CodeForeignKeyWidget(District))
    capacity = Field(attribute="capacity", column_name="孵化容量", widget=WholeNumberWidget())

    class Meta:
        model = Department
        fields = ("code", "name", "kind", "level", "parent", "district", "capacity")
        import_id_fields = ("code",)

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if "parent" not in errors and instance.pk and instance.parent_id:
            # Escalation walks parents upward (D2); a loop would never end.
            above = [instance.parent, *instance.parent.ancestors()]
            if any(node.pk == instance.pk for node in above):
                _add_error(errors, "parent", _("The parent department cannot be the department itself or one of its subordinates."))
        if errors:
            raise ValidationError(errors)


class OrganizationResource(SafeModelResource):
    """One row per organization, found by 统一社会信用代码 when the row has one, else by name,
    so registering a previously unregistered organization updates it rather than adding one."""

    name = Field(attribute="name", column_name="组织名称")
    uscc = Field(attribute="uscc", column_name="统一社会信用代码", widget=CharWidget(allow_blank=False))
    registered = Field(
        attribute="registered", column_name="已登记", widget=YesNoWidget(), saves_null_values=False
    )
    status = Field(
        attribute="status", column_name="状态", widget=ChoiceWidget(Organization.Status.choices),
        saves_null_values=False,
    )
    supervising_department = Field(
        attribute="supervising_department", column_name="业务主管部门代码",
        widget=CodeForeignKeyWidget(Department),
    )
    district = Field(attribute="district", column_name="区县代码", widget=CodeForeignKeyWidget(District))
    fiscal_funded = Field(
        attribute="fiscal_funded", column_name="财政拨款保障的群团组织", widget=YesNoWidget(),
        saves_null_values=False,
    )

    class Meta:
        model = Organization
        fields = (
            "name", "uscc", "registered", "status", "supervising_department", "district", "fiscal_funded",
        )
        import_id_fields = ("name",)  # the fallback key; get_instance tries the USCC first

    def get_instance(self, instance_loader, row):
        column = self.fields["uscc"].column_name
        uscc = (self.fields["uscc"].clean(row) or "").upper() if column in row else ""
        if uscc:
            found = Organization.objects.filter(uscc=uscc).first()
            if found is not None:
                return found
        found = Organization.objects.filter(name=self.fields["name"].clean(row)).first()
        if found is not None and uscc and found.uscc and found.uscc != uscc:
            raise ValidationError({"uscc": _(
                "An organization with this name is registered with unified social credit code %(existing)s, which differs from this row's %(given)s."
            ) % {"existing": found.uscc, "given": uscc}})
        return found

    def import_instance(self, instance, row, **kwargs):
        before = instance.status if instance.pk else None
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if before is not None and instance.status != before:
            # Merging or dissolving goes through services.organization_end (checks, audit, R9).
            _add_error(errors, "status", _("An import cannot change an existing organization's status; merge or dissolve it in organization management."))
        if errors:
            raise ValidationError(errors)


registry.register("departments", DepartmentResource)
registry.register("organizations", OrganizationResource)
