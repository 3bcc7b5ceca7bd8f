"""OCDS 1.1 releases of public tenders (P10), validated offline against the local schema.

The schema's ``$ref`` URLs (``https://standard.open-contracting.org/schema/1__1__5/…``) are
resolved to the files in ``conf.ocds_schema_dir()`` through a ``referencing`` registry, so
validation never touches the network. Sealed bids (P4) never appear: tenderers are listed
only once bidding has closed, and no losing bid's price is ever published. Answered enquiries
are published in ``tender.enquiries`` (the OCDS enquiries extension, vendored under
``ocds/extensions/`` and merged into the release schema for validation), without their authors. Amounts leave the
``Decimal`` world (D5) only here, at the JSON boundary, because OCDS ``amount`` is a number.
The tender documents (招标文件), public once the tender is published, are listed in
``tender.documents`` (documentType ``biddingDocuments``) with the address of their public
download; bid files and every other kind of document never are.
"""
import json
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from engine.documents.models import Document, DocumentVersion

from . import conf
from .document_kinds import TENDER
from .models import Bid, Enquiry, Payment, Tender

CURRENCY = "CNY"
# The extensions a release package uses: (extension.json URL, vendored release-schema patch).
EXTENSIONS = [
    ("https://raw.githubusercontent.com/open-contracting-extensions/ocds_enquiry_extension/v1.1.5/extension.json",
     Path(__file__).parent / "ocds" / "extensions" / "enquiries" / "release-schema.json"),
]
_STATUS = {  # our status → (release tag, OCDS tender status)
    "published": ("tender", "active"),
    "tendering": ("tender", "active"),
    "evaluation": ("tenderUpdate", "active"),
    "award_review": ("tenderUpdate", "active"),
    "standstill": ("award", "complete"),
    "contracting": ("award", "complete"),
    "delivery": ("contract", "complete"),
    "completed": ("implementation", "complete"),
    "cancelled": ("tenderCancellation", "cancelled"),
    "unsuccessful": ("tenderUpdate", "unsuccessful"),
}


def public_tenders():
    """Tenders the public may know of: published once (a later cancellation stays public), with
    what a release reads prefetched so the list of releases costs the same for any number."""
    return Tender.objects.filter(published_at__isnull=False).select_related(
        "department", "catalogue_item", "awarded_bid__organization", "contract__organization",
    ).prefetch_related(
        Prefetch("bids", queryset=Bid.objects.filter(withdrawn_at__isnull=True).select_related("organization")
                 .order_by("submitted_at", "pk"), to_attr="live_bids"),
        Prefetch("enquiries", queryset=Enquiry.objects.answered().order_by("answered_at", "pk"),
                 to_attr="answered_enquiries"),
        "contract__milestones",
        Prefetch("contract__payments", queryset=Payment.objects.filter(status=Payment.Status.APPROVED)
                 .order_by("decided_at", "pk"), to_attr="approved_payments"),
    )


def attach_documents(tenders) -> list:
    """Read the public tender documents of ``tenders`` (published ones) in two queries for any
    number of tenders, onto ``tender.public_documents``; returns the tenders as a list."""
    tenders = list(tenders)
    by_tender = {t.pk: [] for t in tenders}
    if tenders:
        documents = Document.objects.filter(
            case_type=ContentType.objects.get_for_model(Tender), case_id__in=list(by_tender),
            kind=TENDER, status=Document.Status.CURRENT,
        ).prefetch_related(Prefetch("versions", queryset=DocumentVersion.objects.order_by("-number"))).order_by("created_at", "pk")
        for document in documents:
            by_tender[document.case_id].append(document)
    for tender in tenders:
        tender.public_documents = by_tender[tender.pk]
    return tenders


