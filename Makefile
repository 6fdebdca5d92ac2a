# Remission — the two commands of the README, and their parts.
#   make run    install, migrate the SQLite database under ./var/, add the demo clinic once,
#               serve on http://127.0.0.1:8000 (gunicorn)
#   make test   install the dev tools and run every check (see scripts/check.sh)

PYTHON ?= python3
VENV := .venv
UV := $(VENV)/bin/uv
REMISSION := $(VENV)/bin/remission
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: run test install install-dev serve migrate demo lint docs clean

$(UV):
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check uv==0.13.9

install: $(UV)
	$(UV) sync --locked --inexact --no-dev --quiet --python $(VENV)/bin/python

install-dev: $(UV)
	$(UV) sync --locked --quiet --python $(VENV)/bin/python

migrate: install
	$(REMISSION) migrate --noinput -v 0

demo: migrate
	$(REMISSION) demo --if-empty

run: demo
	$(REMISSION) serve

test: install-dev
	bash scripts/check.sh

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

docs: install-dev
	$(REMISSION) clinical-rules --write docs/clinical-rules.md
	$(REMISSION) roles --write-docs docs/security.md
	$(REMISSION) pk validate --write docs/pk-validation.md

clean:
	rm -rf $(VENV) var/static
