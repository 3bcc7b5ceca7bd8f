"""API v1 of the certification process: volunteers, activities, records, requests,
certificates, disputes, and the public verification endpoints (R10, no login, throttled)."""
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from engine.api.client import ClientAddressThrottle
from engine.cases.actions import open_routes_for_case, task_complete
from engine.cases.errors import NotFound, RuleViolation, StateConflict
from engine.directory import rights
from engine.directory.models import Organization

from . import conf, selectors, signing
from . import serializers as s
from .models import Activity, Certificate, ServiceRecord, Volunteer
from .services.claims import ClaimRefused, claim_code_issue, volunteer_claim
from .throttles import IdentityThrottle


def _page(view, request, qs, serializer, **ctx):
    paginator = view.paginator
    page = paginator.paginate_queryset(qs, request, view=view)
    return paginator.get_paginated_response(serializer(page, many=True, context=ctx).data)


class _Paged(APIView):
    from engine.api.pagination import Pagination as pagination_class

    @property
    def paginator(self):
        if not hasattr(self, "_paginator"):
            self._paginator = self.pagination_class()
        return self._paginator


def _reason(request) -> str:
    """The body's reason, checked as text (a list or a NUL character is a 400, not a 500)."""
    data = s.CertReasonSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    return data.validated_data["reason"]


def _code_ctx(user) -> dict:
    """Serializer context deciding who sees a certificate's verification code (R10)."""
    return {"user": user, "org_ids": rights.organization_ids(user)}


def _org(pk) -> Organization:
    org = Organization.objects.filter(pk=pk).first()
    if org is None:
        raise RuleViolation("组织不存在。", fields={"organization": ["组织不存在。"]})
    return org


class _IdentityThrottled:
    """Writes that take an ID number are rate-limited (issue #16); reads are not."""

    def get_throttles(self):
        return [IdentityThrottle()] if self.request.method == "POST" else super().get_throttles()


class VolunteerList(_IdentityThrottled, _Paged):
    """The caller's own volunteer entry, or the volunteers an organization entered (masked).
    POST registers the caller (a record of their own: an organization-entered record is
    taken over only through ``volunteers/claim/``), or an organization enters a volunteer."""

    @extend_schema(responses=s.CertVolunteerSerializer(many=True))
    def get(self, request):
        orgs = rights.organization_ids(request.user)
        qs = Volunteer.objects.filter(user=request.user) | Volunteer.objects.filter(registered_by_id__in=orgs)
        return _page(self, request, qs.order_by("volunteer_number"), s.CertVolunteerSerializer, user=request.user)

    @extend_schema(request=s.CertVolunteerCreateSerializer, responses={201: s.CertVolunteerSerializer})
    def post(self, request):
        from .services.registry import volunteer_register

        data = s.CertVolunteerCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        org = _org(v.pop("organization")) if v.get("organization") else None
        volunteer = volunteer_register(actor=request.user, organization=org,
                                       user=None if org else request.user, **v)
        return Response(s.CertVolunteerSerializer(volunteer, context={"user": request.user}).data, status=201)


class VolunteerClaim(_IdentityThrottled, APIView):
    """The caller takes over the record an organization entered for them, with the claim
    code it handed over (issue #16). Any refusal reads the same; wrong codes are counted."""

    @extend_schema(request=s.CertClaimSerializer, responses=s.CertVolunteerSerializer,
                   operation_id="certification_volunteer_claim")
    def post(self, request):
        data = s.CertClaimSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            volunteer = volunteer_claim(actor=request.user, **data.validated_data)
        except ClaimRefused as exc:
            # answered here, not raised: the counted attempt must survive the request
            return Response({"code": exc.code, "detail": str(exc.message), "fields": exc.fields}, status=400)
        return Response(s.CertVolunteerSerializer(volunteer, context={"user": request.user}).data)


class VolunteerClaimCode(_IdentityThrottled, APIView):
    """The organization that entered a volunteer issues a one-time claim code to hand them
    (shown once; only its hash is kept)."""

    @extend_schema(request=None, responses=s.CertClaimCodeSerializer, operation_id="certification_volunteer_claim_code")
    def post(self, request, pk):
        code, claim = claim_code_issue(actor=request.user, volunteer_id=pk)
        return Response({"claim_code": code, "expires_at": claim.expires_at}, status=201)


