#!/usr/bin/env bash
# `make serve`: the production stack on this machine, on 127.0.0.1 — gunicorn (2 workers),
# a Celery worker and Celery beat, against the local PostgreSQL and Redis. Ctrl-C stops all.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export DJANGO_SETTINGS_MODULE=config.settings.production
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/sanxin}
export CELERY_BROKER_URL=${CELERY_BROKER_URL:-redis://127.0.0.1:6379/0}
export CACHE_URL=${CACHE_URL:-redis://127.0.0.1:6379/1}
export DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-local-serve-$(hostname)-not-for-the-internet-0123456789}
# Plain http on loopback: no TLS redirect, cookies without the Secure flag.
export DJANGO_SECURE_SSL_REDIRECT=${DJANGO_SECURE_SSL_REDIRECT:-0}
export DJANGO_SECURE_COOKIES=${DJANGO_SECURE_COOKIES:-0}
export DJANGO_HSTS_SECONDS=${DJANGO_HSTS_SECONDS:-0}
PORT=${PORT:-8000}

$PY - <<'PY'
import os, environ, psycopg
cfg = environ.Env.db_url_config(os.environ["DATABASE_URL"])
with psycopg.connect(host=cfg["HOST"], port=cfg["PORT"] or 5432, user=cfg["USER"],
                     password=cfg["PASSWORD"] or None, dbname="postgres", autocommit=True) as c:
    if not c.execute("SELECT 1 FROM pg_database WHERE datname=%s", [cfg["NAME"]]).fetchone():
        c.execute(f'CREATE DATABASE "{cfg["NAME"]}"')
        print("created database", cfg["NAME"])
PY
$PY manage.py migrate --noinput -v0
$PY manage.py collectstatic --noinput -v0
[ "${SERVE_DEMO:-1}" = 1 ] && $PY manage.py demo | tail -n 12

pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM
.venv/bin/celery -A config worker -c 2 -l warning & pids+=($!)
.venv/bin/celery -A config beat -l warning --schedule /tmp/sanxin-celerybeat-schedule & pids+=($!)
echo "Sanxin (production settings) on http://127.0.0.1:${PORT}/  — Ctrl-C stops gunicorn, worker and beat"
.venv/bin/gunicorn config.wsgi -w "${WORKERS:-2}" -b "127.0.0.1:${PORT}" --access-logfile - &
pids+=($!)
wait -n "${pids[@]}"
