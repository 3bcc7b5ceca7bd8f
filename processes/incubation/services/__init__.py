"""Every state change of an incubation application goes through a function here (DESIGN
"How a case moves"): locked, right checked, FSM transition, audit event, side effects on
commit. The flow's decisions name these by dotted path."""
from .applications import (  # noqa: F401
    application_create,
    application_submit,
    application_update,
    application_withdraw,
)
from .base_settings import base_settings_save  # noqa: F401
from .capacity import admit_waiting, admitted_count  # noqa: F401
from .incubation import (  # noqa: F401
    advance,
    agreement_accept,
    agreement_offer,
    graduation_exit,
    graduation_extend,
    graduation_graduate,
    graduation_missed,
    midterm_complete,
    self_evaluation_submit,
)
from .milestones import milestone_record, nomination_create, nomination_decide  # noqa: F401
from .organizations import close_for_ended_organization, organization_ended  # noqa: F401
from .review import (  # noqa: F401
    approval_approve,
    approval_reject,
    expert_declare_conflict,
    expert_overdue,
    expert_score,
    expert_score_task,
    intake_accept,
    intake_reject,
    intake_return,
)
