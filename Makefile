# Two commands after cloning: `make run` (set up and run the system) and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test venv check messages clean-db bench

$(BIN)/.installed: requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	@touch $@

venv: $(BIN)/.installed

run: venv
	@bash scripts/run.sh

test: venv
	@bash scripts/test.sh

check: venv
	$(BIN)/ruff check .
	$(BIN)/python manage.py check --fail-level WARNING
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python scripts/messages.py check

# After marking or changing texts: extract them into the apps' zh_Hans catalogs (new entries
# untranslated: fill in their msgstr) and compile the .mo files. Needs GNU gettext.
messages: venv
	$(BIN)/python scripts/messages.py update

clean-db:
	rm -rf var/db.sqlite3 var/celery

# All benchmarks at their default scale (about ten minutes on two cores; needs PostgreSQL and
# pgbench). Tables on screen, JSON under bench/results/, the latest tables in bench/README.md.
bench: venv
	$(BIN)/python bench/run_all.py
