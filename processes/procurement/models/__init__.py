"""Government purchase of services (政府购买服务): catalogue, budgets, tenders and what follows.

``catalogue``: the guiding catalogue and budget lines (P1); ``tenders``: the tender (the case),
bids, expert declarations, score sheets and complaints (P3–P7); ``enquiries``: questions
asked during the enquiry period and their public answers (P10); ``delivery``: the contract, its
milestones and payments, and the performance evaluation (P8, P9); ``workflow``: the viewflow
process proxy.
"""
from .catalogue import MONEY, ZERO, BudgetLine, CatalogueItem
from .delivery import Contract, Milestone, Payment, PerformanceEvaluation
from .enquiries import Enquiry
from .tenders import Bid, Complaint, ExpertDeclaration, ScoreSheet, Tender
from .workflow import TenderProcess

__all__ = [
    "MONEY", "ZERO", "Bid", "BudgetLine", "CatalogueItem", "Complaint", "Contract", "Enquiry", "ExpertDeclaration", "Milestone",
    "Payment", "PerformanceEvaluation", "ScoreSheet", "Tender", "TenderProcess",
]
