"""Every claim holds for other seeds, not only for the published draw (seed 0).

Each notebook takes its seed from ``LESSON_SEED`` (``lessonkit.lesson_seed``). Here every
notebook is executed (a notebook with an extra, such as episode 09's PyTorch, in the extra's
environment) (plainly: the numbers change, so stored outputs are not compared) with
seeds 1, 2 and 3. A hidden claim check that fails for any of them fails the test: the sentence
it guards rests on one lucky draw and needs a larger simulation, a paired comparison or a
weaker wording.

The runs start together (one per core at a time) when the first test needs one.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import RUNS_AT_ONCE

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import notebooks  # noqa: E402

NOTEBOOKS = notebooks.lesson_notebooks(ROOT)
SEEDS = (1, 2, 3)

# Executes one notebook in a fresh process and kernel (which inherits LESSON_SEED), without
# writing it back; prints the failing cell's error.
_EXECUTE = """
import sys, nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
path = sys.argv[1]
nb = nbformat.read(path, as_version=4)
try:
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(__import__("pathlib").Path(path).parent)}}).execute()
except CellExecutionError as error:
    print(error)
    sys.exit(1)
"""


def _execute(notebook: Path, seed: int) -> subprocess.CompletedProcess:
    env = {**os.environ, "LESSON_SEED": str(seed)}
    return subprocess.run([notebooks.python_for(notebook), "-c", _EXECUTE, str(notebook)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=900)  # fmt: skip


@pytest.fixture(scope="module")
def seed_runs(request):
    """Start the selected runs together (one per core at a time): a `-k` that picks a few
    notebooks runs only those."""
    wanted = {
        (item.callspec.params["notebook"].name, item.callspec.params["seed"])
        for item in request.session.items
        if getattr(item, "originalname", None) == "test_claims_hold_for_another_seed"
    }
    pool = ThreadPoolExecutor(max_workers=RUNS_AT_ONCE)
    jobs = {(nb.name, seed): pool.submit(_execute, nb, seed) for seed in SEEDS for nb in NOTEBOOKS if (nb.name, seed) in wanted}
    yield jobs
    pool.shutdown(wait=True)


def test_every_notebook_reads_the_lesson_seed():
    missing = [nb.name for nb in NOTEBOOKS if "lesson_seed()" not in nb.read_text(encoding="utf-8")]
    assert not missing, f"these notebooks do not take their seed from lessonkit.lesson_seed(): {missing}"


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_claims_hold_for_another_seed(notebook, seed, seed_runs):
    result = seed_runs[notebook.name, seed].result()
    assert result.returncode == 0, f"LESSON_SEED={seed}:\n" + (result.stdout + result.stderr)[-6000:]
