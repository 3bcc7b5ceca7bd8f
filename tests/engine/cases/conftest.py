import pytest

from engine.directory.models import Department
from tests.example.services import example_create
from tests.factories import member


@pytest.fixture
def base_people(db):
    """Staff, two reviewers and the head of the city incubation base."""
    return {
        "staff": member("base-city", "staff", username="ex_staff"),
        "reviewer": member("base-city", "reviewer", username="ex_reviewer"),
        "reviewer2": member("base-city", "reviewer", username="ex_reviewer2"),
        "head": member("base-city", "head", username="ex_head"),
        "other_district": member("mca-erqi", "staff", username="ex_erqi"),
    }


@pytest.fixture
def example_case(base_people):
    return example_create(
        actor=base_people["staff"], department=Department.objects.get(code="base-city"), subject="测试事项"
    )
