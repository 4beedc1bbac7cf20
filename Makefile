# The two commands a newcomer needs: `make run` and `make test`.
VENV   := .venv
PY     := $(VENV)/bin/python
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
PORT   ?= 8000
# The address e-mail links point to under `make run` (honcho hands each process a PORT
# of its own, so the worker cannot work it out from PORT).
SITE_URL ?= http://127.0.0.1:$(PORT)

.PHONY: install run test test-fast lint format bench loadtest messages lock clean

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt pyproject.toml
	@if [ ! -x $(PY) ]; then \
	  py=$$(scripts/find-python.sh) || exit 1; \
	  echo "Creating $(VENV) with $$py"; \
	  $$py -m venv $(VENV) || exit 1; \
	fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) scripts/compilemessages.py
	@touch $@

# The embedded default: SQLite under data/, a file-system Celery broker,
# e-mail as .eml files in data/mail. Web, worker and beat together; Ctrl-C stops all.
# honcho exits 130 after Ctrl-C, which make would report as "Error 130": the shell
# waits for it (the trap keeps it alive) and turns that one status into success.
run: install
	@DEBUG=1 $(PY) scripts/compilemessages.py >/dev/null
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py load_demo
	@DEBUG=1 $(PY) manage.py demo_banner --url $(SITE_URL)/
	@trap : INT; DEBUG=1 PORT=$(PORT) SITE_URL=$(SITE_URL) $(VENV)/bin/honcho -f Procfile.dev start; \
	  status=$$?; [ $$status -eq 130 ] || exit $$status

# The whole suite on real PostgreSQL and Redis (found or started by scripts/services.py).
test: install
	$(PY) scripts/services.py -- $(PY) -m pytest $(PYTEST_ARGS)

# ruff is pinned in requirements.txt, which `make install` installs (with the other dev tools).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install
	$(PY) scripts/services.py -- $(PY) scripts/bench.py

# gunicorn (DEBUG off, 3 workers) on the bench organisation under wrk: req/s, p50/p90/p99,
# each page against the login page, worker memory (needs wrk: apt-get install -y wrk).
loadtest: install
	$(PY) scripts/services.py -- $(PY) scripts/loadtest.py

# Refresh the catalogues from the source (needs GNU gettext's xgettext).
messages:
	for l in sv nb en; do DEBUG=1 $(PY) manage.py makemessages -l $$l --no-obsolete -i ".venv/*" -i "tests/*"; done
	$(PY) scripts/compilemessages.py

lock:
	$(PY) -m pip freeze --exclude-editable > requirements.txt

clean:
	rm -rf data staticfiles .pytest_cache
