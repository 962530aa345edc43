# Sanxin: the two commands are `make demo` and `make test` (README).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test e2e install install-test migrate lint messages serve clean

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/activate
	$(PIP) install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(PIP) install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

migrate: install
	$(PY) manage.py migrate --noinput -v0

demo: migrate
	$(PY) manage.py demo
	@echo "Sanxin runs on http://$(HOST):$(PORT)/  (Ctrl-C stops it)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install-test
	$(PY) -m pytest -m "not e2e" $(PYTEST_ARGS)

e2e: install-test
	$(PY) -m pytest -m e2e tests/e2e $(PYTEST_ARGS)

lint: install-test
	$(VENV)/bin/ruff check .

messages: install
	cd sanxin && for app in */; do \
	  if [ -d "$$app/locale" ]; then (cd $$app && ../../$(PY) ../../manage.py makemessages -l zh_Hans -v0); fi; done
	$(PY) manage.py makemessages -l zh_Hans --ignore 'sanxin/*' --ignore ".venv/*" --ignore "static/*" -v0
	$(PY) manage.py compilemessages --ignore ".venv" -v0

serve: install
	scripts/serve.sh

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
