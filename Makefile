# Two commands on a fresh machine: `make run` serves the demo, `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export DJANGO_SETTINGS_MODULE := simulator.settings

.PHONY: run test setup lint format check-migrations clean system-deps test-system-deps compiled-messages bench

run: setup
	@echo
	@echo "  Customer-service trainer: http://$(HOST):$(PORT)/"
	@$(PY) manage.py seed_demo
	@echo
	$(VENV)/bin/daphne -b $(HOST) -p $(PORT) \
		--websocket-max-message-size 65536 --ping-interval 15 --ping-timeout 10 \
		simulator.asgi:application

test: $(VENV)/.test-installed test-system-deps compiled-messages
	@mkdir -p var
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	@# A deployment with nothing but these three set must pass Django's deployment checklist.
	DEBUG=false ALLOWED_HOSTS=trainer.example.edu.cn \
		SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
		$(PY) manage.py check --deploy --fail-level WARNING
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) -m pytest $(PYTEST_ARGS)

setup: $(VENV)/.installed system-deps compiled-messages
	@mkdir -p var
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py load_scenarios

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.test-installed: requirements.txt requirements-test.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-test.txt
	touch $(VENV)/.installed $@

# gettext compiles the translations; Debian's chromium and a CJK font run the browser tests.
system-deps:
	@command -v msgfmt >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq gettext; }

test-system-deps: system-deps
	@command -v chromium >/dev/null && fc-list :lang=zh | grep -q . || { \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-wqy-microhei; }

compiled-messages: $(VENV)/.installed
	$(PY) manage.py compilemessages -v0 --ignore=.venv --ignore=var --ignore=staticfiles

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format:
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check-migrations:
	$(PY) manage.py makemigrations --check --dry-run

bench: $(VENV)/.test-installed
	$(PY) -m bench.recogniser
	$(PY) -m bench.assessment

clean:
	rm -rf $(VENV) staticfiles var
