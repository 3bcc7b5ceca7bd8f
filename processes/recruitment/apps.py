from django.utils.translation import gettext_lazy as _

from engine.processes import ProcessConfig


class RecruitmentConfig(ProcessConfig):
    name = "processes.recruitment"
    label = "recruitment"
    verbose_name = _("Volunteer recruitment and training")

    default = True
    process_name = "recruitment"
    process_label = _("Recruitment and training")

    def ready(self):
        super().ready()
        # loaded only now: services import models
        from processes.certification.selectors import register_known_source  # noqa: PLC0415
        from processes.certification.services.protection import register_participant_source  # noqa: PLC0415

        from .services.gate import selected_volunteers, volunteers_signed_up_with  # noqa: PLC0415

        register_participant_source(selected_volunteers)  # insurance covers the selected (seed 二(三))
        register_known_source(volunteers_signed_up_with)

    def signin_check(self, *, volunteer, activity):
        """Certification's sign-in asks every process that has this hook: at an activity with a
        recruitment only its selected volunteers sign in (``services.gate``)."""
        from .services.gate import signin_allowed  # noqa: PLC0415 — services import models, loaded only now

        signin_allowed(volunteer=volunteer, activity=activity)
