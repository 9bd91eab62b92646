# Two commands: `make run` (portal with demo data, embedded mode) and `make test` (whole suite).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
APT_RUN := gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core fonts-dejavu-core
APT_TEST := $(APT_RUN) chromium poppler-utils redis-server
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/cluster_portal
# The suite on both cores: one test file per process at a time (--dist loadfile), so a file's
# module fixtures (a collected static tree, a Celery worker) are never set up twice at once.
PYTEST_ARGS ?= -n 2 --dist loadfile
I18N_IGNORE := --ignore=.venv --ignore=node_modules --ignore=staticfiles --ignore=media

.PHONY: run test fuzz topology lint messages apt-run apt-test apt-topology clean

# Every link in the portal's emails starts with SITE_URL: by default where `make run` serves.
RUN_SITE_URL = SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)}

run: apt-run $(VENV)/.run-installed node_modules/.installed
	$(PY) manage.py compilemessages $(I18N_IGNORE) -v 0
	$(RUN_SITE_URL) $(PY) manage.py migrate --noinput
	$(RUN_SITE_URL) $(PY) manage.py seed_demo
	$(RUN_SITE_URL) $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: apt-test $(VENV)/.test-installed node_modules/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/bandit -q -c pyproject.toml -r . -lll
	$(PY) manage.py makemessages -l ar $(I18N_IGNORE) --add-location=file -v 0
	$(PY) manage.py compilemessages $(I18N_IGNORE) -v 0
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(PY) -m pytest $(PYTEST_ARGS)

# The fuzz tests (tests/fuzz/) with many more generated values than `make test` runs, drawn
# anew each time: every 5xx is listed, and every response slower than 2 s is printed at the
# end. FUZZ_EXAMPLES (per URL and role, default 10) and FUZZ_UPLOAD_EXAMPLES (per kind of
# file, default 200) change how many; the defaults take about half an hour on two cores.
fuzz: $(VENV)/.test-installed
	FUZZ_PROFILE=fuzz DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} \
		$(PY) -m pytest $(PYTEST_ARGS) tests/fuzz

# The portal as several machines run it, on this one: nginx before two gunicorn nodes, two
# Celery workers and a beat, PgBouncer before PostgreSQL, Redis, an S3-compatible store and an
# SMTP server, all on 127.0.0.1, under wrk's load while a web node and a worker are killed and
# PgBouncer stops for five seconds (scripts/topology.py; docs/operations.md, "Topology run").
# About four minutes; not part of `make test`. The report: bench/topology-latest.txt.
topology: apt-topology $(VENV)/.test-installed node_modules/.installed
	$(PY) manage.py compilemessages $(I18N_IGNORE) -v 0
	$(PY) scripts/topology.py

lint: $(VENV)/.test-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/bandit -q -c pyproject.toml -r . -lll
	$(VENV)/bin/ruff format --check .

# Refresh the Arabic catalogue after changing interface strings.
messages: $(VENV)/.test-installed
	$(PY) manage.py makemessages -l ar $(I18N_IGNORE) --add-location=file

apt-run:
	@scripts/apt-ensure $(APT_RUN)

apt-test:
	@scripts/apt-ensure $(APT_TEST)

apt-topology:
	@scripts/apt-ensure $(APT_RUN) redis-server nginx pgbouncer wrk

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip

$(VENV)/.run-installed: requirements.txt | $(VENV)/bin/python
	$(VENV)/bin/pip install -q -r requirements.txt
	touch $@

$(VENV)/.test-installed: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(VENV)/bin/pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.run-installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3
