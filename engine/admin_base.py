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


class LabelledObjectAdmin(admin.ModelAdmin):
    """For a package's model whose ``__str__`` is fixed English text (viewflow's tasks,
    django-axes' records): its change page is titled by ``object_label``, in the reader's
    language, instead."""

    change_form_template = "admin/labelled_change_form.html"

    def object_label(self, obj) -> str:
        raise NotImplementedError

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["subtitle"] = context["object_label"] = self.object_label(obj)
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)
