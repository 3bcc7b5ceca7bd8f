"""Admin pieces every app shares."""
from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records whose changes go through services (rights, audit, versions): the admin
    shows them and offers no add, change or delete."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
