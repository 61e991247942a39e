# Two commands do all the set-up: `make run` starts the app, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint typecheck unit fuzz bench bench-quick locales wheel extract-messages update-catalogs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Reinstall when pyproject.toml changes.
$(VENV)/.run-deps: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.dev-deps: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[dev,native]'
	touch $@ $(VENV)/.run-deps

# Compiled catalogs (.mo) are build products; the .po files are the source.
locales: $(VENV)/.run-deps
	$(BIN)/pybabel compile -d evaus/locales -D messages --statistics

# The installable package (dist/evaus-*.whl) with the catalogs compiled first. See README.
wheel: locales
	$(BIN)/python -m pip wheel --no-deps -w dist .

run: $(VENV)/.run-deps locales
	$(BIN)/evaus serve

LINT := $(BIN)/ruff check evaus project_db tests && $(BIN)/ruff format --check evaus project_db tests
lint: $(VENV)/.dev-deps
	$(LINT)

typecheck: $(VENV)/.dev-deps
	$(BIN)/mypy

# Every part runs even when an earlier one fails, so one failure does not hide the rest of the
# results; `make test` fails at the end, naming the parts that failed. Two pytest runs: the
# browser tests drive Playwright's own event loop, which cannot share a process with the asyncio
# tests of NiceGUI's simulated user (tests/ui). --durations=25 lists where the time went.
# Each run spreads its tests over TEST_WORKERS processes (pytest-xdist; `auto`: one per CPU):
# much of a test's time is spent waiting for LibreOffice, PostgreSQL, a server or the browser,
# which the other worker fills. The tests are isolated per worker: own temp dirs, databases
# (random names), ports, servers and LibreOffice profiles. `worksteal` evens out the long tests
# at the end; in the browser run `loadgroup` keeps each xdist_group (one expensive module-scoped
# set-up, such as the nginx + two-instance cluster) on one worker.
# The browser run mostly waits (for the browser, the servers it starts, LibreOffice): it uses
# about 40 % of two CPUs. TEST_TOGETHER=yes runs it in the background, at the same time as lint,
# types and the other run, its output kept in $(TEST_LOGS)/browser.log and printed when both have
# ended; the default runs them one after the other until that is shown not to flake on a busy
# machine. TEST_WORKERS=0: one process per run.
TEST_WORKERS ?= auto
TEST_TOGETHER ?= no
TEST_LOGS ?= .test-logs
PYTEST_CI := $(BIN)/pytest --durations=25 -n $(TEST_WORKERS)
BROWSER_RUN := $(PYTEST_CI) --dist loadgroup tests/e2e tests/deploy
test: $(VENV)/.dev-deps locales
	@failed=""; mkdir -p $(TEST_LOGS); rm -f $(TEST_LOGS)/browser.*; \
	if [ "$(TEST_TOGETHER)" = yes ]; then \
		echo "The browser tests run in the background; their output follows at the end."; \
		( $(BROWSER_RUN) > $(TEST_LOGS)/browser.log 2>&1; echo $$? > $(TEST_LOGS)/browser.rc ) & \
		browser=$$!; \
	fi; \
	( $(LINT) ) || failed="$$failed lint"; \
	$(BIN)/mypy || failed="$$failed typecheck"; \
	$(PYTEST_CI) --dist worksteal --ignore=tests/e2e --ignore=tests/deploy \
		|| failed="$$failed pytest"; \
	if [ "$(TEST_TOGETHER)" = yes ]; then \
		wait $$browser; echo "--- browser tests (tests/e2e, tests/deploy) ---"; \
		cat $(TEST_LOGS)/browser.log; \
		[ "$$(cat $(TEST_LOGS)/browser.rc 2>/dev/null)" = 0 ] || failed="$$failed pytest-e2e-deploy"; \
	else \
		$(BROWSER_RUN) || failed="$$failed pytest-e2e-deploy"; \
	fi; \
	if [ -n "$$failed" ]; then echo "make test: failed:$$failed"; exit 1; fi

unit: $(VENV)/.dev-deps locales
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal tests/unit

# Longer fuzzing than the ~30 s that `make test` spends (importers, schemas, failing imports).
fuzz: $(VENV)/.dev-deps
	EVAUS_FUZZ_EXAMPLES=5000 $(BIN)/pytest -p no:cacheprovider tests/unit/test_fuzz.py \
		tests/db/test_fuzz_import.py

# Benchmarks: scripts printing `name value unit` lines, ratios measured side by side in one run
# (not timed tests). The generated databases are kept under /tmp and reused; Datasette is
# installed into its own virtual environment there on first use. See README, "Performance".
bench-quick: $(VENV)/.dev-deps locales
	$(BIN)/python -m tests.bench.bench_search --projects 10000 --rounds 20
	$(BIN)/python -m tests.bench.bench_http_search --projects 10000 --rounds 40
	$(BIN)/python -m tests.bench.bench_web --projects 10000 --starts 3 --loads 5 --clicks 30
	$(BIN)/python -m tests.bench.bench_reports --rounds 7
	$(BIN)/python -m tests.bench.bench_batch --projects 200
	$(BIN)/python -m tests.bench.bench_import --rows 2000 --rounds 1
	$(BIN)/python -m tests.bench.bench_cli --rounds 5
	$(BIN)/python -m tests.bench.bench_public --projects 10000
	$(BIN)/python -m tests.bench.bench_open_data --projects 10000 --rounds 3

bench: $(VENV)/.dev-deps locales
	$(BIN)/python -m tests.bench.bench_search --projects 100000
	$(BIN)/python -m tests.bench.bench_http_search --projects 100000
	$(BIN)/python -m tests.bench.bench_web --projects 100000
	$(BIN)/python -m tests.bench.bench_reports
	$(BIN)/python -m tests.bench.bench_batch --projects 1000
	$(BIN)/python -m tests.bench.bench_import --rows 10000
	$(BIN)/python -m tests.bench.bench_cli
	$(BIN)/python -m tests.bench.bench_public --projects 100000
	$(BIN)/python -m tests.bench.bench_open_data --projects 100000

# Translators: extract new strings, then update the fi, sv and en catalogs.
extract-messages: $(VENV)/.dev-deps
	$(BIN)/pybabel extract -F pyproject.toml -o evaus/locales/messages.pot --no-location \
		--sort-output --project EVAUS -k N_ -k _say -k tr -k format_message:1 evaus project_db

update-catalogs: extract-messages
	$(BIN)/pybabel update -i evaus/locales/messages.pot -d evaus/locales -D messages --no-fuzzy-matching \
		--ignore-obsolete

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
