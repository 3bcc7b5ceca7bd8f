#!/usr/bin/env bash
# Set up and run the whole system: web server, Celery worker and beat. Ctrl-C stops all.
# With no DATABASE_URL / CELERY_BROKER_URL set: SQLite and kombu's filesystem transport under var/.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PORT=${PORT:-8000}
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-config.settings.base}
export DEMO_MODE=${DEMO_MODE:-1}
mkdir -p var/celery/queue var/celery/processed var/media var/log

$BIN/python manage.py migrate --noinput
$BIN/python manage.py setup_demo

pids=()
stop() {
  trap - INT TERM EXIT
  echo
  echo "正在停止……"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "已停止。"
}
trap stop INT TERM EXIT

$BIN/celery -A config worker --beat --loglevel INFO --concurrency 1 \
  --schedule var/celery/beat-schedule >var/log/celery.log 2>&1 &
pids+=($!)
$BIN/python manage.py runserver "127.0.0.1:${PORT}" --noreload >var/log/web.log 2>&1 &
pids+=($!)

for _ in $(seq 1 60); do
  curl -fsS -o /dev/null "http://127.0.0.1:${PORT}/accounts/login/" 2>/dev/null && break
  sleep 0.5
done

cat <<MSG

志愿郑州已启动：http://127.0.0.1:${PORT}/
  工作台      http://127.0.0.1:${PORT}/workbench/
  门户        http://127.0.0.1:${PORT}/portal/
  接口文档    http://127.0.0.1:${PORT}/api/v1/docs/
  管理后台    http://127.0.0.1:${PORT}/admin/
演示账号见上方列表，密码：${DEMO_PASSWORD:-zhiyuan-demo-2026}
日志：var/log/web.log、var/log/celery.log。按 Ctrl-C 停止。
MSG
wait -n "${pids[@]}"
