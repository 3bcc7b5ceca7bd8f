from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from import_export.forms import ImportForm, SelectableFieldsExportForm

from engine.imports.formats import CSV, XLSX

from .models import Department, District, Membership, Organization, OrganizationMember, User
from .resources import DepartmentResource, OrganizationResource
from .services import directory_delete, directory_save


class AuditedAdmin(admin.ModelAdmin):
    """Every write of this admin and its inlines goes through ``directory_save`` /
    ``directory_delete``: row locked, right checked, audit event with before and after (D4).
    Departments, districts and organizations are never deleted here."""

    def save_model(self, request, obj, form, change):
        directory_save(actor=request.user, instance=obj, fields=form.changed_data if change else None,
                       reason="管理后台修改")

    def has_delete_permission(self, request, obj=None):
        return False

    def save_formset(self, request, form, formset, change):
        formset.save(commit=False)
        for obj in formset.deleted_objects:
            directory_delete(actor=request.user, instance=obj, reason="管理后台删除")
        for obj, fields in formset.changed_objects:
            directory_save(actor=request.user, instance=obj, fields=fields, reason="管理后台修改")
        for obj in formset.new_objects:
            directory_save(actor=request.user, instance=obj, reason="管理后台添加")
        formset.save_m2m()


class SpreadsheetFormats:
    """The file formats named as formats are written (the package shows tablib's lower-case keys)."""

    def _init_formats(self, formats):
        super()._init_formats(formats)
        field = self.fields["format"]
        field.choices = [(value, label.upper()) for value, label in field.choices]


class SpreadsheetImportForm(SpreadsheetFormats, ImportForm):
    pass


class SpreadsheetExportForm(SpreadsheetFormats, SelectableFieldsExportForm):
    def _get_field_label(self, resource, field_name):
        """A column is offered under its name in the file (the package shows the attribute's
        name, in English, beside it)."""
        field = resource.fields.get(field_name)
        return field.column_name if field and field.column_name else super()._get_field_label(resource, field_name)


class SpreadsheetAdmin(AuditedAdmin, ImportExportModelAdmin):
    """Import/export buttons offering only CSV (UTF-8 or GBK) and XLSX, formula-safe on export."""

    # Fixed here rather than via settings: other formats would bypass the GBK detection.
    import_formats = [CSV, XLSX]
    export_formats = [CSV, XLSX]
    import_form_class = SpreadsheetImportForm
    export_form_class = SpreadsheetExportForm


# The names of the permissions every model has, in the reader's language: the database keeps
# the English names Django (and viewflow, for "manage") composed when the tables were made.
DEFAULT_PERMISSION_NAMES = {
    "add": _("Can add %(name)s"),
    "change": _("Can change %(name)s"),
    "delete": _("Can delete %(name)s"),
    "view": _("Can view %(name)s"),
    "manage": _("Can manage %(name)s"),
}


def permission_label(permission) -> str:
    """"App | model | what it allows", each part translated: a default permission's name is
    composed again with the model's translated name; another's stored name is an English
    source text (marked where it is declared) looked up in the catalog."""
    model = permission.content_type.model_class()
    action = permission.codename.split("_", 1)[0]
    if model is not None and action in DEFAULT_PERMISSION_NAMES and permission.codename == f"{action}_{model._meta.model_name}":
        name = DEFAULT_PERMISSION_NAMES[action] % {"name": model._meta.verbose_name}
    else:
        name = gettext(permission.name)
    return f"{permission.content_type} | {name}"


class PermissionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return permission_label(obj)


class TranslatedPermissions:
    """Permission pickers (a group's, a user's own) that name each permission translated."""

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name in ("permissions", "user_permissions"):
            kwargs["form_class"] = PermissionChoiceField
            # each label reads the permission's content type
            kwargs["queryset"] = kwargs.get("queryset", db_field.remote_field.model.objects).select_related("content_type")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(TranslatedPermissions, BaseGroupAdmin):
    pass


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["department"]


@admin.register(User)
class UserAdmin(TranslatedPermissions, BaseUserAdmin):
    """The account itself is Django's; its memberships (who may act where) are audited."""
    list_display = ["username", "full_name", "email", "is_staff", "is_active"]
    search_fields = ["username", "full_name", "email"]
    fieldsets = BaseUserAdmin.fieldsets + ((_("Zhiyuan Zhengzhou"), {"fields": ["full_name", "phone"]}),)
    inlines = [MembershipInline]

    def save_formset(self, request, form, formset, change):
        AuditedAdmin.save_formset(self, request, form, formset, change)


@admin.register(District)
class DistrictAdmin(AuditedAdmin):
    list_display = ["name", "code", "resident_population", "sort_order"]
    list_editable = ["resident_population"]
    search_fields = ["name", "code"]


class OrganizationMemberInline(admin.TabularInline):
    model = OrganizationMember
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Department)
class DepartmentAdmin(SpreadsheetAdmin):
    resource_classes = [DepartmentResource]
    list_display = ["name", "code", "kind", "level", "parent", "district", "capacity", "is_active"]
    list_filter = ["kind", "level", "district"]
    search_fields = ["name", "code"]
    inlines = [MembershipInline]


@admin.register(Organization)
class OrganizationAdmin(SpreadsheetAdmin):
    resource_classes = [OrganizationResource]
    list_display = ["name", "uscc", "registered", "status", "supervising_department", "district"]
    list_filter = ["status", "registered", "district"]
    search_fields = ["name", "uscc"]
    autocomplete_fields = ["supervising_department"]
    inlines = [OrganizationMemberInline]

    def get_readonly_fields(self, request, obj=None):
        """Merging and dissolving go through ``organization_end`` (audited, R9 routing), via
        the API; the admin shows the outcome."""
        return ["status", "successor"] if obj is not None else ["status"]
