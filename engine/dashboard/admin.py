from django.contrib import admin

from .models import DistrictPopulation, FigureSnapshot


@admin.register(DistrictPopulation)
class DistrictPopulationAdmin(admin.ModelAdmin):
    list_display = ("district", "year", "population", "source", "updated_at")
    list_filter = ("year", "district")
    search_fields = ("district__name", "source")
    list_select_related = ("district",)


@admin.register(FigureSnapshot)
class FigureSnapshotAdmin(admin.ModelAdmin):
    list_display = ("key", "year", "computed_at")
    list_filter = ("key", "year")
    readonly_fields = ("key", "year", "data", "computed_at")

    def has_add_permission(self, request):
        return False
