# vanphong — two commands on a fresh machine:
#   make run    embedded default (SQLite, no other server), demo data, web + background worker
#   make test   the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
export DJANGO_SETTINGS_MODULE := config.settings

.PHONY: run test lint format bench bench-load install install-test messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Each install step is stamped so that a second `make` does not reinstall.
$(VENV)/.installed-base: requirements/base.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/base.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-test: requirements/test.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/test.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@ $(VENV)/.installed-base

install: $(VENV)/.installed-base
install-test: $(VENV)/.installed-test

# The demo run turns the second factor off for the demo accounts (the pages say so);
# a real deployment keeps the default policy. `serve` prints the logins, with its address.
run: export VANPHONG_TOTP_REQUIRED ?= none
run: install
	$(BIN)/vanphong migrate --no-input
	$(BIN)/vanphong collectstatic --no-input --verbosity 0
	$(BIN)/vanphong seed-demo --if-empty --no-logins
	$(BIN)/vanphong serve --host $(HOST) --port $(PORT) --quiet

test: install-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# ruff, formatting, migrations up to date, the dependency rules between and inside apps
# (import-linter, contracts in pyproject.toml) and the type checker (mypy + django-stubs).
lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/vanphong makemigrations --check --dry-run
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Search latency on 100,000 documents: SQLite, and PostgreSQL when BENCH_DATABASE_URL or a
# local server on 127.0.0.1:5432 answers (database vanphong_bench, created and dropped).
# Results: bench-results/search.json and bench-results/search.md.
BENCH_DOCUMENTS ?= 100000
# Then the task engine on 2,000,000 tasks (PostgreSQL, database vanphong_bench_tasks or
# BENCH_TASKS_DATABASE_URL, created and dropped) and BENCH_SQLITE_TASKS on SQLite:
# dashboards, overdue lists, counts. Results: bench-results/tasks.json and tasks.md.
BENCH_TASKS ?= 2000000
BENCH_SQLITE_TASKS ?= 200000
bench: install-test
	$(BIN)/vanphong bench --documents $(BENCH_DOCUMENTS) --out bench-results $(BENCH_ARGS)
	$(BIN)/vanphong bench-tasks --tasks $(BENCH_TASKS) --sqlite-tasks $(BENCH_SQLITE_TASKS) --out bench-results $(BENCH_TASKS_ARGS)
	$(MAKE) bench-load

# The running system under load (docs/performance.md): the demo province at LOAD_SCALE on
# PostgreSQL (database vanphong_load_s<scale>_r<seed>, built once and reused; 1000 = 1 M
# documents and 2 M tasks, hours to build; LOAD_SCALE=30 for a quick run), gunicorn as in
# production, wrk at LOAD_CONNECTIONS users. Results: bench-results/load.json and load.md.
LOAD_SCALE ?= 1000
LOAD_SEED ?= 2026
LOAD_DURATION ?= 20
LOAD_CONNECTIONS ?= 1,50
bench-load: install-test
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq wrk >/dev/null; } \
		|| { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
	$(BIN)/vanphong bench-load --scale $(LOAD_SCALE) --seed $(LOAD_SEED) --duration $(LOAD_DURATION) \
		--connections $(LOAD_CONNECTIONS) --out bench-results $(LOAD_ARGS)

clean:
	rm -rf $(VENV) var/ staticfiles/
