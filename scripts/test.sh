#!/usr/bin/env bash
# The whole test suite: once on SQLite, once on PostgreSQL (concurrency, real Celery worker on
# Redis, browser tests). Without PostgreSQL reachable, the second pass is skipped with a notice,
# unless REQUIRE_POSTGRES=1 (CI), where that is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export DJANGO_SETTINGS_MODULE=config.settings.test
mkdir -p var  # the default SQLite database lives there; checks open it
PG_URL=${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/zhiyuan}

echo "== 代码检查（ruff：错误与导入顺序） =="
$BIN/ruff check .

echo "== 翻译目录检查（无未翻译、模糊或过时条目，.mo 与 .po 一致） =="
$BIN/python scripts/messages.py check

echo "== 系统检查与迁移检查 =="
for settings in config.settings.base config.settings.test; do
  env -u DATABASE_URL DJANGO_SETTINGS_MODULE=$settings $BIN/python manage.py check --fail-level WARNING
  env -u DATABASE_URL DJANGO_SETTINGS_MODULE=$settings $BIN/python manage.py makemigrations --check --dry-run
done

echo "== SQLite =="
env -u DATABASE_URL $BIN/pytest -q -m "not postgres and not celery_worker and not e2e" "$@"

if $BIN/python - "$PG_URL" <<'PY'
import sys, psycopg
from urllib.parse import urlsplit
try:
    # the server's maintenance database: the test database itself is created by the run
    psycopg.connect(urlsplit(sys.argv[1])._replace(path="/postgres").geturl(), connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL 不可用：{exc}")
    sys.exit(1)
PY
then
  echo "== PostgreSQL =="
  DATABASE_URL=$PG_URL $BIN/pytest -q "$@"
elif [ "${REQUIRE_POSTGRES:-0}" = "1" ]; then
  echo "PostgreSQL 必须可用（REQUIRE_POSTGRES=1）。" >&2
  exit 1
else
  echo "跳过 PostgreSQL 测试（并发、真实 Celery worker、浏览器测试）。"
fi
