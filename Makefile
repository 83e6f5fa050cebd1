# parindex — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test install lint bench clean

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(BIN)/.installed

## Install, migrate, load the demo (idempotent), start the worker and serve at http://127.0.0.1:8000
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py loaddemo
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo "parindex: http://$(HOST):$(PORT)/ (with the worker for long jobs: manage.py worker)"
	$(BIN)/python manage.py worker --interval 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn parindex.wsgi:application --bind $(HOST):$(PORT) --workers 2 --access-logfile -

## The whole suite (SQLite unless DATABASE_URL points elsewhere)
test: install
	$(BIN)/python -m pytest -n 2

## Performance figures in a database of their own; writes BENCHMARKS.md (ARGS=--quick)
bench: install
	$(BIN)/python -m parindex.benchmark $(ARGS)

lint: install
	$(BIN)/ruff check parindex tests
	$(BIN)/ruff format --check parindex tests

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
