"""API v1 endpoints of this process (mounted at /api/v1/procurement/)."""
from django.urls import path

from . import api

REF = "<str:reference>"


def _verbs(prefix, view, *verbs):
    return [
        path(f"{prefix}/<int:pk>/{verb}/", view.as_view(), {"verb": verb}, name=f"procurement-{prefix}-{verb}")
        for verb in verbs
    ]


urlpatterns = [
    path("catalogue/", api.CatalogueList.as_view(), name="procurement-catalogue"),
    path("catalogue/import/", api.CatalogueImport.as_view(), name="procurement-catalogue-import"),
    path("catalogue/<int:pk>/publish/", api.CataloguePublish.as_view(), name="procurement-catalogue-publish"),
    path("budget-lines/", api.BudgetLineList.as_view(), name="procurement-budget-lines"),
    path("budget-lines/import/", api.BudgetLineImport.as_view(), name="procurement-budget-import"),
    path("tenders/", api.TenderList.as_view(), name="procurement-tenders"),
    path(f"tenders/{REF}/", api.TenderDetail.as_view(), name="procurement-tender"),
    path(f"tenders/{REF}/cancel/", api.TenderCancel.as_view(), name="procurement-tender-cancel"),
    path(f"tenders/{REF}/bids/", api.TenderBids.as_view(), name="procurement-tender-bids"),
    path(f"tenders/{REF}/scores/", api.TenderScores.as_view(), name="procurement-tender-scores"),
    path(f"tenders/{REF}/recusal/", api.TenderRecusal.as_view(), name="procurement-tender-recusal"),
    path(f"tenders/{REF}/ranking/", api.TenderRanking.as_view(), name="procurement-tender-ranking"),
    path(f"tenders/{REF}/complaints/", api.TenderComplaints.as_view(), name="procurement-tender-complaints"),
    path(f"tenders/{REF}/milestones/", api.TenderMilestones.as_view(), name="procurement-tender-milestones"),
    path(f"tenders/{REF}/performance/", api.TenderPerformance.as_view(), name="procurement-tender-performance"),
    path(f"tenders/{REF}/ocds/", api.TenderRelease.as_view(), name="procurement-tender-ocds"),
    path("bids/", api.BidList.as_view(), name="procurement-bids"),
    *_verbs("bids", api.BidAction, "withdraw", "replace"),
    *_verbs("complaints", api.ComplaintAction, "answer", "escalate", "decide"),
    path("contracts/", api.ContractList.as_view(), name="procurement-contracts"),
    path("milestones/<int:pk>/accept/", api.MilestoneAccept.as_view(), name="procurement-milestone-accept"),
    path("payments/", api.PaymentList.as_view(), name="procurement-payments"),
    *_verbs("payments", api.PaymentAction, "approve", "reject"),
    path("ocds/releases/", api.ReleaseList.as_view(), name="procurement-releases"),
    path("exports/results.xlsx", api.ResultsExport.as_view(), name="procurement-export-results"),
]
