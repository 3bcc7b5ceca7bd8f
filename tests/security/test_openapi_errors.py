"""The OpenAPI schema documents the error answers through one shared component and the
fields that may be null as nullable."""
import pytest
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_one_error_component_with_code_and_detail(schema):
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["code", "detail"]
    assert set(error["properties"]) == {"code", "detail", "fields"}


@pytest.mark.parametrize("status", ["400", "401", "403", "404", "409", "429"])
def test_every_operation_documents_each_error_status(schema, status):
    missing = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            answer = operation["responses"].get(status)
            if answer is None:
                missing.append(f"{method.upper()} {path}")
            elif "$ref" in answer:
                target = schema["components"]["responses"][answer["$ref"].rsplit("/", 1)[1]]
                assert target["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    assert missing == []


def test_an_operation_keeps_its_own_documented_answer(schema):
    """Public verification answers 404 with its own body (result: not_found), not an Error."""
    verify = schema["paths"]["/api/v1/certification/verify/"]["get"]["responses"]["404"]
    assert "$ref" not in verify


@pytest.mark.parametrize(("component", "field"), [
    ("Department", "parent"), ("Department", "district"),
    ("Organization", "successor"), ("Organization", "district"),
    ("Task", "owner"), ("Task", "delegate"),
    ("Membership", "department"), ("Membership", "department_name"),
    ("CertVolunteer", "district"), ("CertCertificate", "superseded_by"),
    ("CertRequest", "handling_organization_name"), ("CertDispute", "certificate"),
])
def test_fields_that_can_be_null_are_nullable(schema, component, field):
    prop = schema["components"]["schemas"][component]["properties"][field]
    assert prop.get("nullable") is True, prop


def test_mark_read_documents_its_answer_not_its_request(schema):
    answer = schema["paths"]["/api/v1/notifications/read/"]["post"]["responses"]["200"]
    ref = answer["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert set(schema["components"]["schemas"][ref]["properties"]) == {"marked"}


def test_token_endpoint_documents_the_expiry(schema):
    answer = schema["paths"]["/api/v1/auth/token/"]["post"]["responses"]["200"]
    ref = answer["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert set(schema["components"]["schemas"][ref]["properties"]) == {"token", "expires_at"}
