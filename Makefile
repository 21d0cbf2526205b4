# Two commands do everything on a fresh machine: `make demo` and `make test` (see README).
# Each sets itself up idempotently: Debian packages (if any are missing), a venv, pip packages.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# fonts-noto-cjk: Chinese glyphs in PDFs; poppler-utils: pdftotext/pdftoppm for the PDF tests;
# libharfbuzz-subset0: WeasyPrint subsets CJK fonts with it in seconds (its fontTools fallback takes minutes)
# chromium: the browser the web tests drive through Playwright (/usr/bin/chromium; never `playwright install`)
APT_PACKAGES := fonts-noto-cjk poppler-utils libharfbuzz-subset0 chromium
WORKSPACE ?= kpiguard-data

.PHONY: setup system-deps bytecode demo test lint unit bench clean

setup: system-deps $(STAMP) bytecode

# compiled once here, so that no command compiles the package's modules again on every start
# (with PYTHONDONTWRITEBYTECODE set, as in CI, Python never writes them itself: ~0.1 s a command)
bytecode: $(STAMP)
	$(BIN)/python -m compileall -q src

system-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -U pip
	$(BIN)/pip install -q -e '.[dev,pdf]'
	touch $(STAMP)

PORT ?= 8000

# builds the demo workspace (six stores, a year of reports, signed plans, events, accounts), then
# serves it at http://127.0.0.1:$(PORT)/ until Ctrl-C; the demo accounts are printed above the URL
demo: setup
	$(BIN)/kpiguard --workspace $(WORKSPACE) demo
	$(BIN)/kpiguard --workspace $(WORKSPACE) serve --host 127.0.0.1 --port $(PORT)

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

unit: setup
	$(BIN)/pytest -n 2 --dist loadfile

test: lint unit

bench: setup
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) $(WORKSPACE) .pytest_cache .mypy_cache .ruff_cache
