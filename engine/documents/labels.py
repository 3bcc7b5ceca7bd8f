"""Labels of the audit actions this app writes, for case histories (``engine.ui.labels``)."""
from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "documents.upload": _("Document uploaded"),
    "documents.replace": _("New version of a document uploaded"),
    "documents.withdraw": _("Document withdrawn"),
}
