PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test shell dist-check lint bench report screenshots evaluate clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/claimscan run corpus --out out

# pytest exits 5 when it ran no test: make fails then (a suite that ran nothing is not a pass).
test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS) || { rc=$$?; [ $$rc -ne 5 ] || \
		echo "make test: pytest ran no tests (exit 5): failing" >&2; exit $$rc; }

# Build the sdist and wheel, twine-check them, install the wheel into a clean venv and run it.
dist-check: $(STAMP)
	$(BIN)/python scripts/check_dist.py

lint: $(STAMP)
	$(BIN)/ruff check --output-format concise .

# A shell with .venv/bin first on PATH, so `claimscan` is the installed command (exit to leave).
shell: $(STAMP)
	@echo "claimscan: $(CURDIR)/$(BIN)/claimscan is on PATH in this shell; exit to leave" >&2
	@PATH="$(CURDIR)/$(BIN):$$PATH" VIRTUAL_ENV="$(CURDIR)/$(VENV)" $${SHELL:-/bin/sh}

report: $(STAMP)
	$(BIN)/claimscan report corpus --out out/report.html

screenshots: report
	scripts/screenshot_report.sh out/report.html

evaluate: $(STAMP)
	$(BIN)/claimscan evaluate --gold corpus/gold.json corpus/dev --no-misses
	$(BIN)/claimscan evaluate --gold corpus/gold.json corpus/test --no-misses

bench: $(STAMP)
	$(BIN)/python benchmarks/throughput.py

clean:
	rm -rf $(VENV) out