def tender_documents(tender, base_url: str) -> list:
    """``tender.documents``: each current tender document's latest version, published (and
    downloadable by anyone, ``procurement_portal:tender_document``) from the tender's publication
    on, or from its upload when that came later."""
    documents = getattr(tender, "public_documents", None)
    if documents is None:
        documents = attach_documents([tender])[0].public_documents
    listed = []
    for document in documents:
        version = next((v for v in document.versions.all() if v.number == document.latest_number), None)
        if version is None:
            continue
        path = reverse("procurement_portal:tender_document", args=[tender.reference, document.pk])
        listed.append({
            "id": f"{tender.reference}-D{document.pk}",
            "documentType": "biddingDocuments",
            "title": version.original_name,
            "url": (base_url or "").rstrip("/") + path,
            "datePublished": _date(max(tender.published_at, document.created_at)),
            "dateModified": _date(max(tender.published_at, version.uploaded_at)),
            "format": version.content_type,
            "language": "zh",
        })
    return listed


def _amount(value: Decimal):
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def _value(amount):
    return {"amount": _amount(amount), "currency": CURRENCY}


def _date(moment):
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def _day(day):
    return f"{day.isoformat()}T00:00:00+08:00"


def _org_id(org):
    return f"CN-USCC-{org.uscc}" if org.uscc else f"ZYZZ-ORG-{org.pk}"


def _party(org, roles):
    party = {"id": _org_id(org), "name": org.name, "roles": roles}
    if org.uscc:
        party["identifier"] = {"scheme": "CN-USCC", "id": org.uscc, "legalName": org.name}
    return party


def _ref(party):
    return {"id": party["id"], "name": party["name"]}


def build_release(tender: Tender, base_url: str | None = None) -> dict:
    """One release describing the tender as it stands now; documents' addresses start with
    ``base_url`` (the request's site; ``PROCUREMENT_PUBLIC_BASE_URL`` when None)."""
    tag, tender_status = _STATUS[tender.status]
    buyer = {"id": f"ZYZZ-DEPT-{tender.department.code}", "name": tender.department.name,
             "roles": ["buyer", "procuringEntity"]}
    parties = {buyer["id"]: buyer}
    section = {
        "id": tender.reference,
        "title": tender.name,
        "description": tender.description or tender.catalogue_item.service_standard,
        "status": tender_status,
        "value": _value(tender.amount),
        "procurementMethod": tender.method_spec["ocds"],
        "procurementMethodDetails": tender.get_method_display(),
        "mainProcurementCategory": "services",
        "items": [{
            "id": tender.catalogue_item.code,
            "description": f"{tender.catalogue_item.name}（{tender.catalogue_item.category}）",
            "unit": {"name": tender.catalogue_item.unit},
        }],
        "enquiryPeriod": {"startDate": _date(tender.published_at), "endDate": _date(tender.enquiry_end)},
        "tenderPeriod": {"startDate": _date(tender.enquiry_end), "endDate": _date(tender.tender_end)},
        "awardCriteriaDetails": "综合评分法：价格分=评标基准价/投标报价×价格权重（%s）" % tender.price_weight,
        "procuringEntity": _ref(buyer),
    }
    documents = tender_documents(tender, base_url or conf.public_base_url())
    if documents:
        section["documents"] = documents
    enquiries = _enquiries(tender)
    if enquiries:
        section["hasEnquiries"], section["enquiries"] = True, enquiries
    if not tender.sealed:
        tenderers = []
        live = getattr(tender, "live_bids", None)
        if live is None:
            live = tender.bids.filter(withdrawn_at__isnull=True).select_related("organization").order_by("submitted_at", "pk")
        for bid in live:
            party = parties.setdefault(_org_id(bid.organization), _party(bid.organization, ["tenderer"]))
            tenderers.append(_ref(party))
        section["tenderers"] = tenderers
        section["numberOfTenderers"] = len(tenderers)
    release = {
        "ocid": f"{conf.ocid_prefix()}-{tender.reference}",
        "id": f"{tender.reference}-{tender.status}-{timezone.localtime(tender.updated_at):%Y%m%d%H%M%S%f}",
        "date": _date(tender.updated_at),
        "tag": [tag],
        "initiationType": "tender",
        "language": "zh",
        "buyer": _ref(buyer),
        "tender": section,
    }
    if tender.status in Tender.AWARD_PUBLIC_STATES and tender.awarded_bid:
        bid = tender.awarded_bid
        supplier = parties.setdefault(_org_id(bid.organization), _party(bid.organization, ["tenderer"]))
        supplier["roles"] = sorted(set(supplier["roles"]) | {"supplier"})
        release["awards"] = [{
            "id": f"{tender.reference}-A1", "title": tender.name, "status": "active",
            "value": _value(bid.price), "suppliers": [_ref(supplier)],
        }]
    contract = getattr(tender, "contract", None) if tender.status in (Tender.Status.DELIVERY, Tender.Status.COMPLETED) else None
    if contract is not None:
        release["contracts"] = [_contract(tender, contract, buyer, parties[_org_id(contract.organization)])]
    release["parties"] = list(parties.values())
    return release


