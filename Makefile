# ISA Portal — one task runner. `make run` sets everything up and serves the app;
# `make test` runs the whole suite, installing what it needs.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test setup lint check migrate demo totp worker chromium pdf-packages gettext messages compilemessages seal-certificate bench clean

# With DATABASE_OWNER_URL set (PostgreSQL), migrations run as that owner role (docs/decisions/0023).
MIGRATE_AS := $(if $(DATABASE_OWNER_URL),DATABASE_URL=$(DATABASE_OWNER_URL),)

run: setup seal-certificate ## Set up everything and serve the portal on http://127.0.0.1:8000
	$(MIGRATE_AS) $(BIN)/python manage.py migrate --noinput
	$(MIGRATE_AS) $(BIN)/python manage.py load_demo
	@echo "Serving ISA Portal on http://$(HOST):$(PORT)/ – sign in with a demo login above and a code from: make totp user=NAME"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Python's bytecode caches (__pycache__/, ignored by git) are written by the test run even where the
# environment sets PYTHONDONTWRITEBYTECODE: without them every process of the run (each xdist worker,
# manage.py check, makemigrations, the subprocesses of tests/isa_portal/test_deploy_settings.py)
# compiles every module, and pytest rewrites every test module, again: about 1.7 CPU-seconds a
# process (docs/testing.md, "A fourth round"). An empty value is Python's "not set".
test: export PYTHONDONTWRITEBYTECODE :=
# --dist worksteal: a worker that runs out of tests takes half of what the other has still to run,
# so neither is left alone with a queue at the end (docs/testing.md, "A fifth round").
test: setup chromium pdf-packages gettext ## Lint, check and run the whole test suite (browser tests included)
	$(BIN)/ruff check .
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest -n 2 --dist worksteal

setup: $(VENV)/.installed static/vendor/.built

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --editable ".[test]"
	@touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

static/vendor/.built: node_modules/.package-lock.json scripts/build_assets.py | $(BIN)/python
	$(BIN)/python scripts/build_assets.py
	@touch $@

chromium: ## Debian's Chromium for the browser tests (Playwright cannot download browsers here)
	@test -x /usr/bin/chromium || scripts/install_chromium.sh

pdf-packages: ## WeasyPrint's harfbuzz subsetting, and poppler-utils for the PDF tests
	@{ command -v pdftoppm >/dev/null && ldconfig -p | grep -q libharfbuzz-subset; } || scripts/install_pdf_packages.sh

gettext: ## GNU gettext, for makemessages, compilemessages and the translation tests (docs/decisions/0058)
	@command -v msgfmt >/dev/null || scripts/install_gettext.sh

# Welsh (docs/decisions/0058). After marking strings: `make messages`, write the Welsh of every new
# entry of locale/cy/LC_MESSAGES/django.po, then `make compilemessages` and commit both files.
messages: setup gettext ## Add newly marked strings to locale/cy/LC_MESSAGES/django.po
	$(BIN)/python manage.py makemessages -l cy --no-obsolete --no-wrap \
		-i node_modules -i static -i staticfiles -i var -i "tests/*" -i "bench/*" -i "docs/*" -i "fixtures/*"

compilemessages: setup gettext ## Compile the .po to the committed .mo the portal reads
	$(BIN)/python manage.py compilemessages -l cy -i .venv -i node_modules

seal-certificate: setup ## A self-signed certificate under var/seal/ to seal signed copies locally (never overwritten)
	$(BIN)/python manage.py seal_certificate

# Not part of `make test`: it generates up to a million entries into local PostgreSQL template
# databases (isa_bench_<size>_template, made once and kept while the migrations and generator stay
# the same) and measures a fresh copy of each, dropped after. Takes a while. SIZES=10000 for a quick run.
SIZES ?= 10000,100000,1000000
bench: setup pdf-packages ## Serve the portal with gunicorn and measure it at 10k, 100k and 1M entries; writes docs/PERFORMANCE.md
	$(BIN)/python -m bench.run --sizes $(SIZES)

migrate: setup
	$(MIGRATE_AS) $(BIN)/python manage.py migrate --noinput

demo: migrate
	$(MIGRATE_AS) $(BIN)/python manage.py load_demo

# `make run` needs no worker (with DEBUG on tasks run at once); this is for trying the production
# backend locally: TASKS_BACKEND=database make run in one terminal, make worker in another.
worker: setup ## Run one background-task worker (docs/decisions/0050) against DATABASE_URL
	TASKS_BACKEND=database $(BIN)/python manage.py db_worker

totp: ## Print a demo user's current sign-in code: make totp user=governance
	@$(BIN)/python manage.py totp $(user)

lint: setup
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles var .pytest_cache
