# Every chore is one target. Quick start: `make demo`, `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 5000
HOST ?= 127.0.0.1
export SUYUAN_BASE_URL ?= http://$(HOST):$(PORT)

.PHONY: catalogs demo serve test test-sqlite test-postgres lint format install dev migrate translations bench page-budget axe clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.dev: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

dev: $(VENV)/.dev

catalogs: install
	$(VENV)/bin/pybabel compile -d suyuan/translations -D messages >/dev/null

demo: catalogs
	$(VENV)/bin/suyuan demo --host $(HOST) --port $(PORT)

serve: catalogs
	$(VENV)/bin/suyuan db upgrade
	$(VENV)/bin/suyuan serve --host $(HOST) --port $(PORT)

migrate: install
	$(VENV)/bin/suyuan db upgrade

# The whole suite on SQLite, then again on PostgreSQL when SUYUAN_TEST_DATABASE_URL is set
# (browser tests, and tests marked nodb or once, whose subject is not the database, run once).
test: dev
	$(VENV)/bin/pybabel compile -d suyuan/translations -D messages >/dev/null
	$(PY) -m pytest
	@if [ -n "$$SUYUAN_TEST_DATABASE_URL" ]; then \
		echo "== again on PostgreSQL =="; \
		SUYUAN_TEST_DB=postgresql $(PY) -m pytest -m "not browser and not nodb and not once"; \
	else echo "SUYUAN_TEST_DATABASE_URL not set: PostgreSQL run skipped"; fi

test-postgres: dev
	SUYUAN_TEST_DB=postgresql $(PY) -m pytest -m "not browser and not nodb and not once"

lint: dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

translations: dev
	mkdir -p build
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l --no-location --sort-output -o build/messages.pot suyuan portal query admin labels
	$(VENV)/bin/pybabel update -i build/messages.pot -d suyuan/translations -D messages -l zh --no-fuzzy-matching --ignore-obsolete
	$(VENV)/bin/pybabel compile -d suyuan/translations -D messages >/dev/null

bench: dev
	$(PY) bench/resolve.py

# axe-core (test-only, from the npm registry) for the accessibility tests; `make test` skips
# them without it, CI fails.
axe: node_modules/axe-core/axe.min.js

node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The consumer scan page budget (LCP, bytes) and the axe counts per page, on the demo data.
page-budget: dev axe catalogs
	$(PY) bench/page_budget.py

clean:
	rm -rf $(VENV) build dist *.egg-info node_modules
