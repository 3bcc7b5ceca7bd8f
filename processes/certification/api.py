"""API v1 of the certification process: volunteers, activities, records, requests,
certificates, disputes, and the public verification endpoints (R10, no login, throttled)."""
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from engine.api.client import ClientAddressThrottle
from engine.api.generic import DecideView, ListView, ProcessView, referenced_or_400, valid, visible_or_404
from engine.cases.actions import open_routes_for_case, task_complete
from engine.cases.errors import NotFound, RuleViolation, StateConflict
from engine.cases.serializers import BulkResultSerializer
from engine.directory import rights
from engine.directory.models import Organization

from . import conf, selectors, signing
from . import serializers as s
from .models import Activity, Attendance, Certificate, ServiceRecord, Volunteer
from .services import registry
from .services.attendance import sign_in, sign_out
from .services.certificates import certificate_revoke, certificate_verify
from .services.claims import ClaimRefused, claim_code_issue, volunteer_claim
from .services.disputes import dispute_appeal, dispute_file
from .services.reports import report_file
from .services.requests import request_create, request_withdraw
from .throttles import IdentityThrottle


def _organization(pk) -> Organization:
    return referenced_or_400(Organization.objects, "organization", _("No such organization."), pk=pk)


class _IdentityThrottled:
    """Writes that take an ID number are rate-limited (issue #16); reads are not."""

    def get_throttles(self):
        return [IdentityThrottle()] if self.request.method == "POST" else super().get_throttles()


class _CodeShown:
    # the serializer context deciding who sees a certificate's verification code (R10); a
    # comment, not a docstring, which would become the endpoints' description in the schema

    def serializer_context(self) -> dict:
        return {**super().serializer_context(), "org_ids": rights.organization_ids(self.request.user)}


class VolunteerList(_IdentityThrottled, ListView):
    """The caller's own volunteer entry, or the volunteers an organization entered (masked).
    POST registers the caller (a record of their own: an organization-entered record is
    taken over only through ``volunteers/claim/``), or an organization enters a volunteer."""

    serializer_class = s.CertVolunteerSerializer

    def visible(self, user):
        orgs = rights.organization_ids(user)
        qs = Volunteer.objects.filter(user=user) | Volunteer.objects.filter(registered_by_id__in=orgs)
        return qs.order_by("volunteer_number")

    @extend_schema(request=s.CertVolunteerCreateSerializer, responses={201: s.CertVolunteerSerializer})
    def post(self, request):
        v = dict(valid(s.CertVolunteerCreateSerializer, request))
        org = _organization(v.pop("organization")) if v.get("organization") else None
        volunteer = registry.volunteer_register(actor=request.user, organization=org,
                                                user=None if org else request.user, **v)
        return self.answer(volunteer, status=status.HTTP_201_CREATED)


class VolunteerClaim(_IdentityThrottled, ProcessView):
    """The caller takes over the record an organization entered for them, with the claim
    code it handed over (issue #16). Any refusal reads the same; wrong codes are counted."""

    serializer_class = s.CertVolunteerSerializer

    @extend_schema(request=s.CertClaimSerializer, responses=s.CertVolunteerSerializer,
                   operation_id="certification_volunteer_claim")
    def post(self, request):
        data = valid(s.CertClaimSerializer, request)
        try:
            volunteer = volunteer_claim(actor=request.user, **data)
        except ClaimRefused as exc:
            # answered here, not raised: the counted attempt must survive the request
            return Response({"code": exc.code, "detail": str(exc.message), "fields": exc.fields}, status=400)
        return self.answer(volunteer)


class VolunteerClaimCode(_IdentityThrottled, ProcessView):
    """The organization that entered a volunteer issues a one-time claim code to hand them
    (shown once; only its hash is kept)."""

    @extend_schema(request=None, responses=s.CertClaimCodeSerializer, operation_id="certification_volunteer_claim_code")
    def post(self, request, pk):
        code, claim = claim_code_issue(actor=request.user, volunteer_id=pk)
        return Response({"claim_code": code, "expires_at": claim.expires_at}, status=201)


