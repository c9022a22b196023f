# The commands a newcomer relies on (DESIGN §8). Needs only python3 (3.11+) on the machine.
#
#   make run    install, migrate, seed the demo county, serve http://127.0.0.1:8000 with a
#               Celery worker and beat (Ctrl-C stops everything)
#   make test   install what tests need and run the whole suite (PYTEST_ARGS="-k calendar -x")
#   make lint   ruff check, ruff format --check, and the layers of docs/architecture.md
#   make openapi  write the API contract docs/openapi.yaml from the code (commit it; a test
#               fails while the committed file and the served /api/schema/ differ)
#   make bench  the scale benchmark (PostgreSQL, 10,000 and 1,000,000 cases; see README)

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check --quiet
PYTEST_ARGS ?=

# A stamp per lock-file content: a changed lock reinstalls, an unchanged one costs nothing.
lock_stamp = $(VENV)/.installed-$(1)-$(shell $(PYTHON) -c "import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],'rb').read()).hexdigest()[:16])" $(1))
RUN_STAMP := $(call lock_stamp,requirements.lock)
TEST_STAMP := $(call lock_stamp,requirements-test.lock)

.PHONY: install install-test test run lint migrate seed openapi

install: $(RUN_STAMP)

install-test: $(TEST_STAMP)

$(BIN)/python:
	@$(PYTHON) -c "import sys; sys.exit(0 if sys.version_info >= (3, 11) else 'Python 3.11 or newer is needed (found ' + sys.version.split()[0] + '); set PYTHON=python3.11')"
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): requirements.lock | $(BIN)/python
	$(PIP) install -r requirements.lock
	@rm -f $(VENV)/.installed-requirements.lock-*
	@touch $@

$(TEST_STAMP): requirements-test.lock | $(BIN)/python
	$(PIP) install -r requirements-test.lock
	@rm -f $(VENV)/.installed-requirements-test.lock-*
	@touch $@

test: install-test
	$(BIN)/pytest $(PYTEST_ARGS)

openapi: install
	$(BIN)/python manage.py openapi

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo

# Static files are served by runserver in DEBUG (the embedded mode): no collectstatic needed.
run: seed
	$(BIN)/python scripts/run_dev.py

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# The scale benchmark (scripts/bench.py): BENCH_SIZES (default 10000,1000000), BENCH_SECONDS (15);
# generates bench_<size> databases on first use, a city of counties of at most 100,000 cases each
# (BENCH_ARGS=--regenerate: again). Needs PostgreSQL
# (BENCH_PG) and wrk (installed from Debian's packages when missing); uses Redis when one answers.
# Writes var/bench/results.md and results.json.
.PHONY: bench
bench: install
	@command -v wrk >/dev/null || apt-get install -y -q wrk >/dev/null || echo "wrk is missing: apt-get install wrk"
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)
