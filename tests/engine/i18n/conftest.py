import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    """A request with English chosen leaves English active in this thread (the middleware
    activates, nothing deactivates): later tests expect the default, Chinese."""
    yield
    translation.deactivate()
