"""Load reference data and demo data: what ``make run`` does after migrating."""
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

REFERENCE_FIXTURES = ["fixtures/districts.json", "fixtures/departments.json"]


class Command(BaseCommand):
    help = "载入参考数据（部门、区县），并在演示模式下载入演示账号和演示案件。"

    def add_arguments(self, parser):
        parser.add_argument("--no-demo", action="store_true", help="只载入参考数据。")

    def handle(self, *args, no_demo=False, **options):
        call_command("loaddata", *[str(settings.BASE_DIR / f) for f in REFERENCE_FIXTURES], verbosity=0)
        self.stdout.write("参考数据已载入：部门、区县。")
        for config in apps.get_app_configs():
            try:
                reference = import_module(f"{config.name}.reference")
            except ModuleNotFoundError:
                continue
            reference.load()
        if no_demo:
            return
        with transaction.atomic():
            from engine.directory import demo

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
            self.stdout.write(f"演示数据已载入：{config.verbose_name}")
        self.stdout.write("演示账号：" + "、".join(summary["accounts"]))
        if settings.DEMO_MODE:
            self.stdout.write(f"演示密码（仅演示模式显示）：{summary['password']}")
