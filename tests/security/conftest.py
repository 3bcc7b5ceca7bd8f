# The browser fixtures of tests/e2e, for the content-security-policy check in a real browser.
from tests.e2e.conftest import browser_page, demo_data  # noqa: F401
