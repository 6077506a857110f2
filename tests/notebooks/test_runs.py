"""The notebooks as learners meet them: at other seeds, and in their type-along version.

* **Other seeds, strictly.** Every notebook at seeds 1 and 2 with ``LESSON_STRICT=1``: every
  claim of the episode holds (``lessonkit.claim`` raises otherwise). The seed sweep (`make
  seeds`, checked by `make records`) covers seeds 0-19; these runs keep a few seeds in every
  test run, whatever the record says.
* **A learner at a fresh seed.** Every notebook at one seed outside the sweep's, different for
  every commit (``tools.seeds.fresh_seed``), as a learner runs it: it must reach its end. A
  claim that does not hold there prints one line and the notebook goes on.
* **Type-along, fallen behind.** Every type-along notebook with each live-code cell left
  empty but for ``%catch_up`` (a learner who never typed a line and caught up at every
  cell): it must reach its end, every later cell finding the names it reads.

Each run executes in a kernel of the notebook's environment (episode 09: `.venv-deep-learning`,
built by `make seed-runs` before the tests).
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from tools import config, notebooks, seeds

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = notebooks.lesson_notebooks(ROOT)
STRICT_SEEDS = (1, 2)


@pytest.mark.parametrize("seed", STRICT_SEEDS)
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_claims_hold_at_another_seed(notebook, seed):
    error = seeds.run_notebook(notebook, seed, strict=True)
    assert error is None, f"LESSON_SEED={seed}:\n{error[-6000:]}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_a_learner_at_a_fresh_seed_reaches_the_end(notebook):
    seed = seeds.fresh_seed(ROOT)
    error = seeds.run_notebook(notebook, seed, strict=False)
    assert error is None, (
        f"LESSON_SEED={seed} (learner mode):\n{error[-6000:]}"
    )


def caught_up_everywhere(typed) -> int:
    """Leave every live-code cell of a type-along notebook as a learner who fell behind at
    each: its comment, then ``%catch_up``. Returns how many cells that is."""
    n = 0
    for cell in typed.cells:
        if cell.cell_type == "code" and config.LIVE_CODE in cell.metadata.get(
            "tags", []
        ):
            cell.source = cell.source.split("\n", 1)[0] + "\n%catch_up"
            n += 1
    return n


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_type_along_with_catch_up_at_every_cell_reaches_the_end(
    notebook, tmp_path
):
    typed = nbformat.read(
        ROOT / config.TYPE_ALONG / notebook.name, as_version=4
    )
    assert caught_up_everywhere(typed) > 0, "no live-code cells"
    path = tmp_path / notebook.name
    nbformat.write(typed, path)
    # Run where the type-along notebook lives, so that %catch_up finds ../notebooks/.
    error = seeds.run_notebook(
        path, 0, strict=False, cwd=ROOT / config.TYPE_ALONG
    )
    assert error is None, error[-6000:]
