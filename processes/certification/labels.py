"""Names of this process's audit actions, for case histories (the action codes are stored data)."""
from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "certification.request.create": _("Request a volunteer service certificate"),
    "certification.request.withdraw": _("Withdraw the request"),
    "certification.request.end_notice": _("Public notice ended"),
    "certification.certificate.issue": _("Issue the certificate"),
    "certification.certificate.revoke": _("Revoke the certificate"),
    "certification.certificate.supersede": _("Certificate replaced by a new one"),
    "certification.dispute.file": _("File a dispute"),
    "certification.dispute.appeal": _("Appeal"),
    "certification.dispute.close": _("Dispute closed"),
    "certification.dispute.escalate": _("Passed to the supervising department as overdue"),
    "certification.report.file": _("Report a certificate's authenticity"),
    "certification.reroute": _("Passed to the successor organization"),
    "certification.record.enter": _("Enter a service record"),
    "certification.attendance.sign_in": _("Sign in"),
    "certification.attendance.sign_out": _("Sign out"),
    "certification.record.submit": _("Submit a service record for review"),
    "certification.record.approve": _("Approve a service record"),
    "certification.record.deny": _("Deny a service record"),
    "certification.record.correct": _("Correct a service record"),
    "certification.record.delete": _("Delete a service record"),
    "certification.activity.create": _("Register an activity"),
    "certification.volunteer.register": _("Volunteer registration"),
    "certification.volunteer.link": _("Link a volunteer account"),
    "task.assign": _("Assigned to an organization manager"),
}
