from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Department, District, Membership, Organization, OrganizationMember, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["department"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "email", "is_staff", "is_active"]
    search_fields = ["username", "full_name", "email"]
    fieldsets = BaseUserAdmin.fieldsets + (("志愿郑州", {"fields": ["full_name", "phone"]}),)
    inlines = [MembershipInline]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "resident_population", "sort_order"]
    list_editable = ["resident_population"]
    search_fields = ["name", "code"]


class OrganizationMemberInline(admin.TabularInline):
    model = OrganizationMember
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "level", "parent", "district", "capacity", "is_active"]
    list_filter = ["kind", "level", "district"]
    search_fields = ["name", "code"]
    inlines = [MembershipInline]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "uscc", "registered", "status", "supervising_department", "district"]
    list_filter = ["status", "registered", "district"]
    search_fields = ["name", "uscc"]
    autocomplete_fields = ["supervising_department", "successor"]
    inlines = [OrganizationMemberInline]