class ActivityList(_Paged):
    @extend_schema(responses=s.CertActivitySerializer(many=True))
    def get(self, request):
        if request.query_params.get("signin") == "open":  # R12: what a volunteer may sign in to now
            return _page(self, request, selectors.activities_open_for_signin(), s.CertActivitySerializer)
        qs = Activity.objects.filter(organization_id__in=rights.organization_ids(request.user))
        return _page(self, request, qs.select_related("organization"), s.CertActivitySerializer)

    @extend_schema(request=s.CertActivitySerializer, responses={201: s.CertActivitySerializer})
    def post(self, request):
        from .services.registry import activity_create

        data = s.CertActivitySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        activity = activity_create(actor=request.user, **data.validated_data)
        return Response(s.CertActivitySerializer(activity).data, status=201)


class RecordList(_IdentityThrottled, _Paged):
    @extend_schema(responses=s.CertRecordSerializer(many=True))
    def get(self, request):
        qs = selectors.records_visible_to(request.user).order_by("-entered_at", "-pk")
        if request.query_params.get("status"):
            qs = qs.filter(status=request.query_params["status"])
        return _page(self, request, qs, s.CertRecordSerializer)

    @extend_schema(request=s.CertRecordCreateSerializer, responses={201: s.CertRecordSerializer})
    def post(self, request):
        from .services.registry import record_enter

        data = s.CertRecordCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        volunteer = Volunteer.objects.filter(pk=v.pop("volunteer")).first()
        if volunteer is None:  # the same answer as a volunteer the organization may not reach
            raise NotFound("找不到该志愿者。")
        record = record_enter(actor=request.user, volunteer=volunteer, **v)
        return Response(s.CertRecordSerializer(record).data, status=201)


class ActivitySign(_IdentityThrottled, APIView):
    """Sign in or out of an activity (R12): the server stamps the time. The volunteer signs
    for themself; a manager of the organization signs for a volunteer without an account
    (``volunteer`` in the body). Sign-out returns the record made, pending approval."""

    @extend_schema(request=s.CertSignSerializer, responses=s.CertAttendanceSerializer,
                   operation_id="certification_activity_sign")
    def post(self, request, pk, action):
        from .models import Attendance
        from .services.attendance import sign_in, sign_out

        if action not in ("sign-in", "sign-out"):
            raise NotFound()
        data = s.CertSignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        activity = Activity.objects.filter(pk=pk).select_related("organization").first()
        if activity is None:
            raise NotFound("活动不存在。")
        if data.validated_data.get("volunteer"):
            volunteer = Volunteer.objects.filter(pk=data.validated_data["volunteer"]).first()
        else:
            volunteer = selectors.volunteer_for(request.user)
        if volunteer is None:  # the same answer as a volunteer the organization may not reach
            raise NotFound("找不到该志愿者。")
        id_number = data.validated_data.get("id_number", "")
        if action == "sign-in":
            attendance = sign_in(actor=request.user, volunteer=volunteer, activity=activity, id_number=id_number)
            return Response(s.CertAttendanceSerializer(attendance).data, status=201)
        sign_out(actor=request.user, volunteer=volunteer, activity=activity, id_number=id_number)
        attendance = Attendance.objects.select_related("record__volunteer", "record__activity__organization").get(
            volunteer=volunteer, activity=activity)
        return Response(s.CertAttendanceSerializer(attendance).data)


class RecordAction(APIView):
    """submit | approve | deny | delete a record (deny and delete need a reason)."""

    @extend_schema(request=s.CertReasonSerializer, responses=s.CertRecordSerializer,
                   operation_id="certification_records_action")
    def post(self, request, pk, action):
        from .services import registry

        reason = s.CertReasonSerializer(data=request.data)
        reason.is_valid(raise_exception=True)
        r = reason.validated_data["reason"]
        if action == "submit":
            record = registry.record_submit(actor=request.user, record_id=pk)
        elif action == "approve":
            record = registry.record_approve(actor=request.user, record_id=pk, reason=r)
        elif action == "deny":
            record = registry.record_deny(actor=request.user, record_id=pk, reason=r)
        elif action == "delete":
            record = registry.record_delete(actor=request.user, record_id=pk, reason=r)
        else:
            raise NotFound()
        return Response(s.CertRecordSerializer(record).data)


