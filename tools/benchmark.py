"""Measure the lesson: each notebook, a cold site build and an incremental rebuild.

    python -m tools.benchmark            # everything (about two builds plus one run per notebook)
    python -m tools.benchmark --no-build # the notebook table only
    python -m tools.benchmark --no-colab # without the Colab set-up times
    python -m tools.benchmark notebooks/02-model-evaluation.ipynb --no-colab --no-build

It also times each notebook's set-up cell in an emulated Colab session (tools/emulate.py). It
writes both tables, the notebooks' and Colab's, into the execution statistics page
(instructors/execution-statistics.md), where the lesson checks hold them to their budgets.

Budgets (on a 2-core laptop): every notebook under 20 s and 700 MB peak with no cell over 5 s;
a cold build (which renders the notebooks from their stored outputs) under 3 minutes; a
rebuild after editing one prose page under 10 s. This prints measurements and flags what is over budget; it is a benchmark,
not a test, so it always exits 0 unless something fails to run.

The builds run on a copy of the lesson in a temporary folder, so nothing here is modified.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tools import build, notebooks

ROOT = Path(__file__).resolve().parents[1]
BUILD_BUDGET = {"cold_s": 180.0, "incremental_s": 10.0}
COPY_IGNORE = shutil.ignore_patterns(
    ".venv",
    "_build",
    ".git",
    "__pycache__",
    "*.egg-info",
    ".pytest_cache",
    ".hypothesis",
    ".ipynb_checkpoints",
)
PROSE_PAGE = Path("learners") / "setup.md"


def _timed_build(root: Path, incremental: bool) -> float:
    start = time.perf_counter()
    result = subprocess.run(
        build.command(incremental=incremental, root=root),
        cwd=root,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(
            f"The build failed in {root}:\n{(result.stdout + result.stderr)[-3000:]}"
        )
    return seconds


def build_times() -> dict[str, float]:
    """A cold build (from nothing) and a rebuild after one prose edit."""
    with tempfile.TemporaryDirectory(prefix="lesson-benchmark-") as tmp:
        copy = Path(tmp) / "lesson"
        shutil.copytree(ROOT, copy, ignore=COPY_IGNORE)
        cold = _timed_build(copy, incremental=False)
        page = copy / PROSE_PAGE
        page.write_text(
            page.read_text(encoding="utf-8")
            + "\nOne more sentence for the benchmark.\n",
            encoding="utf-8",
        )
        incremental = _timed_build(copy, incremental=True)
    return {"cold_s": cold, "incremental_s": incremental}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "notebooks",
        nargs="*",
        help="only these notebooks (their rows are replaced, the others kept)",
    )
    parser.add_argument(
        "--no-build", action="store_true", help="skip the two site builds"
    )
    parser.add_argument(
        "--no-colab", action="store_true", help="skip the Colab set-up times"
    )
    args = parser.parse_args(argv)

    notebooks.benchmark(notebooks.notebook_paths(args.notebooks), record=True)
    if not args.no_colab:
        from tools import emulate

        print(
            f"\nColab set-up cell (emulated session, Python {emulate.COLAB_PYTHON}, empty download cache)"
        )
        emulate.record_colab(emulate.time_colab(emulate.NOTEBOOKS))
    if args.no_build:
        return 0
    print(f"\nSite build (copy of the lesson, {os.cpu_count()} cores)")
    times = build_times()
    labels = {
        "cold_s": "cold build",
        "incremental_s": f"rebuild after editing {PROSE_PAGE}",
    }
    for key, seconds in times.items():
        verdict = "yes" if seconds < BUILD_BUDGET[key] else "NO"
        print(
            f"  {labels[key]:<45} {seconds:>6.1f} s   budget {BUILD_BUDGET[key]:.0f} s   within budget: {verdict}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
