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


class LabelledAccessAttemptAdmin(LabelledObjectAdmin, AccessAttemptAdmin):
    def object_label(self, attempt):
        return gettext("Failed logins of %(username)s from %(address)s") % {
            "username": attempt.username, "address": attempt.ip_address}


class LabelledAccessLogAdmin(LabelledObjectAdmin, AccessLogAdmin):
    def object_label(self, log):
        return gettext("Login of %(username)s at %(time)s") % {"username": log.username, "time": _when(log.attempt_time)}


class LabelledAccessFailureLogAdmin(LabelledObjectAdmin, AccessFailureLogAdmin):
    def object_label(self, log):
        return gettext("Failed login of %(username)s at %(time)s") % {
            "username": log.username, "time": _when(log.attempt_time)}


for model, model_admin in ((AccessAttempt, LabelledAccessAttemptAdmin), (AccessLog, LabelledAccessLogAdmin),
                           (AccessFailureLog, LabelledAccessFailureLogAdmin)):
    if admin.site.is_registered(model):  # not with AXES_ENABLE_ADMIN off
        admin.site.unregister(model)
        admin.site.register(model, model_admin)
