"""One end-to-end run through a real Celery worker on Redis: the web side queues an import job
after commit, a separate worker process picks it up and finishes it in the shared database."""
import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.db import connection
from kombu import pools as kombu_pools

from config import celery_app
from engine.directory.models import Department
from engine.imports.models import ImportJob
from engine.imports.services import submit_import

ROOT = Path(__file__).resolve().parents[2]
BROKER = "redis://127.0.0.1:6379/15"  # database 15 is left to tests
CELERY = Path(sys.executable).with_name("celery")


def _database_url() -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{auth}@{host}/{quote(db['NAME'], safe='')}"


def _redis_ready() -> bool:
    try:
        client = redis.Redis.from_url(BROKER, socket_connect_timeout=2)
        client.flushdb()  # no stale messages from an earlier run reach this worker
        return True
    except redis.exceptions.ConnectionError:
        return False


@contextmanager
def _worker(log_path: Path, **extra_env):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CELERY_BROKER_URL": BROKER,
        "DATABASE_URL": _database_url(),
        "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),  # the worker opens the uploaded file
        **extra_env,
    })
    with log_path.open("wb") as log:
        worker = subprocess.Popen(
            [str(CELERY), "-A", "config", "worker", "--pool", "solo", "--concurrency", "1",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "INFO"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        try:
            yield worker
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()


@contextmanager
def _publishing_to(broker_url: str):
    """Make this (test) process send tasks to the broker instead of running them eagerly."""
    conf = celery_app.conf
    saved = conf.task_always_eager, conf.broker_url
    conf.task_always_eager, conf.broker_url = False, broker_url
    _drop_pools()  # pools are built from broker_url on first use; the next publish uses this one
    try:
        yield
    finally:
        conf.task_always_eager, conf.broker_url = saved
        _drop_pools()


def _drop_pools():
    """Forget the app's and kombu's connection and producer pools (kombu keeps global ones)."""
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    kombu_pools.reset()


@pytest.mark.celery_worker
# Decided before the database is set up: a transactional test flushes the database at its end,
# which a skipped test has no reason to do.
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="真实 Celery worker 测试需要 PostgreSQL（两个进程共享数据库）"
)
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_finishes_an_import_job(settings, tmp_path):
    if not _redis_ready():
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(f"无法连接 Redis：{BROKER}")
        pytest.skip(f"无法连接 Redis：{BROKER}")
    settings.IMPORT_ASYNC_ROW_THRESHOLD = 2
    header = "部门代码,部门名称,类别,层级\r\n"
    rows = "".join(f"worker-{i},队列测试部门{i},wf,市级\r\n" for i in range(5))
    log = tmp_path / "worker.log"
    with _worker(log), _publishing_to(BROKER):
        job = submit_import("departments", (header + rows).encode("gbk"), "部门.csv")
        deadline = time.monotonic() + 60
        job.refresh_from_db()
        while job.status in (ImportJob.Status.PENDING, ImportJob.Status.RUNNING):
            assert time.monotonic() < deadline, "worker did not finish in 60 s:\n" + log.read_text()[-3000:]
            time.sleep(0.3)
            job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, (job.error_report, log.read_text()[-3000:])
    assert job.processed_rows == job.total_rows == 5 and job.created_count == 5
    assert Department.objects.filter(code__startswith="worker-").count() == 5
    assert "run_import_job" in log.read_text()
