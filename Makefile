# Targets behind the README's two commands. Everything installs into ./.venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Raw folder for the data build (see README "Rebuilding the data").
ALIGN_RAW_DIR ?= ../shared/raw
export ALIGN_RAW_DIR
PORT ?= 8501
# Extra options of the fetch step of `make update` (e.g. FETCH_FLAGS=--offline-replay to rehearse it offline).
FETCH_FLAGS ?=
# Interface the dashboard listens on: this machine only by default (README, "Serving on a network").
ADDRESS ?= 127.0.0.1

.PHONY: run test test-unit install install-dev chromium data update lint bench golden clean

$(BIN)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(BIN)/.dev: requirements-dev.txt $(BIN)/.runtime
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(BIN)/.runtime
install-dev: $(BIN)/.dev

## make run: install the runtime packages and start the dashboard on http://localhost:$(PORT) (this machine only)
run: install
	$(BIN)/streamlit run dashboard.py --server.port $(PORT) --server.address $(ADDRESS)

# pytest with "no tests collected" (exit 5) counted as a failure
define pytest_run
$(BIN)/pytest -q $(1); rc=$$?; \
  if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing" >&2; exit 1; fi; exit $$rc
endef

## make test: lint and format check, data check, every test (the unit tests first, then the browser
## tests, installing Debian's chromium first when it is missing and we are root)
test: install-dev lint
	$(BIN)/python -m indicators --check
	$(call pytest_run,-m "not browser")
	$(MAKE) --no-print-directory chromium
	$(call pytest_run,-m browser)

## make test-unit: the same without the browser tests (for machines without Chromium)
test-unit: install-dev lint
	$(BIN)/python -m indicators --check
	$(call pytest_run,-m "not browser")

chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; \
	  else echo "Debian's chromium is missing: run 'sudo apt-get install chromium chromium-driver' (or 'make test-unit' to skip the browser tests)" >&2; exit 1; fi; \
	fi

## make data: rebuild data/ from the raw extracts in $(ALIGN_RAW_DIR)
data: install
	$(BIN)/python -m indicators.build --raw $(ALIGN_RAW_DIR)

## make update: fetch the raw inputs from their producers into $(ALIGN_RAW_DIR) (python -m indicators.fetch),
## rebuild data/, check it, refresh snapshots/ (the responses replayed by the tests and the shipped copies) and
## print what changed against the data before the update (python -m indicators.diff; kept in .update/report.txt).
## Stops at the first failure: a failed download (the previous snapshot is kept), a validation error in the build.
update: install-dev
	rm -rf .update && mkdir .update && cp -r data .update/previous
	$(BIN)/python -m indicators.fetch --raw $(ALIGN_RAW_DIR) $(FETCH_FLAGS)
	$(BIN)/python -m indicators.build --raw $(ALIGN_RAW_DIR)
	$(BIN)/python -m indicators --check
	$(BIN)/python tools/make_cassettes.py --raw $(ALIGN_RAW_DIR)
	$(BIN)/python -m indicators.fetch --raw $(ALIGN_RAW_DIR) --update-shipped
	$(BIN)/python -m indicators.diff .update/previous data > .update/report.txt && cat .update/report.txt

lint: install-dev
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

bench: install-dev
	$(BIN)/python -m scoring.bench
	$(BIN)/python benchmarks/browser_bench.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .update
