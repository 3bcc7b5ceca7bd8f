"""Names of this process's audit actions, for case histories."""
from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "incubation.create": _("Incubation application created"),
    "incubation.update": _("Application documents changed"),
    "incubation.submit": _("Application submitted"),
    "incubation.withdraw": _("Application withdrawn"),
    "incubation.admit": _("Place at the base granted"),
    "incubation.agreement.accept": _("Agreement accepted by the organization"),
    "incubation.graduation.start": _("Incubation period over, graduation review started"),
    "incubation.graduation.self_evaluation": _("Graduation self-evaluation submitted"),
    "incubation.graduation.missed": _("Graduation review not completed in time, counted as exit"),
    "incubation.midterm.start": _("Midterm review started"),
    "incubation.milestone.record": _("Incubation milestone recorded"),
    "incubation.nomination.create": _("Nominated"),
    "incubation.nomination.decide": _("Nomination decided by the Civil Affairs Bureau"),
    "incubation.score.conflict": _("Expert declared a conflict of interest and recused"),
    "incubation.score.overdue": _("Expert score overdue"),
    "incubation.base_settings.change": _("Base settings changed"),
    "incubation.organization_ended": _("Applying organization merged or dissolved, application ended"),
    "organization.registered": _("Organization registered"),
}
