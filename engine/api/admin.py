"""django-axes' records in the admin, each change page titled in the reader's language (the
package's ``__str__`` is fixed English text)."""
from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.utils import formats, timezone
from django.utils.translation import gettext

from engine.admin_base import LabelledObjectAdmin


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT") if moment else ""


def _relabelled(model, package_admin, label):
    if not admin.site.is_registered(model):
        return  # AXES_ENABLE_ADMIN off
    admin.site.unregister(model)
    admin.site.register(model, type(package_admin.__name__, (LabelledObjectAdmin, package_admin),
                                    {"object_label": lambda self, obj: label(obj), "__module__": __name__}))


_relabelled(AccessAttempt, AccessAttemptAdmin, lambda attempt: gettext("Failed logins of %(username)s from %(address)s") % {
    "username": attempt.username, "address": attempt.ip_address})
_relabelled(AccessLog, AccessLogAdmin, lambda log: gettext("Login of %(username)s at %(time)s") % {
    "username": log.username, "time": _when(log.attempt_time)})
_relabelled(AccessFailureLog, AccessFailureLogAdmin, lambda log: gettext("Failed login of %(username)s at %(time)s") % {
    "username": log.username, "time": _when(log.attempt_time)})
