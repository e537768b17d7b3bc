# Two commands: `make run` sets up and serves the portal with demo data; `make test` sets up and runs every check.
SHELL := /bin/bash
# Debian 12's own Python 3.11 where it is installed: built with profile-guided and link-time optimisation into one
# binary, as the production image's (python:3.11-slim) is, it serves a page with about a fifth less CPU than a build
# without them into a shared library, such as pyenv's default (docs/adr/0013). Elsewhere, python3 on the PATH.
PYTHON ?= $(firstword $(wildcard /usr/bin/python3.11) python3)
VENV := .venv
PY := $(VENV)/bin/python
UV_VERSION := 0.13.9
APT_RUNTIME := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-liberation2 poppler-utils
APT_TEST := chromium
# A C compiler and Python's headers, for the Argon2 binding compiled for this processor (scripts/install-locked.sh).
APT_BUILD := gcc libc6-dev $(if $(filter /usr/bin/%,$(PYTHON)),$(notdir $(PYTHON))-dev,python3-dev)
export DJANGO_SETTINGS_MODULE ?= send_portal.settings.local
# Every Python process here keeps the bytecode it compiles, whatever the caller's environment says: the suite starts
# dozens of processes that load the portal (test workers, Celery workers, gunicorn, manage.py), and each compiled it
# all again, 7 s of CPU against 3 s with the bytecode kept (docs/adr/0018).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run test setup setup-test system system-test assets lint typecheck audit checks pytest screenshots clean bench

run: setup
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py setup_demo
	scripts/run.sh

test: setup-test
	CI=$${CI:-false} scripts/ensure-services.sh
	$(MAKE) --no-print-directory checks pytest

setup: system $(VENV)/.runtime-installed assets

setup-test: system system-test $(VENV)/.dev-installed assets

system:
	scripts/ensure-apt.sh $(APT_RUNTIME) $(APT_BUILD)
	@$(PYTHON) -c "import ensurepip" 2>/dev/null || scripts/ensure-apt.sh python3-venv
	@command -v npm >/dev/null || scripts/ensure-apt.sh nodejs npm

system-test:
	scripts/ensure-apt.sh $(APT_TEST)

$(VENV)/bin/uv:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q uv==$(UV_VERSION)

$(VENV)/.runtime-installed: requirements.lock scripts/install-locked.sh | $(VENV)/bin/uv
	scripts/install-locked.sh $(VENV)/bin/uv -q --python $(PY) -r requirements.lock
	touch $@

$(VENV)/.dev-installed: requirements-dev.lock scripts/install-locked.sh | $(VENV)/bin/uv
	scripts/install-locked.sh $(VENV)/bin/uv -q --python $(PY) -r requirements-dev.lock
	touch $@ $(VENV)/.runtime-installed

node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

assets: static/dist/.built

static/dist/.built: node_modules/.package-lock.json static/build.mjs $(wildcard static/src/*.scss static/src/js/*)
	npm run --silent build
	touch $@

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

typecheck:
	$(VENV)/bin/mypy .

# Known vulnerabilities in the locked dependencies; DEPENDENCY_AUDIT=required fails where advisories are unreachable.
audit:
	$(PY) scripts/audit_dependencies.py

checks: lint typecheck audit
	DJANGO_SETTINGS_MODULE=send_portal.settings.test $(PY) manage.py check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=send_portal.settings.test $(PY) manage.py makemigrations --check --dry-run

# One test process per core (pytest-xdist); each has its own test database and its own job queue.
# The 20 slowest steps are printed, where the suite's time goes, and then the branch coverage that SlipCover measured
# (pyproject.toml [tool.slipcover]), failing below the floor (docs/adr/0018-parallel-tests-and-coverage.md).
# The floor is a point under a fresh clone's figure, because branches that depend on timing (a worker's retry, a lock's
# wait) vary slightly between runs. SlipCover's own measure of the test modules, which are not measured, does not know
# pytest's assertion rewriter, and would say so in each process.
COVERAGE_FLOOR := 95
pytest:
	rm -f .coverage.json  # a report left by an earlier run must not stand in for this one's
	PYTHONWARNINGS="ignore:Unable to activate pytest branch coverage:RuntimeWarning" \
		DJANGO_SETTINGS_MODULE=send_portal.settings.test $(PY) -m slipcover -m pytest -q --numprocesses=auto \
		--dist=worksteal --durations=20
	$(PY) scripts/coverage_report.py .coverage.json $(COVERAGE_FLOOR)

# The browser tests again, keeping a full-page screenshot of every page they check under var/screenshots.
screenshots: setup-test
	CI=$${CI:-false} scripts/ensure-services.sh
	SCREENSHOTS=1 DJANGO_SETTINGS_MODULE=send_portal.settings.test $(VENV)/bin/pytest -q --numprocesses=auto -m browser

# Board dashboards at national scale, in a separate PostgreSQL database that it drops and recreates;
# then the overview's Largest Contentful Paint and weight in Chromium on that data (needs setup-test);
# an officer's update, a pack, and last deadline day: Locust against gunicorn, Celery and Redis for 2 minutes;
# then the CPU each of deadline day's request types costs the web process, in-process (var/bench/request_cpu.json);
# then a national statistics file of 150,000 rows imported by the operator's command (GNU time measures it) and the
# board pages beside ten years of every local authority's values.
BENCH_DATABASE_URL ?= postgres://portal:portal@127.0.0.1:5432/portal_bench
bench: export DJANGO_SETTINGS_MODULE = send_portal.settings.bench
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/14
bench:
	scripts/ensure-apt.sh openssl time
	DEBUG=false DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py bench_dashboards
	DEBUG=false DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py bench_public
	DEBUG=false DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py bench_board_browser
	DEBUG=false DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py bench_update
	DEBUG=false DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py bench_pack
	DEBUG=false DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) $(PY) manage.py bench_load
	DEBUG=false DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) $(PY) manage.py bench_request_cpu
	DEBUG=false DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py bench_national

# Regenerate the locks after changing pyproject.toml.
# The dev lock takes the runtime lock as a constraint, so the tests run the versions production installs.
lock: | $(VENV)/bin/uv
	$(VENV)/bin/uv pip compile pyproject.toml -q --python-version 3.11 -o requirements.lock
	$(VENV)/bin/uv pip compile pyproject.toml -q --python-version 3.11 --extra dev -c requirements.lock \
		-o requirements-dev.lock

clean:
	rm -rf $(VENV) node_modules static/dist staticfiles var
