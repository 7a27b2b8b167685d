# A newcomer types `make run` or `make test`; both set everything up first.
PYTHON_VERSION := $(shell cat .python-version)
PYTHON ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/$(PYTHON_VERSION)/bin/python3) $(shell command -v python3.12))
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install run test migrate demo check clean

$(BIN)/python:
	@test -n "$(PYTHON)" || (echo "Python 3.12 is needed: install it (e.g. pyenv install $(PYTHON_VERSION))" && exit 1)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

migrate: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --no-input

demo: migrate
	DJANGO_DEBUG=1 $(BIN)/python manage.py seed_demo

run: demo
	@echo "Improvement Tracker: http://127.0.0.1:8000 (logins above; Ctrl-C to stop)"
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

# The tests' own OpenID Connect provider (tests/oidc), from the npm registry, at the versions its lock file pins.
OIDC_PROVIDER := tests/oidc/node_modules/.package-lock.json
$(OIDC_PROVIDER): tests/oidc/package-lock.json
	@command -v npm >/dev/null || (echo "The single sign-on tests need Node.js and npm (Debian: apt-get install nodejs npm)" && exit 1)
	npm ci --prefix tests/oidc --no-audit --no-fund --silent

test: install $(OIDC_PROVIDER)
	$(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

check: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .cache tests/oidc/node_modules
