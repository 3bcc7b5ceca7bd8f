from django.utils.translation import gettext_lazy as _

from engine.processes import ProcessConfig


class RecruitmentConfig(ProcessConfig):
    name = "processes.recruitment"
    label = "recruitment"
    verbose_name = _("Volunteer recruitment and training")

    default = True
    process_name = "recruitment"
    process_label = _("Recruitment and training")

    def activity_participants(self, activity_ids):
        """Certification's insurance check counts the volunteers selected in the activities'
        recruitments among those the policy must cover (seed 二(三))."""
        from .services.gate import selected_volunteers  # noqa: PLC0415 — services import models, loaded only now

        return selected_volunteers(activity_ids)

    def volunteers_known_to(self, organization_ids):
        """Whoever signed up for one of the organization's recruitments is known to it."""
        from .services.gate import volunteers_signed_up_with  # noqa: PLC0415

        return volunteers_signed_up_with(organization_ids)

    def signin_check(self, *, volunteer, activity):
        """Certification's sign-in asks every process that has this hook: at an activity with a
        recruitment only its selected volunteers sign in (``services.gate``)."""
        from .services.gate import signin_allowed  # noqa: PLC0415 — services import models, loaded only now

        signin_allowed(volunteer=volunteer, activity=activity)
