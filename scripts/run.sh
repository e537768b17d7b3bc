#!/usr/bin/env bash
# Serves the portal on 127.0.0.1:8000 with a Celery worker (and its beat scheduler) in the background.
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-send_portal.settings.local}"
mkdir -p var/celery/queue var/celery/processed var/media

.venv/bin/celery -A send_portal worker -B --pool=solo --concurrency=1 --without-gossip --without-mingle \
  --schedule var/celery/beat-schedule --loglevel=WARNING >var/celery/worker.log 2>&1 &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM

cat <<TXT

  SEND partnership portal: http://127.0.0.1:8000/
  Sign in as any of these (password: ${DEMO_PASSWORD:-send-portal-demo}):
    officer@example.org      officer
    lead@example.org         recommendation lead
    board@example.org        board member
    democratic@example.org   democratic services
    admin@example.org        partnership admin
  Background worker log: var/celery/worker.log. Stop with Ctrl+C.

TXT
.venv/bin/python manage.py runserver 127.0.0.1:8000
