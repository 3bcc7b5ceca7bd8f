"""The recruitment's case (seed 二(一)).

An organization publishes a recruitment → volunteers sign up, answer emergency calls or are
registered on the spot (services, each audited) → a manager of the organization selects and
closes the recruitment: that is the case's one task, waiting in the organization's supervising
department's staff queue and handed to the organization's managers (R1), due when the first
time slot starts (an emergency recruitment's when its answer window ends). Cancelling closes
the task with the case. After closing, those already signed up may still be selected.
"""
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from engine.cases.flows import CaseFlow
from engine.cases.steps import Decision, HumanStep
from engine.directory.models import Role

from .models import Recruitment, RecruitmentProcess


class RecruitmentFlow(CaseFlow):
    process_class = RecruitmentProcess
    case_model = Recruitment
    process_name = "recruitment"

    start = flow.StartHandle(this.start_case).Next(this.select)
    select = HumanStep(
        department=lambda case: case.department, role=Role.STAFF, title=_("Select the volunteers and close the recruitment"),
        sla="recruitment.select", states=["open"],
        decisions={
            "close": Decision(_("Selection done, close the recruitment"),
                              "processes.recruitment.services.recruitments.recruitment_close_task"),
        },
    ).Next(this.end)
    end = flow.End()
