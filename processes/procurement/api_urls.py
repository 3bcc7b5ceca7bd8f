"""API v1 endpoints of this process (mounted at /api/v1/procurement/)."""
from django.urls import path

from .api import catalogue, complaints, contracts, enquiries, publication, tenders

REF = "<str:reference>"


def _verbs(prefix, view, *verbs):
    return [
        path(f"{prefix}/<int:pk>/{verb}/", view.as_view(), {"verb": verb}, name=f"procurement-{prefix}-{verb}")
        for verb in verbs
    ]


urlpatterns = [
    path("catalogue/", catalogue.CatalogueList.as_view(), name="procurement-catalogue"),
    path("catalogue/import/", catalogue.CatalogueImport.as_view(), name="procurement-catalogue-import"),
    path("catalogue/<int:pk>/publish/", catalogue.CataloguePublish.as_view(), name="procurement-catalogue-publish"),
    path("budget-lines/", catalogue.BudgetLineList.as_view(), name="procurement-budget-lines"),
    path("budget-lines/import/", catalogue.BudgetLineImport.as_view(), name="procurement-budget-import"),
    path("tenders/", tenders.TenderList.as_view(), name="procurement-tenders"),
    path(f"tenders/{REF}/", tenders.TenderDetail.as_view(), name="procurement-tender"),
    path(f"tenders/{REF}/cancel/", tenders.TenderCancel.as_view(), name="procurement-tender-cancel"),
    path(f"tenders/{REF}/bids/", tenders.TenderBids.as_view(), name="procurement-tender-bids"),
    path(f"tenders/{REF}/scores/", tenders.TenderScores.as_view(), name="procurement-tender-scores"),
    path(f"tenders/{REF}/recusal/", tenders.TenderRecusal.as_view(), name="procurement-tender-recusal"),
    path(f"tenders/{REF}/ranking/", tenders.TenderRanking.as_view(), name="procurement-tender-ranking"),
    path(f"tenders/{REF}/complaints/", complaints.TenderComplaints.as_view(), name="procurement-tender-complaints"),
    path(f"tenders/{REF}/enquiries/", enquiries.TenderEnquiries.as_view(), name="procurement-tender-enquiries"),
    path(f"tenders/{REF}/milestones/", contracts.TenderMilestones.as_view(), name="procurement-tender-milestones"),
    path(f"tenders/{REF}/performance/", contracts.TenderPerformance.as_view(),
         name="procurement-tender-performance"),
    path(f"tenders/{REF}/ocds/", publication.TenderRelease.as_view(), name="procurement-tender-ocds"),
    path("bids/", tenders.BidList.as_view(), name="procurement-bids"),
    *_verbs("bids", tenders.BidAction, "withdraw", "replace"),
    *_verbs("complaints", complaints.ComplaintAction, "answer", "escalate"),
    path("complaints/<int:pk>/decide/", complaints.ComplaintDecide.as_view(), name="procurement-complaints-decide"),
    path("enquiries/", enquiries.EnquiryList.as_view(), name="procurement-enquiries"),
    path("enquiries/<int:pk>/answer/", enquiries.EnquiryAnswer.as_view(), name="procurement-enquiry-answer"),
    path("contracts/", contracts.ContractList.as_view(), name="procurement-contracts"),
    path("milestones/<int:pk>/accept/", contracts.MilestoneAccept.as_view(), name="procurement-milestone-accept"),
    path("payments/", contracts.PaymentList.as_view(), name="procurement-payments"),
    *_verbs("payments", contracts.PaymentAction, "approve", "reject"),
    path("ocds/releases/", publication.ReleaseList.as_view(), name="procurement-releases"),
    path("exports/results.xlsx", publication.ResultsExport.as_view(), name="procurement-export-results"),
]
