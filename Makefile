# The two commands of the README: `make run` and `make test`. Both build .venv/ first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# The lock (requirements*.txt) is resolved for this Python on Linux; its hashes cover every file
# PyPI offers for each pinned version, so x86_64 and aarch64 install the same set.
LOCK_PYTHON := 3.11.5
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run reset-demo test test-postgres lint audit lock format messages bench install install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# --require-hashes: pip installs nothing that the lock does not name with its sha256.
$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

## run: install, migrate, load the demo and serve it on http://127.0.0.1:8000
## (with the background workers: one for e-mail, printed to the console in development, one
## for every other queue)
run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo
	@echo "Serving on http://$(HOST):$(PORT)/ (admin: http://$(HOST):$(PORT)/admin/)"
	$(BIN)/python manage.py db_worker --backend durable --queue-name mail & \
	mail=$$!; \
	$(BIN)/python manage.py db_worker --backend durable --queue-name '*' --exclude-queues mail & \
	worker=$$!; trap 'kill $$mail $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## reset-demo: start the demo again from scratch: delete the SQLite database, migrate, load the
## demo (refused when DATABASE_URL is set: drop and create that database yourself)
reset-demo: install
	@if [ -n "$$DATABASE_URL" ]; then \
	    echo "DATABASE_URL is set: drop and create that database, then run make run."; exit 2; fi
	rm -f "$${SQLITE_PATH:-db.sqlite3}" "$${SQLITE_PATH:-db.sqlite3}-wal" "$${SQLITE_PATH:-db.sqlite3}-shm"
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo

## test: install the tools and run the whole suite (SQLite, or DATABASE_URL if set)
test: install-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## test-postgres: the suite against the local PostgreSQL server
test-postgres:
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(MAKE) test

## lint: ruff, its formatting, then the import contracts of .importlinter (DESIGN §5)
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo

## audit: pip-audit of requirements.txt (skipped with a message when its database is unreachable)
audit: install-dev
	BIN=$(BIN) bash .ci/audit

## lock: recompile requirements*.txt from requirements*.in, with hashes (LOCK_ARGS="-P NAME"
## upgrades NAME to the newest version its source allows)
lock: install-dev
	$(BIN)/uv pip compile --quiet --no-config --generate-hashes --custom-compile-command "make lock" \
	    --python-version $(LOCK_PYTHON) --python-platform x86_64-manylinux_2_28 $(LOCK_ARGS) \
	    requirements.in -o requirements.txt
	$(BIN)/uv pip compile --quiet --no-config --generate-hashes --custom-compile-command "make lock" \
	    --python-version $(LOCK_PYTHON) --python-platform x86_64-manylinux_2_28 $(LOCK_ARGS) \
	    requirements-dev.in -o requirements-dev.txt

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## messages: refresh and compile the French and English catalogues (needs gettext)
messages: install
	$(BIN)/python manage.py makemessages -l fr -l en --ignore=.venv --ignore=tests --ignore=bench --no-obsolete
	$(BIN)/python manage.py compilemessages --ignore=.venv

## bench: render iterations of 50, 200 and 1,000 paragraphs; print server time and queries
bench: install-dev
	$(BIN)/python bench/render_iterations.py

clean:
	rm -rf $(VENV) .pytest_cache
