# One task file for people and CI. `make run` serves the dashboard; `make test` runs every check.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

.PHONY: run cluster cluster-stop cluster-packages bench-cluster lock test test-pg test-pg-here install install-test browser postgres migrate validate lint format clean bench bench-callbacks bench-page-load \
	bench-data-scale bench-startup bench-faults bench-exports bench-lighthouse

# Debian packages are installed with apt-get: as root, or through sudo.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# A stock Debian or Ubuntu Python makes no virtual environment without python3-venv (ensurepip).
$(PY):
	@if ! python3 -c "import ensurepip, venv" >/dev/null 2>&1; then \
	  echo "Installing Debian's python3-venv"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq python3-venv; \
	fi
	python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# Installs the app into the local virtual environment (re-runs when pyproject.toml changes).
# Installed at the versions in requirements.lock (what CI tested); make lock refreshes it.
$(VENV)/.installed: pyproject.toml requirements.lock | $(PY)
	$(PIP) install --quiet -c requirements.lock -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml requirements.lock $(VENV)/.installed
	$(PIP) install --quiet -c requirements.lock -e ".[test]"
	touch $@

install: $(VENV)/.installed

# Resolves pyproject.toml's dependencies afresh, in a throwaway environment, into requirements.lock.
lock:
	rm -rf .lock-venv && python3 -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --upgrade pip
	.lock-venv/bin/pip install --quiet -e ".[test]"
	(echo "# Every Python package CI and make run install, at the versions tested (make lock refreshes it)."; \
	  .lock-venv/bin/pip freeze --exclude-editable) > requirements.lock
	rm -rf .lock-venv

# axe-core for the accessibility audit (pinned in package-lock.json).
node_modules/.installed: package.json package-lock.json
	@if ! command -v npm >/dev/null; then \
	  echo "Installing Debian's npm"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq npm; \
	fi
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install-test: $(VENV)/.installed-test browser node_modules/.installed

# Debian's Chromium and its driver, for the browser tests (nothing downloads a browser of its own).
browser:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null || ! [ -e /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf ]; then \
	  echo "Installing Debian's chromium and chromium-driver"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium chromium-driver fonts-dejavu-core fonts-liberation; \
	fi

# Debian's PostgreSQL, for the database tests' second run (a throwaway cluster: nothing is left running).
postgres:
	@if ! command -v pg_virtualenv >/dev/null || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then \
	  echo "Installing Debian's postgresql"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq postgresql postgresql-common; \
	fi

# Debian's nginx and Redis, for the cluster (make cluster).
cluster-packages:
	@if ! command -v nginx >/dev/null || ! command -v redis-server >/dev/null; then \
	  echo "Installing Debian's nginx-light and redis-server"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq nginx-light redis-server; \
	fi

validate: install
	$(PY) -m data validate

# Brings the database's tables up to date (SQLite in state/ unless SPR_DATABASE_URL names one).
migrate: install
	$(PY) -m data migrate

# Chromium comes first: chart images and board packs need it.
run: install browser migrate
	$(VENV)/bin/gunicorn -c gunicorn.conf.py wsgi:server

# The deployment for many users, on this machine: PostgreSQL, Redis, 3 app servers, 2 export workers and
# nginx in front, each on a free loopback port (see the README). Ctrl+C or make cluster-stop stops it.
cluster: install browser postgres cluster-packages
	$(PY) -m deploy.cluster

cluster-stop:
	$(PY) -m deploy.cluster stop

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-test
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# The tests in two processes (one a core on the CI machine), a test file each at a time, so a file's
# live server and browser are its own.
TEST_WORKERS ?= 2

test: install-test lint postgres cluster-packages
	$(VENV)/bin/pytest -n $(TEST_WORKERS) --dist loadfile
	$(MAKE) --no-print-directory test-pg

# The database tests again, on PostgreSQL: pg_virtualenv makes a throwaway cluster on a free port, runs
# them and removes it.
test-pg: install-test postgres
	pg_virtualenv -- $(MAKE) --no-print-directory test-pg-here

test-pg-here:
	SPR_TEST_DATABASE_URL="postgresql+psycopg://$$PGUSER:$$PGPASSWORD@$$PGHOST:$$PGPORT/$$PGDATABASE" \
	  $(VENV)/bin/pytest -m database -p no:cacheprovider

# How long chart images, data files and the board pack take to export (a report, not a test).
bench-exports: install browser
	$(PY) bench/export_timing.py

# All four benchmarks and the fault tests, each beside its floor → bench/results/report.md (about 10 minutes).
bench: install-test
	$(PY) bench/report.py

# Each part alone, written to bench/results/<part>.md.
bench-callbacks: install
	$(PY) bench/callbacks.py

bench-page-load: install-test
	$(PY) bench/page_load.py

bench-data-scale: install
	$(PY) bench/data_scale.py

bench-startup: install
	$(PY) bench/startup.py

bench-faults: install
	$(PY) bench/faults.py

# The cluster under load and faults, beside its floors → bench/results/cluster.md (about 8 minutes).
bench-cluster: install browser postgres cluster-packages
	$(PY) bench/cluster.py

# Lighthouse scores for every page (npm's lighthouse via npx, with Debian's Chromium).
bench-lighthouse: install-test
	$(PY) bench/lighthouse.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache node_modules