def _enquiries(tender) -> list:
    """The answered enquiries, oldest answer first; the author is never published."""
    answered = getattr(tender, "answered_enquiries", None)
    if answered is None:
        answered = tender.enquiries.answered().order_by("answered_at", "pk")
    return [
        {"id": f"{tender.reference}-Q{e.pk}", "date": _date(e.asked_at), "title": e.title,
         "description": e.question, "answer": e.answer, "dateAnswered": _date(e.answered_at)}
        for e in answered
    ]


def _contract(tender, contract, buyer, supplier):
    payments = getattr(contract, "approved_payments", None)
    if payments is None:
        payments = contract.payments.filter(status=Payment.Status.APPROVED).order_by("decided_at", "pk")
    return {
        "id": f"{tender.reference}-C1",
        "awardID": f"{tender.reference}-A1",
        "title": f"{tender.name}合同",
        "status": "terminated" if tender.status == Tender.Status.COMPLETED else "active",
        "period": {"startDate": _day(contract.start_date), "endDate": _day(contract.end_date)},
        "value": _value(contract.amount),
        "dateSigned": _date(contract.signed_at),
        "milestones": [
            {"id": f"M{m.pk}", "title": m.name, "dueDate": _day(m.due_date),
             "status": "met" if m.accepted_at else "scheduled", "dateMet": _date(m.accepted_at)}
            for m in contract.milestones.all()
        ],
        "implementation": {"transactions": [
            {"id": f"P{p.pk}", "date": _date(p.decided_at), "value": _value(p.amount),
             "payer": _ref(buyer), "payee": _ref(supplier)}
            for p in payments
        ]},
    }


def release_package(releases: list, uri: str) -> dict:
    return {
        "uri": uri,
        "version": "1.1",
        "publishedDate": _date(timezone.now()),
        "publisher": {"name": conf.publisher_name()},
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "extensions": [url for url, _patch in EXTENSIONS],
        "releases": releases,
    }


@lru_cache(maxsize=4)
def _validator(schema_dir: str) -> Draft4Validator:
    resources = []
    for name in ("release-package-schema.json", "release-schema.json"):
        contents = json.loads((Path(schema_dir) / name).read_text(encoding="utf-8"))
        if name == "release-schema.json":
            for _url, patch in EXTENSIONS:
                contents = merge_patch(contents, json.loads(patch.read_text(encoding="utf-8")))
        resources.append((contents["id"], Resource.from_contents(contents, default_specification=DRAFT4)))
    registry = Registry().with_resources(resources)
    package_schema = resources[0][1].contents
    return Draft4Validator(package_schema, registry=registry, format_checker=FormatChecker())


def merge_patch(target, patch):
    """JSON Merge Patch (RFC 7386), the way an OCDS extension's release-schema.json is applied
    to the release schema: objects merge key by key, ``null`` removes, anything else replaces."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def validation_errors(package: dict) -> list[str]:
    """Every schema error of a release package, as ``path: message`` lines (empty when valid)."""
    validator = _validator(str(conf.ocds_schema_dir()))
    # Round-trip through JSON so what is validated is exactly what would be published.
    data = json.loads(json.dumps(package, ensure_ascii=False))
    return [
        f"{'/'.join(str(p) for p in error.absolute_path)}: {error.message}"
        for error in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    ]