class Me(APIView):
    """The volunteer's own view (R5): hours, stars, records, requests, certificates, disputes."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        volunteer = selectors.volunteer_for(request.user)
        if volunteer is None:
            raise NotFound("您尚未登记为志愿者。")
        o = selectors.volunteer_overview(volunteer)
        return Response({
            "volunteer": s.CertVolunteerSerializer(volunteer, context={"user": request.user}).data,
            "approved_hours": f"{o['hours']:.2f}", "stars": o["stars"],
            "next_threshold": str(o["next_threshold"]) if o["next_threshold"] is not None else None,
            "records": s.CertRecordSerializer(o["records"], many=True).data,
            "requests": s.CertRequestSerializer(o["requests"], many=True).data,
            "certificates": s.CertCertificateSerializer(o["certificates"], many=True,
                                                        context=_code_ctx(request.user)).data,
            "disputes": s.CertDisputeSerializer(o["disputes"], many=True).data,
        })


class RequestList(_Paged):
    @extend_schema(responses=s.CertRequestSerializer(many=True))
    def get(self, request):
        qs = selectors.requests_visible_to(request.user).prefetch_related("certificates").order_by("-created_at")
        return _page(self, request, qs, s.CertRequestSerializer)

    @extend_schema(request=s.CertRequestCreateSerializer, responses={201: s.CertRequestSerializer})
    def post(self, request):
        from .services.requests import request_create

        data = s.CertRequestCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        if v.get("volunteer"):
            volunteer = Volunteer.objects.filter(pk=v["volunteer"]).first()
        else:
            volunteer = selectors.volunteer_for(request.user)
        if volunteer is None:
            raise RuleViolation("志愿者不存在。", fields={"volunteer": ["志愿者不存在。"]})
        case = request_create(actor=request.user, volunteer=volunteer, organization=_org(v["organization"]),
                              record_ids=v.get("records"), purpose=v["purpose"],
                              seal_requested=v["seal_requested"], include_training=v["include_training"],
                              include_evaluation=v["include_evaluation"])
        return Response(s.CertRequestSerializer(case).data, status=201)


def _visible_case(qs, reference):
    case = qs.filter(reference=reference).first()
    if case is None:
        raise NotFound()
    return case


def _decide(request, case):
    data = s.CertDecideSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    route = open_routes_for_case(case).first()
    if route is None:
        raise StateConflict("该案件没有待办理的环节。")
    v = data.validated_data
    task_complete(actor=request.user, task_id=route.pk, decision=v["decision"], reason=v["reason"], data=v["data"])
    case.refresh_from_db()
    return case


class RequestDetail(APIView):
    @extend_schema(responses=s.CertRequestSerializer)
    def get(self, request, reference):
        return Response(s.CertRequestSerializer(_visible_case(selectors.requests_visible_to(request.user), reference)).data)


class RequestDecide(APIView):
    """Work the open step (verify: issue | refuse; seal: seal) as the handling organization."""

    @extend_schema(request=s.CertDecideSerializer, responses=s.CertRequestSerializer)
    def post(self, request, reference):
        case = _visible_case(selectors.requests_visible_to(request.user), reference)
        return Response(s.CertRequestSerializer(_decide(request, case)).data)


class RequestWithdraw(APIView):
    @extend_schema(request=s.CertReasonSerializer, responses=s.CertRequestSerializer)
    def post(self, request, reference):
        from .services.requests import request_withdraw

        _visible_case(selectors.requests_visible_to(request.user), reference)
        case = request_withdraw(actor=request.user, reference=reference, reason=_reason(request))
        return Response(s.CertRequestSerializer(case).data)


class CertificateList(_Paged):
    @extend_schema(responses=s.CertCertificateSerializer(many=True))
    def get(self, request):
        qs = selectors.certificates_visible_to(request.user).order_by("-issued_at", "-pk")
        return _page(self, request, qs, s.CertCertificateSerializer, **_code_ctx(request.user))


class CertificateDetail(APIView):
    @extend_schema(responses=s.CertCertificateSerializer)
    def get(self, request, number):
        cert = get_object_or_404(selectors.certificates_visible_to(request.user), number=number)
        return Response(s.CertCertificateSerializer(cert, context=_code_ctx(request.user)).data)


class CertificateRevoke(APIView):
    @extend_schema(request=s.CertReasonSerializer, responses=s.CertCertificateSerializer)
    def post(self, request, number):
        from .services.certificates import certificate_revoke

        cert = certificate_revoke(actor=request.user, number=number, reason=_reason(request))
        return Response(s.CertCertificateSerializer(cert, context=_code_ctx(request.user)).data)


class DisputeList(_Paged):
    @extend_schema(responses=s.CertDisputeSerializer(many=True))
    def get(self, request):
        qs = selectors.disputes_visible_to(request.user).order_by("-created_at")
        return _page(self, request, qs, s.CertDisputeSerializer)

    @extend_schema(request=s.CertDisputeCreateSerializer, responses={201: s.CertDisputeSerializer})
    def post(self, request):
        from .services.disputes import dispute_file

        data = s.CertDisputeCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        record = ServiceRecord.objects.filter(pk=v["record"]).first() if v.get("record") else None
        cert = Certificate.objects.filter(number=v["certificate"]).first() if v.get("certificate") else None
        if (v.get("record") and record is None) or (v.get("certificate") and cert is None):
            raise NotFound("记录或证明不存在。")
        case = dispute_file(actor=request.user, record=record, certificate=cert, claim=v["claim"],
                            claimed_hours=v.get("claimed_hours"))
        return Response(s.CertDisputeSerializer(case).data, status=201)


class DisputeDecide(APIView):
    """Organizer or supervisor review: uphold (data.hours or data.corrections) | refuse."""

    @extend_schema(request=s.CertDecideSerializer, responses=s.CertDisputeSerializer)
    def post(self, request, reference):
        case = _visible_case(selectors.disputes_visible_to(request.user), reference)
        return Response(s.CertDisputeSerializer(_decide(request, case)).data)


class DisputeAppeal(APIView):
    @extend_schema(request=s.CertReasonSerializer, responses=s.CertDisputeSerializer)
    def post(self, request, reference):
        from .services.disputes import dispute_appeal

        _visible_case(selectors.disputes_visible_to(request.user), reference)
        case = dispute_appeal(actor=request.user, reference=reference, reason=_reason(request))
        return Response(s.CertDisputeSerializer(case).data)


class Verify(APIView):
    """Public (R10): number + code → valid / revoked / superseded / invalid, issuer, hours,
    masked name; a wrong code and an unknown number both give "not_found"."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ClientAddressThrottle]
    throttle_scope = "public_verify"

    def _answer(self, params):
        from .services.certificates import certificate_verify

        data = s.CertVerifySerializer(data=params)
        data.is_valid(raise_exception=True)
        result = certificate_verify(**data.validated_data)
        return Response(result, status=status.HTTP_404_NOT_FOUND if result["result"] == "not_found" else 200)

    @extend_schema(parameters=[s.CertVerifySerializer],
                   responses={200: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT})
    def get(self, request):
        return self._answer(request.query_params)

    @extend_schema(request=s.CertVerifySerializer,
                   responses={200: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT})
    def post(self, request):
        return self._answer(request.data)


class PublicKey(APIView):
    """The Ed25519 public key, so anyone can check a certificate's signature offline (R10)."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        return Response({
            "algorithm": "Ed25519", "key_id": signing.key_id(), "public_key_pem": signing.public_key_pem(),
            "previous_keys": conf.previous_public_keys(),
            "canonical_form": "JSON，键排序，无空格，UTF-8；字段见 signed_content：number, issued_at, volunteer, "
                              "issuer, recording_organization, total_hours, records, sealed, key_id",
            "how_to_verify": "持证人从证明接口取得 signed_content（即签名所覆盖的文本）与 signature（Base64），"
                             "用本公钥按 Ed25519 验证 signed_content 的 UTF-8 字节；key_id 指明所用密钥。",
        })


class Report(APIView):
    """A third party reports a certificate that failed verification (→ 民政局's queue)."""

    permission_classes = [AllowAny]
    throttle_classes = [ClientAddressThrottle]
    throttle_scope = "public_verify"

    @extend_schema(request=s.CertReportSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request):
        from .services.reports import report_file

        data = s.CertReportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = report_file(actor=request.user if request.user.is_authenticated else None, **data.validated_data)
        return Response({"reference": case.reference, "status": case.status}, status=201)
