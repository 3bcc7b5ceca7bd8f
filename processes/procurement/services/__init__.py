"""Procurement services: every state change of a tender and what hangs off it goes through here."""
from .bids import bid_replace, bid_submit, bid_withdraw
from .catalogue import budget_line_create, catalogue_item_create, catalogue_item_publish
from .chronograph import chronograph_run, close_bidding, end_standstill, open_bidding
from .complaints import complaint_answer, complaint_decide, complaint_escalate, complaint_file
from .contracts import (
    contract_sign,
    milestone_accept,
    milestone_add,
    payment_approve,
    payment_reject,
    payment_request,
    performance_evaluate,
)
from .documents import milestone_documents_upload
from .enquiries import enquiry_answer, enquiry_ask
from .evaluation import compute_ranking, expert_recuse, ranking_store, score_submit
from .imports import budget_import, catalogue_import
from .organizations import organization_ended
from .tenders import (
    award_approve,
    award_refuse,
    precheck_approve,
    precheck_refuse,
    tender_cancel,
    tender_create,
    tender_submit,
    tender_update,
)

__all__ = [
    "award_approve", "award_refuse", "bid_replace", "budget_import", "catalogue_import", "bid_submit", "bid_withdraw", "budget_line_create",
    "catalogue_item_create", "catalogue_item_publish", "chronograph_run", "close_bidding",
    "complaint_answer", "complaint_decide", "complaint_escalate", "complaint_file", "compute_ranking",
    "contract_sign", "end_standstill", "enquiry_answer", "enquiry_ask", "expert_recuse", "milestone_accept", "milestone_add", "milestone_documents_upload", "open_bidding", "organization_ended",
    "payment_approve", "payment_reject", "payment_request", "performance_evaluate", "precheck_approve",
    "precheck_refuse", "ranking_store", "score_submit", "tender_cancel", "tender_create", "tender_submit",
    "tender_update",
]
