"""django-axes (the login lockout) under the name the admin shows for it: the package's app
declares none, and the admin would show its bare label, "Axes", in either language."""
from axes.apps import AppConfig as AxesConfig
from django.utils.translation import gettext_lazy as _


class LoginLockoutConfig(AxesConfig):
    verbose_name = _("Login lockout")
