"""R10: a repeat verification is answered from the cache, and the answer changes as soon as a
revocation or reissue commits, never before, and never back to the old one."""
import pytest
from django.core.cache import cache
from django.db import transaction

from engine.cases.actions import task_complete
from processes.certification.services import certificates
from processes.certification.services.certificates import certificate_revoke, certificate_verify
from processes.certification.services.disputes import dispute_file

from .test_verification import certificate, open_route  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def caching(settings):
    settings.CERT_VERIFY_CACHE_SECONDS = 300
    cache.clear()


def verify(cert, code=None):
    return certificate_verify(number=cert.number, code=code or cert.verification_code)


def test_repeat_verification_is_one_cache_read(certificate, django_assert_num_queries):  # noqa: F811
    first = verify(certificate)
    assert first["result"] == "valid"
    with django_assert_num_queries(0):
        assert verify(certificate) == first


def test_revocation_changes_the_answer_when_it_commits(certificate, manager,  # noqa: F811
                                                       django_capture_on_commit_callbacks):
    assert verify(certificate)["result"] == "valid"
    with django_capture_on_commit_callbacks(execute=True):
        certificate_revoke(actor=manager, number=certificate.number, reason="误发")
    assert verify(certificate)["result"] == "revoked"


def test_a_revocation_rolled_back_leaves_the_answer(certificate, manager,  # noqa: F811
                                                    django_capture_on_commit_callbacks):
    assert verify(certificate)["result"] == "valid"
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            certificate_revoke(actor=manager, number=certificate.number, reason="误发")
            raise RuntimeError("rolled back")
    assert verify(certificate)["result"] == "valid"


def test_reissue_changes_the_answer_when_it_commits(certificate, approved_record, vol_user, manager,  # noqa: F811
                                                    django_capture_on_commit_callbacks):
    assert verify(certificate)["result"] == "valid"
    dispute = dispute_file(actor=vol_user, record=approved_record, claim="应为7小时", claimed_hours="7")
    with django_capture_on_commit_callbacks(execute=True):
        task_complete(actor=manager, task_id=open_route(dispute).pk, decision="uphold", reason="核实")
    answer = verify(certificate)
    assert answer["result"] == "superseded" and answer["superseded_by"]


def test_a_verification_racing_the_revocation_cannot_bring_back_the_old_answer(
        certificate, manager, django_capture_on_commit_callbacks):  # noqa: F811
    """A verification that read the row before the revocation committed writes its "valid"
    afterwards: it lands under the old status mark, which nobody reads any more."""
    stale = verify(certificate)
    old_key = certificates._answer_key(certificate.number, certificate.verification_code,
                                       cache.get(certificates._status_mark_key(certificate.number), ""))
    with django_capture_on_commit_callbacks(execute=True):
        certificate_revoke(actor=manager, number=certificate.number, reason="误发")
    cache.set(old_key, stale, 300)
    assert verify(certificate)["result"] == "revoked"


def test_wrong_codes_and_unknown_numbers_are_not_cached(certificate, django_assert_num_queries):  # noqa: F811
    for _ in range(2):
        with django_assert_num_queries(1):  # looked up every time: nothing kept, nothing told
            assert verify(certificate, code="ABCDEFGH")["result"] == "not_found"


def test_a_per_process_memory_cache_does_not_cache_by_default(settings, certificate):  # noqa: F811
    """With LocMemCache one process's revocation could not reach another's cache."""
    settings.CERT_VERIFY_CACHE_SECONDS = None
    assert certificates._verify_cache_seconds() == 0
