# Everything a fresh machine needs: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test test-unit test-integration test-browser lint typecheck bench bench-scale bench-api fault-test install clean test-min

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# The stamp is rebuilt whenever pyproject.toml changes, so dependencies never go stale.
$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

run: install
	$(BIN)/uvicorn app.web.main:app --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check app tests bench
	$(BIN)/ruff format --check app tests bench

typecheck: install
	$(BIN)/mypy

test-unit: install
	$(BIN)/pytest -m unit

test-integration: install
	$(BIN)/pytest -m integration

# Playwright driving Debian's Chromium (/usr/bin/chromium or CHROMIUM_PATH) against the served app.
test-browser: install
	$(BIN)/pytest -m browser

test: install lint typecheck
	$(BIN)/pytest

bench: install
	$(BIN)/python bench/bench_core.py

# The dashboard with 100,000 assessments in one workspace, on SQLite and PostgreSQL (a few
# minutes, up to ~15 GB in the temporary folder); --write-docs records the figures in the docs.
bench-scale: install
	$(BIN)/python bench/scale_dashboard.py

# POST /api/v1/score against a bare FastAPI endpoint that validates the same answers and echoes
# them: both under uvicorn[standard] with 2 workers, loaded by wrk in the same run with the same
# pool of 1,000 distinct answer sets (~3 minutes; installs wrk with apt when run as root).
# Figures in docs/BENCHMARKS.md.
bench-api: install
	$(BIN)/python bench/api_bench.py --rounds 8 --duration 10

# The server is SIGKILLed and restarted while clients submit: every acknowledged submission
# must be there, intact (also run, smaller, by tests/integration/test_fault_kill.py).
fault-test: install
	$(BIN)/python bench/fault_kill.py --database sqlite
	$(BIN)/python bench/fault_kill.py --database postgresql

# Checks the lower bounds declared in pyproject.toml: installs the lowest allowed direct
# dependencies in a separate environment and runs the test suite there.
test-min:
	$(PYTHON) -m venv .venv-min
	.venv-min/bin/pip install --quiet uv
	.venv-min/bin/uv pip install --quiet --python .venv-min/bin/python --resolution lowest-direct -e ".[dev]"
	.venv-min/bin/pytest -q -p no:cacheprovider

clean:
	rm -rf $(VENV) .venv-min .pytest_cache .mypy_cache .ruff_cache
