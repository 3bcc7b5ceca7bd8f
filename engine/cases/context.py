"""What the running step already holds, so the layers under it do not fetch it again."""
from contextvars import ContextVar

# The case row a step has locked: the flow's conditions and routing read it (case_for_process).
current_case: ContextVar = ContextVar("current_case", default=None)
# The route row ``task_complete`` locked before handing the task to the process's service.
locked_route: ContextVar = ContextVar("locked_route", default=None)
# The cases created in the running ``numbering.case_creation`` block, numbered at its end.
pending_cases: ContextVar = ContextVar("pending_cases", default=None)
