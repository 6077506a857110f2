# Two commands for a fresh machine (README.md):
#   make site   set up the pinned environment in .venv and build the site (strict)
#   make test   every guarantee below, one after another (what CI runs: .ci/run)
#
# Each guarantee is one target that runs alone (CONTRIBUTING.md, "The checks"):
#   check         lint, lesson checks, unit tests, incremental build (< 90 s)
#   template      the take-home template's own tests, in place and in a copy on its own
#   nbval         every notebook's stored outputs, re-executed on this Python
#   pythons       ... on each other supported Python (.venv-py3.X, synced from uv.lock)
#   deep-learning episode 09 in its PyTorch environment (.venv-deep-learning)
#   seed-runs     claims at other seeds (strict), a learner at a fresh seed, type-along catch-up
#   records       the recorded seed sweep and benchmarks are current and within their rules
#   colab         every notebook alone in an emulated Colab session
#   binder        a notebook through Binder's server, as repo2docker builds it
#   setup-page    the Setup page's commands, as written, in a fresh folder
#   site-tests    the strict build, then the built pages in a real browser
# Authors' commands: episode, refresh, seeds, benchmark, timing, format, lock, fork, clean.
#
# Any supported Python works (pyproject.toml's requires-python: 3.11, 3.12 or 3.13); the
# default is the `python3` on your PATH. Pick another with `make PYTHON=python3.13 site`.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
# Use the environment's tools first (the notebooks' kernel is found on PATH).
export PATH := $(abspath $(BIN)):$(PATH)
# The tests run the lesson's claims strictly: a claim that does not hold fails the run.
export LESSON_STRICT := 1
# Two notebook runs at a time (pytest-xdist); each notebook's cells stay on one worker.
JOBS   ?= 2
PYTEST := $(PY) -m pytest -p no:cacheprovider
NBVAL  := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg -n $(JOBS) --dist loadfile
# The notebooks the lesson's own environment runs (episode 09 needs its extra, PyTorch).
LESSON_NOTEBOOKS = $(shell $(PY) -m tools.notebooks list --no-extras)
EXTRA_NOTEBOOKS  = $(shell $(PY) -m tools.notebooks list --extras)

.PHONY: site build test check template nbval pythons deep-learning seed-runs records colab binder \
        setup-page site-tests episode refresh seeds benchmark timing format lock fork clean python-ok

# Stop at once, in one line, when PYTHON is missing or not a supported version.
python-ok:
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) not found: install Python 3.11, 3.12 or 3.13, or run 'make PYTHON=/path/to/python3 ...'"; exit 1; }
	@$(PYTHON) tools/pythons.py check $(PYTHON)

$(PY): | python-ok
	$(PYTHON) -m venv $(VENV)

# Re-install whenever the exported lock or lessonkit's metadata changes. The requirements
# file carries a hash for every file, so pip installs exactly what was tested.
$(VENV)/.installed: $(PY) requirements-authors.txt pyproject.toml
	@$(PYTHON) tools/pythons.py check $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-authors.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

site: $(VENV)/.installed build

# The one build command: warnings are errors, references are checked. Notebooks are rendered
# from their stored outputs (`make refresh` writes them, `make nbval` checks them).
build: $(VENV)/.installed
	$(PY) -m tools.build

# Every guarantee. Two at a time (each runs two notebooks at a time): the installs of the
# hosted emulations wait on the network while the notebook runs use the processor. -k: every
# guarantee runs, and make fails at the end if any failed.
GUARANTEES := colab setup-page pythons seed-runs binder site-tests nbval deep-learning template check records
test: $(VENV)/.installed
	$(MAKE) -k -j2 --output-sync=target $(GUARANTEES)

check: $(VENV)/.installed
	$(PY) -m ruff check --quiet .
	$(PY) -m ruff format --check --quiet .
	$(PY) -m tools.lesson_checks --fast
	$(PYTEST) -n $(JOBS) tests/checks
	$(PY) -m tools.build --incremental --quiet --output _build/check

