from django.apps import AppConfig


class ExampleConfig(AppConfig):
    """A small flow that exercises the engine in tests only (not shipped)."""

    name = "tests.example"
    label = "example"
