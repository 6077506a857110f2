"""``%catch_up``: one step back into the workshop for a learner who fell behind.

In a type-along notebook the cells the instructor live-codes are empty but for a comment. A
learner who is lost types ``%catch_up`` under that comment and runs the cell: the full
notebook's code (``notebooks/NN-slug.ipynb``, the one the instructor types from) runs in the
learner's kernel, quietly, from where the last catch-up stopped (or from the top) up to and
including this cell, whose output is shown. Every name the rest of the notebook needs then
exists, with the full notebook's values.

``lessonkit.setup("NN-slug")`` (the notebook's first cell) registers the magic and says which
notebook this is. The full notebook is read from the lesson's ``notebooks/`` folder when the
type-along notebook runs in a clone or on Binder, and downloaded from the lesson's repository
on Colab (next to the data: ``LESSON_DATA_URL``).
"""

from __future__ import annotations

import difflib
import json
import os
import urllib.request
from pathlib import Path

#: Per notebook, the index of the last cell of the full notebook that a catch-up has run in
#: this kernel: the next catch-up continues from there.
_DONE: dict[str, int] = {}
#: The notebook this kernel runs (its ``NN-slug``), as ``lessonkit.setup`` names it, and the
#: folder it started in (a notebook may change folder later: episode 05's tests do).
NOTEBOOK: str | None = None
HOME: Path | None = None
#: Cell tags (tools/config.py names them too): the cells a catch-up runs and those it skips.
LIVE_CODE, PLUMBING, SETUP = "live-code", "plumbing", "lesson-setup"


class CatchUpError(RuntimeError):
    """The catch-up cannot run; the message says why and what to do."""

    def _render_traceback_(self) -> list[str]:
        return [f"{type(self).__name__}: {self}"]


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def full_notebook(slug: str, cwd: Path | None = None) -> dict:
    """The full notebook ``notebooks/<slug>.ipynb``: from the lesson's folder (the
    type-along notebook's own folder is its sibling), else from the lesson's repository."""
    cwd = Path.cwd() if cwd is None else cwd
    for folder in (cwd.parent / "notebooks", cwd / "notebooks", cwd):
        path = folder / f"{slug}.ipynb"
        if path.is_file() and path.resolve().parent.name == "notebooks":
            return json.loads(path.read_text(encoding="utf-8"))
    data_url = os.environ.get("LESSON_DATA_URL", "")
    if not data_url:
        raise CatchUpError(
            f"The full notebook notebooks/{slug}.ipynb is not next to this one: open this notebook "
            "from the lesson's type-along/ folder (or copy the full notebook's cells by hand)."
        )
    url = (
        f"{data_url.rstrip('/').removesuffix('/data')}/notebooks/{slug}.ipynb"
    )
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return json.loads(response.read().decode("utf-8"))
    except (OSError, ValueError) as error:
        raise CatchUpError(
            f"Could not download the full notebook from {url} ({error}): is this session online?"
        ) from None


def cells_to_run(
    nb: dict, comment: str, done: int = -1
) -> tuple[list[str], int]:
    """The code of the full notebook's cells that a catch-up at the live-code cell whose
    first line is ``comment`` runs: every code cell after cell ``done`` up to and including
    that one, but the set-up cell and the plumbing cells (which the type-along notebook
    leaves out). Returns the sources and the index of the live cell."""
    cells = nb["cells"]
    live = {
        i: _source(c).split("\n", 1)[0].strip()
        for i, c in enumerate(cells)
        if c["cell_type"] == "code" and LIVE_CODE in _tags(c)
    }
    matches = [i for i, first in live.items() if first == comment.strip()]
    if len(matches) != 1:
        close = difflib.get_close_matches(
            comment.strip(), list(live.values()), n=1
        )
        hint = (
            f" Did you change it? The notebook's comment is: {close[0]}"
            if close
            else ""
        )
        raise CatchUpError(
            "Type %catch_up under the comment of an empty live-code cell (the comment says what "
            f"the instructor types there); this cell's comment, {comment.strip()!r}, is not one.{hint}"
        )
    target = matches[0]
    start = done + 1 if done < target else 0
    sources = [
        _source(cells[i])
        for i in range(start, target + 1)
        if cells[i]["cell_type"] == "code"
        and not {PLUMBING, SETUP} & set(_tags(cells[i]))
    ]
    return sources, target


def catch_up(line: str = "") -> None:
    """The ``%catch_up`` magic: run the full notebook up to this cell (see the module)."""
    from IPython import get_ipython
    from IPython.utils.capture import capture_output

    ip = get_ipython()
    slug = line.strip() or NOTEBOOK
    if not slug:
        raise CatchUpError(
            "Run the notebook's first cell (the set-up) first: it tells %catch_up which notebook this is."
        )
    cell = ip.history_manager.input_hist_raw[-1]
    comment = next(
        (text for text in cell.splitlines() if text.strip().startswith("#")),
        "",
    )
    done = _DONE.get(slug, -1)
    sources, target = cells_to_run(full_notebook(slug, HOME), comment, done)
    *before, here = sources
    if done < 0 or done >= target:
        # From the top: start where the notebook started, as the full notebook did (a cell
        # this learner ran may have changed folder, as episode 05's project folder does).
        os.chdir(HOME or Path.cwd())
    for number, source in enumerate(before, start=1):
        with capture_output():  # the cells before this one run quietly
            result = ip.run_cell(source, store_history=False, silent=True)
        if not result.success:
            raise CatchUpError(
                f"Catching up stopped at the {number}. cell it ran: {result.error_in_exec!r}"
            )
    try:
        import matplotlib.pyplot as plt

        plt.close(
            "all"
        )  # their figures were drawn before: do not show them again here
    except ImportError:
        pass
    print(
        f"Caught up: ran {len(before)} cells of notebooks/{slug}.ipynb, then this one:"
    )
    result = ip.run_cell(here, store_history=False)
    _DONE[slug] = target if result.success else target - 1


def register(notebook: str | None) -> None:
    """Make ``%catch_up`` available in this IPython kernel, for ``notebook`` (its NN-slug)."""
    global NOTEBOOK, HOME
    NOTEBOOK, HOME = notebook, Path.cwd()
    from IPython import get_ipython

    ip = get_ipython()
    if ip is None:
        raise ImportError("not running in IPython")
    ip.register_magic_function(
        catch_up, magic_kind="line", magic_name="catch_up"
    )
