# Two commands for a fresh machine (see README.md):
#   make site   set up the pinned environment in .venv and build the site (strict)
#   make test   set up if needed, then run the whole test suite (includes the strict build and
#               nbval on every supported Python)
# Other targets: refresh (re-execute notebooks, store the outputs the site shows), timing,
# benchmark, lock, fork, clean.
#
# Any supported Python works (pyproject.toml's requires-python: 3.11, 3.12 or 3.13); the
# default is the `python3` on your PATH. Pick another with `make PYTHON=python3.13 site`.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Use the environment's tools first (the notebooks' kernel is found on PATH).
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: site build test refresh timing benchmark lock fork clean python-ok

# Stop at once, in one line, when PYTHON is missing or not a supported version.
python-ok:
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) not found: install Python 3.11, 3.12 or 3.13, or run 'make PYTHON=/path/to/python3 ...'"; exit 1; }
	@$(PYTHON) tools/pythons.py check $(PYTHON)

$(BIN)/python: | python-ok
	$(PYTHON) -m venv $(VENV)

# Re-install whenever the exported lock or the helper package's metadata changes. The
# requirements file carries a hash for every file, so pip installs exactly what was tested.
$(VENV)/.installed: $(BIN)/python requirements-authors.txt pyproject.toml
	@$(BIN)/python tools/pythons.py check $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-authors.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

site: $(VENV)/.installed build

# The one build command: warnings are errors, references are checked. Notebooks are rendered
# from their stored outputs (`make refresh` writes them, nbval in `make test` checks them).
build: $(VENV)/.installed
	$(BIN)/python tools/build.py

test: $(VENV)/.installed
	$(BIN)/python -m pytest

# Re-execute every notebook and store its outputs: what the site shows and what nbval compares.
refresh: $(VENV)/.installed
	$(BIN)/python tools/notebooks.py refresh

# Core prose words and live-coded lines per teaching minute, per episode, beside the
# Carpentries anchors (the lesson check fails an episode above 53 words or 2.5 lines).
timing: $(VENV)/.installed
	$(BIN)/python tools/timing.py

# Wall time, peak memory and slowest cell per notebook, and the Colab set-up times (both
# recorded on the Execution statistics page), then a cold and an incremental site build.
benchmark: $(VENV)/.installed
	$(BIN)/python tools/benchmark.py

# Resolve pyproject.toml's pins into uv.lock (Linux, macOS and Windows, every supported
# Python), then export the hashed requirements files that pip, conda and Binder install.
lock: $(VENV)/.installed
	$(BIN)/python tools/lock.py

# Teach from your own copy: move every address (launch links, the Colab set-up, lessonkit's
# install address, the data download, the pages) to REPO, e.g.
#   make fork REPO=https://github.com/you/easy-wins BRANCH=main
BRANCH ?= main
fork: $(VENV)/.installed
	@test -n "$(REPO)" || { echo "usage: make fork REPO=https://github.com/OWNER/NAME [BRANCH=main]"; exit 1; }
	$(BIN)/python tools/fork.py $(REPO) --branch $(BRANCH)

clean:
	rm -rf _build
