from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin

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


class SpreadsheetAdmin(AuditedAdmin, ImportExportModelAdmin):
    """Import/export buttons offering only CSV (UTF-8 or GBK) and XLSX, formula-safe on export."""

    # Fixed here rather than via settings: other formats would bypass the GBK detection.
    import_formats = [CSV, XLSX]
    export_formats = [CSV, XLSX]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["department"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
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
