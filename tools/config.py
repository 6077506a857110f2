"""The lesson's shared facts, in one place: folders, cell tags, variables and budgets.

Every tool and test reads them from here. (The package list is lessonkit's own metadata, in
pyproject.toml; the supported Pythons are its ``requires-python``.)
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# ------------------------------------------------------------------------------ folders
EPISODES = "episodes"  # the prose, episodes/NN-slug.md
NOTEBOOKS = "notebooks"  # the full notebooks, notebooks/NN-slug.ipynb
TYPE_ALONG = (
    "type-along"  # generated type-along notebooks, type-along/NN-slug.ipynb
)
STATS_PAGE = (
    Path("instructors") / "execution-statistics.md"
)  # recorded measurements

# ------------------------------------------------------------------------------ cell tags
# Set by authors (CONTRIBUTING.md, "Cell tags"):
LIVE_CODE = "live-code"  # the instructor types it live; learners type along
GOING_FURTHER = "going-further"  # optional material, outside the timed core
PLUMBING = "plumbing"  # for the site: glue() calls and claim() checks
PLUMBING_SHOWN = "plumbing-shown"  # the one plumbing cell the site shows, with an explanation
GPU = "gpu"  # does more on a GPU; on a CPU it says there is none
HELPER = "helper"  # a simulator or figure styling: collapsed, not counted
# Set by the tools:
SETUP = "lesson-setup"  # the set-up cell (first code cell)
PRACTICE = "practice"  # a challenge or quick check, generated from the episode
REMOVE_CELL = "remove-cell"  # myst-nb: not on the site
TYPE_ALONG_NOTE = (
    "type-along-note"  # the note at the top of a type-along notebook
)

# ------------------------------------------------------------------------------ variables
#: Variables by which tools detect a CI server: pytest reads the first two, Hypothesis all of
#: them. Runs that must look like a learner's laptop drop them, and learner-facing cells must
#: not set them (nor PYTHONDONTWRITEBYTECODE or Hypothesis' print_blob).
CI_VARIABLES = (
    "CI",
    "BUILD_NUMBER",
    "GITHUB_ACTIONS",
    "GITLAB_CI",
    "TF_BUILD",
    "CIRCLECI",
    "BUILDKITE",
    "CIRRUS_CI",
    "CODEBUILD_BUILD_ID",
    "HEROKU_TEST_RUN_ID",
    "TEAMCITY_VERSION",
    "bamboo.buildKey",
)
CI_ONLY_SETTINGS = (*CI_VARIABLES, "PYTHONDONTWRITEBYTECODE", "print_blob")

# ------------------------------------------------------------------------------ budgets
#: Each notebook on a 2-core laptop (CONTRIBUTING.md, "Notebooks"): under 20 s and 700 MB
#: peak, no cell over 5 s. `make benchmark` measures it; check_notebook_times holds the
#: recorded measurements to it.
NOTEBOOK_BUDGET = {"wall_s": 20.0, "peak_mb": 700.0, "cell_s": 5.0}
#: The seeds the sweep (`make seeds`) runs every notebook with; every claim must hold at all.
SWEEP_SEEDS = range(20)