class ActivityList(ListView):
    serializer_class = s.CertActivitySerializer

    def visible(self, user):
        if self.request.query_params.get("signin") == "open":  # R12: what a volunteer may sign in to now
            return selectors.activities_open_for_signin()
        return Activity.objects.filter(organization_id__in=rights.organization_ids(user)).select_related("organization")

    @extend_schema(request=s.CertActivitySerializer, responses={201: s.CertActivitySerializer})
    def post(self, request):
        activity = registry.activity_create(actor=request.user, **valid(s.CertActivitySerializer, request))
        return self.answer(activity, status=status.HTTP_201_CREATED)


class RecordList(_IdentityThrottled, ListView):
    """Service records the caller may see, newest first (``status`` narrows the list); POST
    enters one (throttled like every write that takes an ID number)."""

    serializer_class = s.CertRecordSerializer

    def visible(self, user):
        return selectors.records_visible_to(user).order_by("-entered_at", "-pk")

    def filter(self, queryset, params):
        return queryset.filter(status=params["status"]) if params.get("status") else queryset

    @extend_schema(request=s.CertRecordCreateSerializer, responses={201: s.CertRecordSerializer})
    def post(self, request):
        v = dict(valid(s.CertRecordCreateSerializer, request))
        # the same answer as a volunteer the organization may not reach
        volunteer = visible_or_404(Volunteer.objects, _("Volunteer not found."), pk=v.pop("volunteer"))
        record = registry.record_enter(actor=request.user, volunteer=volunteer, **v)
        return self.answer(record, status=status.HTTP_201_CREATED)


class ActivitySign(_IdentityThrottled, ProcessView):
    """Sign in or out of an activity (R12): the server stamps the time. The volunteer signs
    for themself; a manager of the organization signs for a volunteer without an account
    (``volunteer`` in the body). Sign-out returns the record made, pending approval."""

    serializer_class = s.CertAttendanceSerializer

    @extend_schema(request=s.CertSignSerializer, responses=s.CertAttendanceSerializer,
                   operation_id="certification_activity_sign")
    def post(self, request, pk, action):
        if action not in ("sign-in", "sign-out"):
            raise NotFound()
        data = valid(s.CertSignSerializer, request)
        activity = visible_or_404(Activity.objects.select_related("organization"), _("No such activity."), pk=pk)
        if data.get("volunteer"):
            volunteer = Volunteer.objects.filter(pk=data["volunteer"]).first()
        else:
            volunteer = selectors.volunteer_for(request.user)
        if volunteer is None:  # the same answer as a volunteer the organization may not reach
            raise NotFound(_("Volunteer not found."))
        id_number = data.get("id_number", "")
        if action == "sign-in":
            attendance = sign_in(actor=request.user, volunteer=volunteer, activity=activity, id_number=id_number)
            return self.answer(attendance, status=status.HTTP_201_CREATED)
        sign_out(actor=request.user, volunteer=volunteer, activity=activity, id_number=id_number)
        attendance = Attendance.objects.select_related("record__volunteer", "record__activity__organization").get(
            volunteer=volunteer, activity=activity)
        return self.answer(attendance)


class RecordBulkApprove(ProcessView):
    """Approve many pending records at once; the answer lists, record by record, what was
    approved and why not (200 even when some were refused)."""

    @extend_schema(request=s.CertBulkApproveSerializer, responses=BulkResultSerializer,
                   operation_id="certification_records_bulk_approve")
    def post(self, request):
        data = valid(s.CertBulkApproveSerializer, request)
        outcomes = registry.records_approve(actor=request.user, record_ids=data["records"], reason=data["reason"])
        done = sum(1 for o in outcomes if o.ok)
        return Response({"done": done, "failed": len(outcomes) - done, "results": [o.as_dict() for o in outcomes]})


