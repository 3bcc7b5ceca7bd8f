from django.contrib import admin

from .models import DistrictPopulation, FigureSnapshot


@admin.register(DistrictPopulation)
class DistrictPopulationAdmin(admin.ModelAdmin):
    """Where the administrator corrects the 2025 goal's denominator (DOMAIN "The 2025 goal"): a
    new row per source year, the estimate flag cleared once the bulletin's figure is in."""

    list_display = ("district", "year", "population", "is_estimate", "source", "updated_at")
    list_editable = ("population", "is_estimate")
    list_filter = ("year", "is_estimate", "district")
    search_fields = ("district__name", "source")
    list_select_related = ("district",)


@admin.register(FigureSnapshot)
class FigureSnapshotAdmin(admin.ModelAdmin):
    list_display = ("key", "year", "computed_at")
    list_filter = ("key", "year")
    readonly_fields = ("key", "year", "data", "computed_at")

    def has_add_permission(self, request):
        return False
