# The README's two commands are `make run` and `make test`; each installs what is missing first.
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
PYTEST := $(UV) run pytest -q -p no:cacheprovider

WEB := services/gateway/web
WEB_SOURCES := $(shell find $(WEB)/src -type f 2>/dev/null) $(WEB)/index.html $(WEB)/vite.config.ts $(WEB)/package.json

.PHONY: setup web run test test-fast bench lint fmt docs schemas clean

setup:
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install -q uv
	@$(UV) sync --frozen --quiet

# The web UI is rebuilt only when its sources or lockfile changed.
web: $(WEB)/dist/index.html

$(WEB)/node_modules/.package-lock.json: $(WEB)/package-lock.json
	cd $(WEB) && npm ci --no-audit --no-fund --loglevel=error

$(WEB)/dist/index.html: $(WEB)/node_modules/.package-lock.json $(WEB_SOURCES)
	cd $(WEB) && npm run build --silent

run: setup web
	$(UV) run python tools/run.py

test: setup web
	cd $(WEB) && npm test --silent
	$(PYTEST)

test-fast: setup  ## everything but the e2e stack test and the web UI
	$(PYTEST) -m "not e2e"

bench: setup
	$(UV) run python tests/bench/run.py

lint: setup
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(UV) run mypy libs/contracts/src libs/runtime/src

fmt: setup
	$(UV) run ruff check --fix .
	$(UV) run ruff format .

docs: setup
	$(UV) run python tools/asyncapi.py

schemas: setup  ## accept a reviewed change of the event schemas
	UPDATE_SCHEMAS=1 $(PYTEST) libs/contracts

clean:
	rm -rf var .pytest_cache $(WEB)/dist
