"""What the dashboard keeps of its own: each district's resident population by source year (the
2025 goal's denominator, DOMAIN "The 2025 goal"), and snapshots of the figures too costly to
compute per page view (percentiles, per-volunteer star levels), refreshed by a periodic task."""
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from engine.directory.models import District


class DistrictPopulation(models.Model):
    """A district's resident population as a statistical source gives it for one year. The
    dashboard uses the latest year of each district; the administrator adds a row when a new
    bulletin appears (the old ones stay, so a year's progress can be read against its figure).
    The reference data ships rounded estimates (``is_estimate``), which the page labels as such
    until the administrator enters the bulletin's figure."""

    district = models.ForeignKey(District, verbose_name=_("District"), on_delete=models.CASCADE,
                                 related_name="populations")
    year = models.PositiveSmallIntegerField(_("Source year"))
    population = models.PositiveIntegerField(_("Resident population"))
    source = models.CharField(_("Source"), max_length=200, blank=True)
    is_estimate = models.BooleanField(
        _("Estimate"), default=False,
        help_text=_("An approximate figure, not the statistical bulletin's; the dashboard labels it as such."))
    updated_at = models.DateTimeField(_("Updated at"), auto_now=True)

    class Meta:
        verbose_name = _("Resident population")
        verbose_name_plural = _("Resident population")
        ordering = ["district__sort_order", "-year"]
        constraints = [models.UniqueConstraint(fields=["district", "year"], name="population_one_per_district_year")]

    def __str__(self):
        return f"{self.district} {self.year}: {self.population:,}"


class FigureSnapshot(models.Model):
    """A figure computed by the periodic task (``snapshots.refresh``) for one year, with the time
    it was computed: the page shows it with "as of"."""

    key = models.CharField(_("Figure"), max_length=64)
    year = models.PositiveSmallIntegerField(_("Year"))
    data = models.JSONField(_("Data"), default=list)
    computed_at = models.DateTimeField(_("Computed at"), default=timezone.now)

    class Meta:
        verbose_name = _("Figure snapshot")
        verbose_name_plural = _("Figure snapshots")
        constraints = [models.UniqueConstraint(fields=["key", "year"], name="snapshot_one_per_key_year")]

    def __str__(self):
        return f"{self.key} {self.year}"
