"""The time bank's case: a redemption (T5–T6).

The volunteer redeems (hours held at once) → the provider, an organization, confirms delivery
(hours move to it) or declines with a reason (hold released), within the step's working-day
due time (T6, D2). The task waits in the provider's supervising department's staff queue and
is handed to the provider's managers in the same transaction (R1; when no organization
answers any more, the department's staff work it, R9). While it waits the volunteer may cancel;
unanswered at its due time it expires (``tasks.expire_redemptions``). Both close the task.
"""
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from engine.cases.flows import CaseFlow
from engine.cases.steps import Decision, HumanStep
from engine.directory.models import Role

from .models import Redemption, RedemptionProcess

S = "processes.timebank.services.exchange"


class RedemptionFlow(CaseFlow):
    process_class = RedemptionProcess
    case_model = Redemption
    process_name = "timebank"

    start = flow.StartHandle(this.start_case).Next(this.confirm)
    confirm = HumanStep(
        department=lambda case: case.department, role=Role.STAFF, title=_("Confirm the service was delivered"),
        sla="timebank.confirm", states=["held"],
        decisions={
            "confirm": Decision(_("Delivered"), f"{S}.redemption_confirm_task"),
            "decline": Decision(_("Decline"), f"{S}.redemption_decline_task", needs_reason=True, style="danger"),
        },
    ).Next(this.end)
    end = flow.End()
