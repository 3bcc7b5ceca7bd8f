"""The engine's API base (engine/api/generic.py): one paginated list, one decide endpoint,
visible-or-404, referenced-or-400 and the body check, driven through small views over
organizations, and the schema each base writes for the real endpoints."""
import pytest
from django.db import transaction
from django.http import QueryDict
from rest_framework import serializers
from rest_framework.test import APIClient, APIRequestFactory, force_authenticate

from engine.api.generic import (
    DecideView,
    DecisionSerializer,
    ListView,
    ProcessView,
    decision_choices,
    referenced_or_400,
    valid,
)
from engine.cases.steps import Decision
from engine.directory.models import Organization
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


class OrganizationShape(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name", "registered"]


class RegisteredOnly:
    """The organizations "the caller may see" in these tests: the registered ones."""

    serializer_class = OrganizationShape

    def visible(self, user):
        return Organization.objects.filter(registered=True).order_by("pk")


class Organizations(RegisteredOnly, ListView):
    def filter(self, queryset, params):
        return queryset.filter(name__contains=params["q"]) if params.get("q") else queryset


class NameBody(serializers.Serializer):
    name = serializers.CharField(max_length=10)


class Rename(ProcessView):
    def post(self, request):
        data = valid(NameBody, request)
        organization = referenced_or_400(Organization.objects, "organization", "组织不存在。",
                                         pk=request.query_params["pk"])
        organization.name = data["name"]
        return self.answer(organization, serializer_class=OrganizationShape, status=201)


class Deregister(RegisteredOnly, DecideView):
    lookup_field = "pk"
    not_found = "组织不存在。"
    decided = []

    def decide(self, target, data):
        self.decided.append((target.pk, data["decision"], data["reason"]))
        Organization.objects.filter(pk=target.pk).update(registered=data["decision"] != "deregister")
        target.refresh_from_db()
        return target


class Verdict(DecisionSerializer):
    # a decide body with an older yes/no field, as nominations' {approve, reason}
    decision = serializers.ChoiceField(choices=[("keep", "保留"), ("drop", "删除")])
    keep = serializers.BooleanField(required=False)
    old_flag = ("keep", "keep", "drop")


class WrittenVerdict(Verdict):
    # ... whose older body carried the written text in ``decision``, as complaints' {upheld, decision}
    reason = serializers.CharField()
    old_text_in_decision = True


def checked(serializer_class, data):
    serializer = serializer_class(data=data)
    return dict(serializer.validated_data) if serializer.is_valid() else serializer.errors


def call(view, method, path, user, data=None, **kwargs):
    request = getattr(APIRequestFactory(), method)(path, data, format="json")
    force_authenticate(request, user=user)
    with transaction.atomic():  # an error answer rolls back this block, as a request's own
        return view.as_view()(request, **kwargs)


@pytest.fixture
def user():
    return UserFactory()


def test_list_pages_what_the_caller_may_see_narrowed_by_the_query(user):
    shown = [OrganizationFactory(name=f"阳光{n}") for n in range(3)]
    OrganizationFactory(name="阳光未登记", registered=False)
    OrganizationFactory(name="星火")

    page = call(Organizations, "get", "/x/?q=阳光&page_size=2", user)
    assert page.status_code == 200
    assert page.data["count"] == 3
    assert [row["id"] for row in page.data["results"]] == [o.pk for o in shown[:2]]
    assert page.data["next"] is not None

    refused = call(Organizations, "get", "/x/?page_size=0", user)
    assert refused.status_code == 400
    assert refused.data["code"] == "invalid" and "page_size" in refused.data["fields"]


def test_body_check_and_reference_answer_400_on_the_field(user):
    organization = OrganizationFactory()
    too_long = call(Rename, "post", f"/x/?pk={organization.pk}", user, {"name": "x" * 11})
    assert too_long.status_code == 400 and "name" in too_long.data["fields"]

    missing = call(Rename, "post", "/x/?pk=0", user, {"name": "新名称"})
    assert missing.status_code == 400
    assert missing.data["fields"] == {"organization": ["组织不存在。"]}

    renamed = call(Rename, "post", f"/x/?pk={organization.pk}", user, {"name": "新名称"})
    assert renamed.status_code == 201 and renamed.data["name"] == "新名称"


def test_decide_checks_the_body_then_finds_the_visible_object_then_answers_its_new_state(user):
    Deregister.decided.clear()
    hidden = OrganizationFactory(registered=False)
    target = OrganizationFactory()

    assert call(Deregister, "post", "/x/", user, {"reason": "无"}, pk=target.pk).status_code == 400
    assert call(Deregister, "post", "/x/", user, {}, pk=hidden.pk).status_code == 400  # the body first
    not_found = call(Deregister, "post", "/x/", user, {"decision": "deregister"}, pk=hidden.pk)
    assert not_found.status_code == 404
    assert not_found.data == {"code": "not_found", "detail": "组织不存在。"}
    assert Deregister.decided == []

    decided = call(Deregister, "post", "/x/", user, {"decision": "deregister", "reason": "停止活动"}, pk=target.pk)
    assert decided.status_code == 200
    assert decided.data == {"id": target.pk, "name": target.name, "registered": False}
    assert Deregister.decided == [(target.pk, "deregister", "停止活动")]


def test_the_bases_document_their_operations(user):
    client = APIClient()
    client.force_authenticate(user)
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    paths = schema["paths"]
    tenders = paths["/api/v1/procurement/tenders/"]["get"]
    assert tenders["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/PaginatedTenderList")
    assert {"page", "page_size"} <= {p["name"] for p in tenders["parameters"]}
    for path, body, answer in (
        ("/api/v1/certification/disputes/{reference}/decide/", "CertDecide", "CertDispute"),
        ("/api/v1/incubation/nominations/{id}/decide/", "NominationDecide", "Nomination"),
        ("/api/v1/procurement/complaints/{id}/decide/", "ComplaintDecide", "Complaint"),
    ):
        decide = paths[path]["post"]
        assert decide["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(f"/{body}")
        assert decide["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(f"/{answer}")
    # one shape: decision, a choice of the declared decisions, and reason; the older fields deprecated
    components = schema["components"]["schemas"]
    for body, choices, old in (("CertDecide", ["issue", "refuse", "seal", "uphold"], None),
                               ("NominationDecide", ["approve", "reject"], "approve"),
                               ("ComplaintDecide", ["uphold", "dismiss"], "upheld")):
        properties = components[body]["properties"]
        assert {"decision", "reason"} <= set(properties) and "decision" in components[body]["required"]
        assert components[f"{body}DecisionEnum"]["enum"] == choices
        deprecated = {name for name, field in properties.items() if field.get("deprecated")}
        assert deprecated == ({old} if old else set())


def test_an_older_body_is_read_as_decision_and_reason():
    assert checked(Verdict, {"decision": "drop", "reason": "重复"}) == {"decision": "drop", "reason": "重复"}
    assert checked(Verdict, {"keep": True}) == {"decision": "keep", "reason": ""}
    assert checked(Verdict, {"keep": False, "decision": "drop"}) == {"decision": "drop", "reason": ""}
    assert checked(Verdict, QueryDict("keep=false&reason=重复")) == {"decision": "drop", "reason": "重复"}
    assert checked(Verdict, QueryDict("decision=keep")) == {"decision": "keep", "reason": ""}
    assert checked(WrittenVerdict, {"keep": False, "decision": "重复登记"}) == {"decision": "drop", "reason": "重复登记"}
    assert checked(WrittenVerdict, {"keep": True, "decision": "keep", "reason": "仍在活动"}) == {
        "decision": "keep", "reason": "仍在活动"}


def test_an_older_body_that_disagrees_or_names_no_choice_is_refused_on_the_field():
    assert list(checked(Verdict, {"keep": True, "decision": "drop"})) == ["keep"]
    assert "不一致" in str(checked(Verdict, {"keep": True, "decision": "drop"})["keep"][0])
    assert list(checked(Verdict, {"keep": True, "decision": "archive"})) == ["decision"]
    assert list(checked(Verdict, {"decision": "archive"})) == ["decision"]
    assert list(checked(Verdict, {"keep": "perhaps"})) == ["keep"]
    assert list(checked(WrittenVerdict, {"keep": True, "decision": "仍在活动", "reason": "另一段"})) == ["reason"]
    assert list(checked(WrittenVerdict, {"keep": True, "decision": 7, "reason": "x"})) == ["decision"]


def test_decision_choices_are_the_steps_declared_decisions_each_once():
    class Step:
        def __init__(self, **decisions):
            self.decisions = decisions

    verify = Step(issue=Decision("出具", "x.issue"), refuse=Decision("不予出具", "x.refuse"))
    review = Step(uphold=Decision("成立", "x.uphold"), refuse=Decision("不予更正", "x.refuse"))
    choices = [(code, str(label)) for code, label in decision_choices(verify, review)]
    assert choices == [("issue", "出具"), ("refuse", "不予出具 / 不予更正"), ("uphold", "成立")]
