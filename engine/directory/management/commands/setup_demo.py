"""Load reference data and demo data: what ``make run`` does after migrating."""
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from engine.directory import demo

REFERENCE_FIXTURES = ["fixtures/districts.json", "fixtures/departments.json", "fixtures/district_populations.json"]


class Command(BaseCommand):
    help = gettext_lazy("Load the reference data (departments, districts) and, in demo mode, the demo accounts "
                        "and demo cases.")

    def add_arguments(self, parser):
        parser.add_argument("--no-demo", action="store_true", help=gettext_lazy("Load the reference data only."))

    def handle(self, *args, no_demo=False, **options):
        call_command("loaddata", *[str(settings.BASE_DIR / f) for f in REFERENCE_FIXTURES], verbosity=0)
        self.stdout.write(_("Reference data loaded: departments, districts."))
        for config in apps.get_app_configs():
            try:
                reference = import_module(f"{config.name}.reference")
            except ModuleNotFoundError:
                continue
            reference.load()
        if no_demo:
            return
        with transaction.atomic():
            summary = demo.load()
        for config in apps.get_app_configs():
            if config.name == "engine.directory":
                continue
            try:
                module = import_module(f"{config.name}.demo")
            except ModuleNotFoundError:
                continue
            with transaction.atomic():
                module.load()
            self.stdout.write(_("Demo data loaded: %(app)s") % {"app": config.verbose_name})
        self.stdout.write(_("Demo accounts: %(accounts)s") % {"accounts": _(", ").join(summary["accounts"])})
        if settings.DEMO_MODE:
            self.stdout.write(_("Demo password (shown in demo mode only): %(password)s") % {"password": summary["password"]})
