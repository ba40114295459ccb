# The README's two commands are `make run` and `make test`; each installs what is missing first.
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
PYTEST := $(UV) run pytest -q -p no:cacheprovider

.PHONY: setup run test test-fast bench lint fmt docs schemas clean

setup:
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install -q uv
	@$(UV) sync --frozen --quiet

run: setup
	$(UV) run python tools/run.py

test: setup
	$(PYTEST)

test-fast: setup  ## everything but the e2e stack test
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
	rm -rf var .pytest_cache
