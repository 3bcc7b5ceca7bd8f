#!/usr/bin/env bash
# Set up and run the whole system: web server, Celery worker and beat. Ctrl-C stops all.
# With no DATABASE_URL / CELERY_BROKER_URL set: SQLite and kombu's filesystem transport under var/.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PORT=${PORT:-8000}
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-config.settings.base}
# Demo accounts (with a known password) only for the development settings, unless asked.
if [ "$DJANGO_SETTINGS_MODULE" = "config.settings.production" ]; then
  export DEMO_MODE=${DEMO_MODE:-0}
else
  export DEMO_MODE=${DEMO_MODE:-1}
fi
case "${DEMO_MODE,,}" in 1 | true | yes | on) demo=1 ;; *) demo=0 ;; esac
mkdir -p var/celery/queue var/celery/processed var/media var/log

# Refuse early when the port is taken (another `make run`?): otherwise the readiness check
# below would find the other server and report success.
if ! $BIN/python - "$PORT" <<'PY'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as runserver does: TIME_WAIT is fine
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
finally:
    s.close()
PY
then
  echo "端口 ${PORT} 已被占用（是否已有一个 make run 在运行？）。可换端口：PORT=8001 make run" >&2
  exit 1
fi

echo "== 迁移数据库 =="
$BIN/python manage.py migrate --noinput
if [ "$demo" = 1 ]; then
  echo "== 载入参考数据与演示数据 =="
  $BIN/python manage.py setup_demo
else
  echo "== 载入参考数据 =="
  $BIN/python manage.py setup_demo --no-demo
fi

pids=()
stopping=0
stop() {
  [ "$stopping" = 1 ] && return
  stopping=1
  echo
  echo "正在停止（等待 Celery 完成手头的任务）……"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "已停止。"
}
on_signal() {
  stop
  exit 0
}
trap on_signal INT TERM
trap stop EXIT

# Background jobs of a non-interactive shell ignore SIGINT; stop() ends them with SIGTERM
# (Celery: warm shutdown of the worker and its embedded beat).
$BIN/celery -A config worker --beat --loglevel INFO --concurrency 1 \
  --schedule var/celery/beat-schedule >var/log/celery.log 2>&1 &
pids+=($!)
$BIN/python manage.py runserver "127.0.0.1:${PORT}" --noreload >var/log/web.log 2>&1 &
web=$!
pids+=($web)

ready=0
for _ in $(seq 1 120); do
  if curl -fsS -o /dev/null "http://127.0.0.1:${PORT}/accounts/login/" 2>/dev/null; then
    ready=1
    break
  fi
  kill -0 "$web" 2>/dev/null || break
  sleep 0.5
done
if [ "$ready" != 1 ]; then
  echo "网站未能启动，var/log/web.log 的最后几行：" >&2
  tail -n 20 var/log/web.log >&2
  exit 1
fi

cat <<MSG

志愿郑州已启动：http://127.0.0.1:${PORT}/
  登录        http://127.0.0.1:${PORT}/accounts/login/
  工作台      http://127.0.0.1:${PORT}/workbench/
  门户        http://127.0.0.1:${PORT}/portal/
  接口文档    http://127.0.0.1:${PORT}/api/v1/docs/
  管理后台    http://127.0.0.1:${PORT}/admin/
MSG
if [ "$demo" = 1 ]; then
  echo "演示账号见上方列表，密码：${DEMO_PASSWORD:-zhiyuan-demo-2026}（账号首次创建时设定）"
else
  echo "非演示模式：没有演示账号，请用 .venv/bin/python manage.py createsuperuser 创建管理员。"
fi
echo "日志：var/log/web.log、var/log/celery.log。按 Ctrl-C 停止。"

# Run until Ctrl-C, or until one of the processes ends by itself (then stop the other).
set +e
wait -n "${pids[@]}"
status=$?
set -e
if [ "$stopping" = 0 ]; then
  echo "有一个进程意外退出（状态 ${status}），请查看 var/log/。" >&2
  exit "$status"
fi