class RecordAction(ProcessView):
    """submit | approve | deny | delete a record (deny and delete need a reason)."""

    serializer_class = s.CertRecordSerializer

    @extend_schema(request=s.CertReasonSerializer, responses=s.CertRecordSerializer,
                   operation_id="certification_records_action")
    def post(self, request, pk, action):
        reason = valid(s.CertReasonSerializer, request)["reason"]
        if action == "submit":
            record = registry.record_submit(actor=request.user, record_id=pk)
        elif action == "approve":
            record = registry.record_approve(actor=request.user, record_id=pk, reason=reason)
        elif action == "deny":
            record = registry.record_deny(actor=request.user, record_id=pk, reason=reason)
        elif action == "delete":
            record = registry.record_delete(actor=request.user, record_id=pk, reason=reason)
        else:
            raise NotFound()
        return self.answer(record)


class Me(_CodeShown, ProcessView):
    """The volunteer's own view (R5): hours, stars, records, requests, certificates, disputes."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        volunteer = selectors.volunteer_for(request.user)
        if volunteer is None:
            raise NotFound(_("You are not registered as a volunteer yet."))
        o = selectors.volunteer_overview(volunteer)
        context = self.serializer_context()
        return Response({
            "volunteer": s.CertVolunteerSerializer(volunteer, context=context).data,
            "approved_hours": f"{o['hours']:.2f}", "stars": o["stars"],
            "next_threshold": str(o["next_threshold"]) if o["next_threshold"] is not None else None,
            "records": s.CertRecordSerializer(o["records"], many=True).data,
            "requests": s.CertRequestSerializer(o["requests"], many=True).data,
            "certificates": s.CertCertificateSerializer(o["certificates"], many=True, context=context).data,
            "disputes": s.CertDisputeSerializer(o["disputes"], many=True).data,
        })


class _Requests:
    serializer_class = s.CertRequestSerializer

    def visible(self, user):
        return selectors.requests_visible_to(user)


class _Disputes:
    serializer_class = s.CertDisputeSerializer

    def visible(self, user):
        return selectors.disputes_visible_to(user)


class _OpenStepDecide(DecideView):
    decision_serializer = s.CertDecideSerializer

    def decide(self, target, data):
        route = open_routes_for_case(target).first()
        if route is None:
            raise StateConflict(_("This case has no open step."))
        task_complete(actor=self.request.user, task_id=route.pk, decision=data["decision"], reason=data["reason"],
                      data=data["data"])
        target.refresh_from_db()
        return target


class _PartyStep(ProcessView):
    # the party's own step on a case it may see, with a reason: withdraw a request, appeal a
    # dispute's decision; ``step`` is the service
    step = None

    def post(self, request, reference):
        visible_or_404(self.visible(request.user), reference=reference)
        reason = valid(s.CertReasonSerializer, request)["reason"]
        return self.answer(self.step(actor=request.user, reference=reference, reason=reason))


class RequestList(_Requests, ListView):
    def visible(self, user):
        return super().visible(user).prefetch_related("certificates").order_by("-created_at")

    @extend_schema(request=s.CertRequestCreateSerializer, responses={201: s.CertRequestSerializer})
    def post(self, request):
        v = valid(s.CertRequestCreateSerializer, request)
        if v.get("volunteer"):
            volunteer = Volunteer.objects.filter(pk=v["volunteer"]).first()
        else:
            volunteer = selectors.volunteer_for(request.user)
        if volunteer is None:
            raise RuleViolation(_("No such volunteer."), fields={"volunteer": [_("No such volunteer.")]})
        case = request_create(actor=request.user, volunteer=volunteer, organization=_organization(v["organization"]),
                              record_ids=v.get("records"), purpose=v["purpose"],
                              seal_requested=v["seal_requested"], include_training=v["include_training"],
                              include_evaluation=v["include_evaluation"], include_honours=v["include_honours"])
        return self.answer(case, status=status.HTTP_201_CREATED)


class RequestDetail(_Requests, ProcessView):
    @extend_schema(responses=s.CertRequestSerializer)
    def get(self, request, reference):
        return self.answer(visible_or_404(self.visible(request.user), reference=reference))


class RequestDecide(_Requests, _OpenStepDecide):
    """Work the open step (verify: issue | refuse; seal: seal) as the handling organization."""


@extend_schema_view(post=extend_schema(request=s.CertReasonSerializer, responses=s.CertRequestSerializer))
class RequestWithdraw(_Requests, _PartyStep):
    step = staticmethod(request_withdraw)


class CertificateList(_CodeShown, ListView):
    serializer_class = s.CertCertificateSerializer

    def visible(self, user):
        return selectors.certificates_visible_to(user).order_by("-issued_at", "-pk")


class CertificateDetail(_CodeShown, ProcessView):
    serializer_class = s.CertCertificateSerializer

    @extend_schema(responses=s.CertCertificateSerializer)
    def get(self, request, number):
        return self.answer(visible_or_404(selectors.certificates_visible_to(request.user), number=number))


class CertificateRevoke(_CodeShown, ProcessView):
    serializer_class = s.CertCertificateSerializer

    @extend_schema(request=s.CertReasonSerializer, responses=s.CertCertificateSerializer)
    def post(self, request, number):
        reason = valid(s.CertReasonSerializer, request)["reason"]
        return self.answer(certificate_revoke(actor=request.user, number=number, reason=reason))


class DisputeList(_Disputes, ListView):
    def visible(self, user):
        return super().visible(user).order_by("-created_at")

    @extend_schema(request=s.CertDisputeCreateSerializer, responses={201: s.CertDisputeSerializer})
    def post(self, request):
        v = valid(s.CertDisputeCreateSerializer, request)
        record = ServiceRecord.objects.filter(pk=v["record"]).first() if v.get("record") else None
        cert = Certificate.objects.filter(number=v["certificate"]).first() if v.get("certificate") else None
        if (v.get("record") and record is None) or (v.get("certificate") and cert is None):
            raise NotFound(_("No such record or certificate."))
        case = dispute_file(actor=request.user, record=record, certificate=cert, claim=v["claim"],
                            claimed_hours=v.get("claimed_hours"))
        return self.answer(case, status=status.HTTP_201_CREATED)


class DisputeDecide(_Disputes, _OpenStepDecide):
    """Organizer or supervisor review: uphold (data.hours or data.corrections) | refuse."""


@extend_schema_view(post=extend_schema(request=s.CertReasonSerializer, responses=s.CertDisputeSerializer))
class DisputeAppeal(_Disputes, _PartyStep):
    step = staticmethod(dispute_appeal)


class Verify(APIView):
    """Public (R10): number + code → valid / revoked / superseded / invalid, issuer, hours,
    masked name; a wrong code and an unknown number both give "not_found"."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ClientAddressThrottle]
    throttle_scope = "public_verify"

    def _answer(self, params):
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
            "canonical_form": _("JSON, sorted keys, no spaces, UTF-8; fields in signed_content: number, "
                                "issued_at, volunteer, issuer, recording_organization, total_hours, records, "
                                "sealed, key_id"),
            "how_to_verify": _("The holder takes signed_content (the text the signature covers) and signature "
                               "(Base64) from the certificate endpoint and verifies the UTF-8 bytes of "
                               "signed_content with this public key by Ed25519; key_id names the key used."),
        })


class Report(APIView):
    """A third party reports a certificate that failed verification (→ the civil affairs bureau's queue)."""

    permission_classes = [AllowAny]
    throttle_classes = [ClientAddressThrottle]
    throttle_scope = "public_verify"

    @extend_schema(request=s.CertReportSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request):
        data = valid(s.CertReportSerializer, request)
        case = report_file(actor=request.user if request.user.is_authenticated else None, **data)
        return Response({"reference": case.reference, "status": case.status}, status=201)