template: $(VENV)/.installed
	$(PYTEST) -n $(JOBS) template/tests tests/template

nbval: $(VENV)/.installed
	$(PYTEST) $(NBVAL) $(LESSON_NOTEBOOKS)

pythons: $(VENV)/.installed
	$(PY) -m tools.pythons nbval-others -- $(NBVAL) $(LESSON_NOTEBOOKS)

deep-learning: $(VENV)/.installed
	$(PY) -m tools.pythons extra deep-learning
	.venv-deep-learning/bin/python -m pytest -p no:cacheprovider $(NBVAL) $(EXTRA_NOTEBOOKS)
	$(PYTEST) tests/hosted/test_deep_learning.py

seed-runs: $(VENV)/.installed
	$(PY) -m tools.pythons extra deep-learning
	$(PYTEST) -n $(JOBS) tests/notebooks

records: $(VENV)/.installed
	$(PY) -m tools.lesson_checks --only check_seed_record,check_notebook_times,check_colab_times

colab: $(VENV)/.installed
	$(PYTEST) -n $(JOBS) tests/hosted/test_colab.py

binder: $(VENV)/.installed
	$(PYTEST) tests/hosted/test_binder.py

setup-page: $(VENV)/.installed
	$(PYTEST) tests/hosted/test_setup_page.py

site-tests: $(VENV)/.installed
	$(PY) -m tools.build
	$(PYTEST) tests/site

# Start a new episode: its page, its notebook and its place in _toc.yml, e.g.
#   make episode NAME=10-data-versioning TITLE="Versioning data"
episode: $(VENV)/.installed
	@test -n "$(NAME)" -a -n "$(TITLE)" || { echo 'usage: make episode NAME=NN-slug TITLE="Title"'; exit 1; }
	$(PY) -m tools.episode $(NAME) "$(TITLE)"

# Re-execute every notebook (or NB=notebooks/NN-slug.ipynb) and store its outputs: what the
# site shows and what nbval compares. Also rewrites the type-along notebooks.
refresh: $(VENV)/.installed
	$(PY) -m tools.notebooks refresh $(NB)

# The seed sweep: every notebook at seeds 0-19, every claim recorded; re-runs only the
# notebooks whose code changed since the record (ALL=1: every notebook). Writes the table of
# the Execution statistics page that `make records` checks.
seeds: $(VENV)/.installed
	$(PY) -m tools.pythons extra deep-learning
	$(PY) -m tools.seeds $(if $(ALL),--all)

# Wall time, peak memory and slowest cell per notebook (NB=... for some), and the Colab
# set-up times, recorded on the Execution statistics page; then the site's build times.
benchmark: $(VENV)/.installed
	$(PY) -m tools.benchmark $(NB)

# Each episode's modelled minutes (words, live-coded and shown code, quick checks) against
# its declared ones, per section.
timing: $(VENV)/.installed
	$(PY) -m tools.timing

# Format and lint every Python file and notebook (ruff; settings in pyproject.toml).
format: $(VENV)/.installed
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

# Resolve pyproject.toml's pins into uv.lock (Linux, macOS and Windows, every supported
# Python), then export the hashed requirements files that pip, conda and Binder install.
lock: $(VENV)/.installed
	$(PY) -m tools.lock

# Teach from your own copy: move every address (launch links, the notebooks' first cell,
# the data download, the pages) to REPO, e.g.
#   make fork REPO=https://github.com/you/easy-wins BRANCH=main
BRANCH ?= main
fork: $(VENV)/.installed
	@test -n "$(REPO)" || { echo "usage: make fork REPO=https://github.com/OWNER/NAME [BRANCH=main]"; exit 1; }
	$(PY) -m tools.fork $(REPO) --branch $(BRANCH)

clean:
	rm -rf _build
