#!/bin/sh
# Starts the production web server: migrate, collect the static files, then gunicorn.
#
# Used by deploy/systemd/okr-web.service (and usable by hand, by a Procfile or a
# supervisor). Every setting comes from the environment (README.md, Configuration).
# collectstatic runs at every start so that an update never serves pages whose CSS is
# missing from the whitenoise manifest; it copies only what changed.
#
#   BIND             address to listen on        (default 127.0.0.1:8000, behind a proxy)
#   WEB_CONCURRENCY  gunicorn worker processes   (default 3)
#   OKR_MIGRATE=0    skip migrate (when a release step runs it once for many machines)
#   PYTHON           the interpreter             (default .venv/bin/python of this checkout)
#   GUNICORN_CMD_ARGS any further gunicorn options (read by gunicorn itself)
set -eu
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}
if [ "${OKR_MIGRATE:-1}" != "0" ]; then
  "$PYTHON" manage.py migrate --noinput
fi
"$PYTHON" manage.py collectstatic --noinput --verbosity 0
exec "$PYTHON" -m gunicorn okr.wsgi \
  --bind "${BIND:-127.0.0.1:8000}" \
  --workers "${WEB_CONCURRENCY:-3}" \
  --access-logfile -
