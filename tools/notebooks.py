"""Maintain the lesson's notebooks.

    python -m tools.notebooks refresh [NOTEBOOK ...]   # re-execute in place, storing the outputs
    python -m tools.notebooks benchmark [NOTEBOOK ...] # wall time and peak memory per notebook
    python -m tools.notebooks benchmark --record       # ... and store them for the site
    python -m tools.notebooks setup-cell [NOTEBOOK]    # print the set-up cell (of NOTEBOOK)
    python -m tools.notebooks setup [NOTEBOOK ...]     # rewrite the set-up cells (no execution)
    python -m tools.notebooks tidy [NOTEBOOK ...]      # apply the cell-tag rules, no execution
    python -m tools.notebooks type-along [NOTEBOOK ...]  # write type-along/NN-slug.ipynb
    python -m tools.notebooks list [--extras|--no-extras]  # the episodes' notebooks

The site shows the outputs ``refresh`` stores (the build executes nothing); nbval in `make
test` checks that they are what the code gives.

Every notebook starts with the same set-up cell, rendered here from two sources: the
repository URL in ``_config.yml`` and pyproject.toml (the pins of the ``notebooks`` group and
the supported Pythons). ``refresh`` writes it
into each notebook before executing it; a test checks that the stored cells are up to date.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from tools import config

# The cell tags and folders this module and the lesson checks use (tools/config.py).
SETUP_TAG, LIVE_CODE, GOING_FURTHER, GPU = (
    config.SETUP,
    config.LIVE_CODE,
    config.GOING_FURTHER,
    config.GPU,
)
HELPER, PRACTICE = config.HELPER, config.PRACTICE
PLUMBING, PLUMBING_SHOWN, REMOVE_CELL = (
    config.PLUMBING,
    config.PLUMBING_SHOWN,
    config.REMOVE_CELL,
)
TYPE_ALONG_NOTE, STATS_PAGE = config.TYPE_ALONG_NOTE, config.STATS_PAGE

ROOT = config.ROOT
NOTEBOOKS = ROOT / config.NOTEBOOKS
# Colab collapses a code cell only in "form" view, which needs a "# @title" line: Colab then
# shows the title and a "Show code" link (it ignores JupyterLab's `jupyter.source_hidden`).
PLUMBING_TITLE = "# @title For the lesson's pages (glue, claims): run it, no need to read it"
BUDGET = config.NOTEBOOK_BUDGET
BUDGET_LABELS = {
    "wall_s": ("wall time", "s"),
    "peak_mb": ("peak memory", "MB"),
    "cell_s": ("slowest cell", "s"),
}
#: The markers of the notebooks' time and memory table (``benchmark --record``) on the
#: statistics page; ``record_table`` writes between them, ``recorded_rows`` reads back.
NOTEBOOK_MARKERS = (
    "<!-- notebook-times: start (python -m tools.notebooks benchmark --record writes this table) -->",
    "<!-- notebook-times: end -->",
)


def repository_url(root: Path = ROOT) -> tuple[str, str]:
    import yaml

    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    repo = config["repository"]
    return repo["url"].rstrip("/"), repo.get("branch", "main")


def extra_of(nb) -> str | None:
    """The extra a notebook needs beyond the lesson's environment (its metadata's
    ``lesson.extra``, e.g. "deep-learning" for episode 09), or None."""
    return nb.get("metadata", {}).get("lesson", {}).get("extra")


def extra_of_path(path: Path) -> str | None:
    return extra_of(json.loads(path.read_text(encoding="utf-8")))


def lesson_notebooks(
    root: Path = ROOT, extras: bool | None = None
) -> list[Path]:
    """The episodes' notebooks (``notebooks/NN-slug.ipynb``): all of them, or only those
    without an extra (``extras=False``: what the lesson's environment runs) or with one
    (``extras=True``: e.g. episode 09, which needs PyTorch)."""
    paths = sorted((root / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    if extras is None:
        return paths
    return [
        path for path in paths if (extra_of_path(path) is not None) == extras
    ]


def kernel_for(path: Path) -> str:
    """The name of the Jupyter kernel that runs this notebook: "python3" (this environment),
    or for a notebook with an extra, a kernel of the extra's environment (``.venv-NAME``,
    built when missing or out of date), which this process can then start."""
    extra = extra_of_path(path)
    if extra is None:
        return "python3"
    from tools import pythons

    venv = pythons.extra_environment(extra)
    name = f"lesson-{extra}"
    specs = venv / "share" / "jupyter"
    kernel = specs / "kernels" / name / "kernel.json"
    kernel.parent.mkdir(parents=True, exist_ok=True)
    argv = [
        str(venv / "bin" / "python"),
        "-m",
        "ipykernel_launcher",
        "-f",
        "{connection_file}",
    ]
    kernel.write_text(
        json.dumps(
            {
                "argv": argv,
                "display_name": f"Python ({extra})",
                "language": "python",
            }
        )
    )
    paths = os.environ.get("JUPYTER_PATH", "").split(os.pathsep)
    if str(specs) not in paths:
        os.environ["JUPYTER_PATH"] = os.pathsep.join(
            [str(specs), *filter(None, paths)]
        )
    return name


#: The set-up cell: the first code cell of every notebook, at most 15 lines. In Colab, which
#: has only the notebook, it installs lessonkit from the lesson's repository (pip, no
#: dependencies), then hands over to ``lessonkit.setup()``, which installs the lesson's pins
#: there and checks the kernel everywhere (src/lessonkit/start.py, unit-tested). ``Stop``
#: shows its message without a traceback. LESSON_REPOSITORY (``URL@BRANCH``) overrides the
#: address (the Colab tests point it at this repository); ``make fork`` rewrites REPO.
SETUP_CELL = """\
# @title Set-up (checks this kernel; on Colab, installs the lesson first)
import importlib.util, os, subprocess, sys

Stop = type("Stop", (Exception,), {{"_render_traceback_": lambda e: e.args}})
REPO = "{repository}"
have = importlib.util.find_spec("lessonkit")
if not have and "google.colab" in sys.modules:
    url = "git+" + os.environ.get("LESSON_REPOSITORY", REPO)
    pip = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", url]
    got = subprocess.run(pip, capture_output=True, text=True)
    if got.returncode:
        raise Stop(f"Is this session online? No {{url}}:\\n{{got.stderr}}")
elif not have:
    raise Stop("No lessonkit here: choose the lesson's kernel (Setup page).")
importlib.import_module("lessonkit").setup({arguments})"""


def setup_cell_source(
    root: Path = ROOT, extra: str | None = None, slug: str = "NN-slug"
) -> str:
    """The set-up cell of notebook ``slug``, which needs the optional dependencies ``extra``."""
    url, branch = repository_url(root)
    arguments = f'"{slug}"' + (f', "{extra}"' if extra else "")
    return SETUP_CELL.format(repository=f"{url}@{branch}", arguments=arguments)


def _source(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _collapse(meta: dict) -> None:
    meta.setdefault("jupyter", {})["source_hidden"] = True
    meta["cellView"] = "form"


def _expand(meta: dict) -> None:
    meta.pop("cellView", None)
    jupyter = meta.get("jupyter", {})
    jupyter.pop("source_hidden", None)
    if not jupyter:
        meta.pop("jupyter", None)


def tidy(nb, path: Path | None = None) -> bool:
    """Apply the cell-tag rules to a notebook (in place); return whether anything changed.

    * A ``plumbing`` cell is collapsed in JupyterLab (``metadata.jupyter.source_hidden``) and
      in Colab (``metadata.cellView = "form"`` and a first line ``PLUMBING_TITLE``), and
      removed from the site (tag ``remove-cell``).
    * A ``helper`` cell (a simulator, figure styling) is collapsed the same way, titled by its
      own first comment (``# Helper: ...`` becomes Colab's ``# @title Helper: ...``), and
      folded on the site (``hide-input``): learners can open it.
    * A ``plumbing-shown`` cell, or a cell that lost its tag, gets none of that (the rules undo
      what they added).
    * With ``path`` (the notebook's file), its practice cells are filled from its episode's
      page (tools/practice.py).
    """
    before = json.dumps(nb, sort_keys=True)
    if path is not None:
        from tools import practice

        practice.fill(nb, path)
    for cell in nb["cells"]:
        if cell.get("cell_type") != "code":
            continue
        meta = cell.setdefault("metadata", {})
        tags = list(meta.get("tags", []))
        if SETUP_TAG in tags:  # collapsed too, by put_setup_cell
            continue
        source = _source(cell)
        lines = source.split("\n")
        titled = lines[0] == PLUMBING_TITLE
        if PLUMBING in tags and PLUMBING_SHOWN not in tags:
            _collapse(meta)
            if REMOVE_CELL not in tags:
                tags.append(REMOVE_CELL)
            if not titled:
                source = PLUMBING_TITLE + "\n" + source
        elif HELPER in tags:
            _collapse(meta)
            if "hide-input" not in tags:
                tags.append("hide-input")
            if not lines[0].startswith("# @title "):
                source = (
                    "# @title "
                    + lines[0].lstrip("# ")
                    + "\n"
                    + "\n".join(lines[1:])
                )
        elif titled or meta.get("cellView") == "form":
            # No longer (hidden) plumbing or a helper: undo the rules' own changes.
            _expand(meta)
            if titled:
                source = "\n".join(lines[1:])
                if REMOVE_CELL in tags:
                    tags.remove(REMOVE_CELL)
            elif lines[0].startswith("# @title "):
                source = (
                    "# "
                    + lines[0][len("# @title ") :]
                    + "\n"
                    + "\n".join(lines[1:])
                )
                if "hide-input" in tags:
                    tags.remove("hide-input")
        if tags:
            meta["tags"] = tags
        if source != _source(cell):
            cell["source"] = source
    return json.dumps(nb, sort_keys=True) != before


def tidy_file(path: Path) -> bool:
    import nbformat

    nb = nbformat.read(path, as_version=4)
    changed = tidy(nb, path)
    if changed:
        nbformat.write(nb, path)
    return changed


# ----------------------------------------------------------------------------- type-along
#: Where the type-along notebooks live: a folder next to notebooks/, so that a type-along
#: notebook opened from a clone or on Binder finds ../data and ../template exactly as the full
#: one does (lessonkit's loader searches ./data and ../data); in Colab the set-up cell
#: downloads the data as for the full notebook. Not part of the site (_config.yml excludes it)
#: nor of nbval (the tests run notebooks/NN-*.ipynb).
TYPE_ALONG = config.TYPE_ALONG


def type_along_path(path: Path) -> Path:
    """``notebooks/NN-slug.ipynb`` -> ``type-along/NN-slug.ipynb`` (same lesson root)."""
    return path.resolve().parent.parent / TYPE_ALONG / path.name


def type_along(nb, name: str = "NN-slug.ipynb"):
    """The type-along version of a full notebook (a new notebook; ``nb`` is not changed).

    Every ``live-code`` cell keeps only its first line (the comment saying what to type);
    ``plumbing`` cells (glue and claim checks, for the site) are left out: they use the names
    of the full notebook's code, which learners type their own way; practice cells lose their
    solutions and answers; everything else stays; outputs and execution counts are stripped.
    A markdown cell (tag ``type-along-note``) after the title says what this notebook is and
    how to catch up.
    """
    import copy

    from tools import practice

    out = copy.deepcopy(nb)
    out["cells"] = [
        c
        for c in out["cells"]
        if PLUMBING not in c.get("metadata", {}).get("tags", [])
        or PLUMBING_SHOWN in c.get("metadata", {}).get("tags", [])
    ]
    for cell in out["cells"]:
        if (
            PRACTICE in cell.get("metadata", {}).get("tags", [])
            and cell.get("cell_type") == "markdown"
        ):
            cell["source"] = practice.without_answers(_source(cell))
        if cell.get("cell_type") != "code":
            continue
        cell["outputs"] = []
        cell["execution_count"] = None
        cell.get("metadata", {}).pop("execution", None)
        if LIVE_CODE in cell.get("metadata", {}).get("tags", []):
            cell["source"] = _source(cell).split("\n", 1)[0]
    first = out["cells"][0] if out["cells"] else None
    title = (
        1 if first is not None and first.get("cell_type") == "markdown" else 0
    )
    prefix = str(first.get("id", "nb"))[:2] if first is not None else "nb"
    note = {
        "cell_type": "markdown",
        "id": f"{prefix}-type-along",
        "metadata": {"tags": [TYPE_ALONG_NOTE]},
        "source": (
            "**Type-along version.** The cells the instructor live-codes are empty but for a "
            "comment saying what to write: type the code under the comment as you follow along "
            "(the comment ends with the names that later cells use, e.g. `→ cv, scores`: use "
            "those names). Everything else (set-up, data loading, plotting) is filled in; run it "
            "as it comes. Challenges and quick checks come where they practise, without their "
            "answers.\n\n**Fell behind?** Type `%catch_up` under the comment of the empty cell "
            "where the class is, and run it: it runs the full notebook's code up to that cell, "
            "and you carry on from there. The full notebook, with every cell and its outputs, is "
            f"`notebooks/{name}` in the lesson."
        ),
    }
    out["cells"].insert(title, note)
    import nbformat

    return nbformat.from_dict(out)


def fill_type_along(typed, full):
    """Fill a type-along notebook's blanks from the full notebook (for the round-trip test):
    drop the note, give each live-code and practice cell the full notebook's source (matched
    by cell id), and put the plumbing cells back after the cell they followed."""
    import copy

    sources = {cell.get("id"): _source(cell) for cell in full["cells"]}
    out = copy.deepcopy(typed)
    out["cells"] = [
        c
        for c in out["cells"]
        if TYPE_ALONG_NOTE not in c.get("metadata", {}).get("tags", [])
    ]
    for cell in out["cells"]:
        if {LIVE_CODE, PRACTICE} & set(
            cell.get("metadata", {}).get("tags", [])
        ):
            cell["source"] = sources.get(cell.get("id"), _source(cell))
    kept = {cell.get("id") for cell in out["cells"]}
    cells, previous = list(out["cells"]), None
    for cell in full["cells"]:
        if (
            cell.get("id") not in kept
        ):  # a plumbing cell: after its predecessor in the full notebook
            at = (
                0
                if previous is None
                else next(
                    i for i, c in enumerate(cells) if c.get("id") == previous
                )
                + 1
            )
            cells.insert(
                at, strip_outputs({"cells": [copy.deepcopy(cell)]})["cells"][0]
            )
        previous = cell.get("id")
    out["cells"] = cells
    return out


def strip_outputs(nb):
    """A copy of a notebook without outputs, execution counts or execution timings."""
    import copy

    out = copy.deepcopy(nb)
    for cell in out["cells"]:
        if cell.get("cell_type") == "code":
            cell["outputs"], cell["execution_count"] = [], None
            cell.get("metadata", {}).pop("execution", None)
    return out


def type_along_text(path: Path) -> str:
    """The type-along notebook of ``path``, as the text that `type-along` writes."""
    import nbformat

    nb = type_along(nbformat.read(path, as_version=4), path.name)
    return nbformat.writes(nbformat.from_dict(nb)) + "\n"


def write_type_along(path: Path) -> Path:
    target = type_along_path(path)
    target.parent.mkdir(exist_ok=True)
    target.write_text(type_along_text(path), encoding="utf-8")
    return target


def _shown(path: Path) -> str:
    return (
        str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
    )


def notebook_paths(names: list[str]) -> list[Path]:
    if names:
        return [Path(n).resolve() for n in names]
    return sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))


def put_setup_cell(nb, path: Path) -> None:
    """Make the current set-up cell the first code cell (right after the title cell), keeping
    its id and the stored outputs of an unchanged cell; give a cell without an id a new one
    (existing ids never change, so that diffs stay small and type-along cells keep matching)."""
    import nbformat

    source = setup_cell_source(extra=extra_of(nb), slug=path.stem)
    existing = [
        i
        for i, c in enumerate(nb.cells)
        if SETUP_TAG in c.get("metadata", {}).get("tags", [])
    ]
    old = nb.cells[existing[0]] if existing else None
    for index in reversed(existing):
        del nb.cells[index]
    # Collapsed in JupyterLab (source_hidden) and Colab (a form, titled by its first line);
    # folded away on the site (hide-input): learners run it, few need to read it.
    metadata = {
        "tags": [SETUP_TAG, "hide-input"],
        "jupyter": {"source_hidden": True},
        "cellView": "form",
    }
    setup = nbformat.v4.new_code_cell(source, metadata=metadata)
    if old is not None:
        setup["id"] = old.get("id", setup["id"])
        if "".join(old.get("source", "")) == source:
            setup["outputs"], setup["execution_count"] = (
                old.get("outputs", []),
                old.get("execution_count"),
            )
    title = 1 if nb.cells and nb.cells[0].cell_type == "markdown" else 0
    nb.cells.insert(title, setup)
    give_ids(nb, path.stem[:2])


def give_ids(nb, prefix: str) -> None:
    """A readable, unique id (``NN-xxx``) for every cell that has none; existing ids stay."""
    used = {cell.get("id") for cell in nb.cells}
    number = 0
    for cell in nb.cells:
        if cell.get("id") and not str(cell["id"]).startswith("new-"):
            continue
        while f"{prefix}-{number:03d}" in used:
            number += 1
        cell["id"] = f"{prefix}-{number:03d}"
        used.add(cell["id"])


def write_setup_cells(paths: list[Path]) -> None:
    """Rewrite the set-up cell of each notebook (and of its type-along version) in place,
    without executing anything (its outputs are empty in the lesson's environment): after a
    change of address or pins."""
    import nbformat

    for path in paths:
        nb = nbformat.read(path, as_version=4)
        put_setup_cell(nb, path)
        tidy(nb, path)
        nbformat.write(nb, path)
        if type_along_path(path).parent.is_dir():
            write_type_along(path)


def refresh(path: Path) -> None:
    """Put the current set-up cell first, execute top to bottom, store the outputs."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    put_setup_cell(nb, path)
    tidy(nb, path)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    client = NotebookClient(
        nb,
        timeout=600,
        kernel_name=kernel_for(path),
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    nb.metadata.pop("widgets", None)
    stderr = [
        (i, o.get("text", "")[:200])
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.get("name") == "stderr"
    ]
    nbformat.write(nb, path)
    if stderr:
        raise SystemExit(
            f"{path.name}: cells wrote to stderr (fix the cause): {stderr}"
        )
    print(f"refreshed {path.relative_to(ROOT)}")


def cell_seconds(cell) -> float:
    """How long a cell ran, from the timings nbclient records (``record_timing=True``); 0 when
    it has none (markdown, or not run)."""
    from datetime import datetime

    timing = cell.get("metadata", {}).get("execution", {})
    began, ended = (
        timing.get("iopub.execute_input"),
        timing.get("shell.execute_reply"),
    )
    if not (began and ended):
        return 0.0
    return (
        datetime.fromisoformat(ended.rstrip("Z"))
        - datetime.fromisoformat(began.rstrip("Z"))
    ).total_seconds()


def record_table(
    markers: tuple[str, str], table: str, root: Path = ROOT
) -> None:
    """Write ``table`` between the two ``markers`` of the statistics page, replacing what was
    there."""
    page = root / STATS_PAGE
    text = page.read_text(encoding="utf-8")
    start, end = (
        text.index(markers[0]) + len(markers[0]),
        text.index(markers[1]),
    )
    page.write_text(
        text[:start] + "\n" + table + "\n" + text[end:], encoding="utf-8"
    )
    print(f"wrote the table in {STATS_PAGE}")


def recorded_rows(
    markers: tuple[str, str], columns: int, root: Path = ROOT
) -> dict[str, list[str]] | None:
    """The rows of ``columns`` cells of the Markdown table between ``markers`` on the
    statistics page, by their first cell (a notebook's file name); None when a marker is
    missing."""
    text = (root / STATS_PAGE).read_text(encoding="utf-8")
    if markers[0] not in text or markers[1] not in text:
        return None
    table = text.split(markers[0], 1)[1].split(markers[1], 1)[0]
    rows = {}
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == columns and cells[0].endswith(".ipynb"):
            rows[cells[0]] = cells
    return rows


def _run_one(path: Path) -> dict:
    """Execute a notebook (not in place) in this process; measure its kernel."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=600,
        kernel_name=kernel_for(path),
        record_timing=True,
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    client.execute()
    wall = time.perf_counter() - start
    slowest = max((cell_seconds(cell) for cell in nb.cells), default=0.0)
    # The kernel is a child process that has exited: ru_maxrss is its peak (kB on Linux).
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "notebook": path.name,
        "wall_s": wall,
        "peak_mb": peak_mb,
        "cell_s": slowest,
    }


def over_budget(measured: dict[str, float]) -> list[str]:
    """What of a notebook's measurements (``BUDGET``'s keys) is over budget, in words; empty
    when it is within budget."""
    over = []
    for key, limit in BUDGET.items():
        label, unit = BUDGET_LABELS[key]
        if measured[key] >= limit:
            over.append(
                f"{label} {measured[key]:g} {unit} (budget: under {limit:g} {unit})"
            )
    return over


def machine() -> str:
    """The machine a measurement ran on, in words, for the tables of the statistics page."""
    import platform

    cpu = ""
    if Path("/proc/cpuinfo").is_file():
        names = [
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ]
        cpu = f" ({names[0]})" if names else ""
    return f"{os.cpu_count()} cores{cpu}, {platform.system()} {platform.machine()}"


def notebook_table(rows: list[dict], repeat: int = 5) -> str:
    """The statistics page's table of ``benchmark``'s measurements (one row per notebook,
    each with the date it was measured)."""
    budget = ", ".join(
        f"{BUDGET_LABELS[key][0]} under {limit:g} {BUDGET_LABELS[key][1]}"
        for key, limit in BUDGET.items()
    )
    lines = [
        f"Measured on {machine()}: each notebook {repeat} times in a fresh kernel, one run at a "
        f"time; the median of each measure. Budget per notebook: {budget}.",
        "",
        "| notebook | wall time (s) | peak memory (MB) | slowest cell (s) | within budget | measured |",
        "|:--|--:|--:|--:|:--|:--|",
    ]
    for row in rows:
        lines.append(
            f"| {row['notebook']} | {row['wall_s']:.1f} | {row['peak_mb']:.0f} | {row['cell_s']:.1f} | "
            f"{'no' if over_budget(row) else 'yes'} | {row['date']} |"
        )
    return "\n".join(lines)


def merged_rows(
    new: list[dict],
    old: dict[str, list[str]] | None,
    keys: list[str],
    root: Path = ROOT,
) -> list[dict]:
    """The rows of a recorded table after measuring some notebooks: the new rows, and the
    recorded rows of the notebooks not measured now (``old``: from ``recorded_rows``; its
    cells after the name are ``keys``, as numbers but the date and the within-budget verdict), in the lesson's
    order; rows of notebooks that no longer exist are dropped."""
    rows = {row["notebook"]: row for row in new}
    for name, cells in (old or {}).items():
        if name not in rows:
            values = dict(zip(keys, cells[1:], strict=False))
            rows[name] = {
                "notebook": name,
                **{
                    k: (v if k in ("date", "within") else float(v))
                    for k, v in values.items()
                },
            }
    order = [path.name for path in lesson_notebooks(root)]
    return [rows[name] for name in order if name in rows]


def benchmark(paths: list[Path], record: bool = False, repeat: int = 5) -> int:
    """Run each notebook ``repeat`` times, each in a fresh process and kernel, and print the
    median wall time, peak memory and slowest cell against ``BUDGET``; with ``record``, write
    the table on the statistics page. (The median: a shared or busy machine makes single runs
    vary by a quarter or more.)"""
    import statistics
    from datetime import date

    print(
        f"Budget per notebook: under {BUDGET['wall_s']:.0f} s, under {BUDGET['peak_mb']:.0f} MB "
        f"peak, no cell over {BUDGET['cell_s']:.0f} s. Machine: {machine()}.\n"
    )
    header = f"{'notebook':<40} {'wall (s)':>9} {'peak (MB)':>10} {'slowest cell (s)':>17}  within budget"
    print(header)
    print("-" * len(header))
    rows = []
    for path in paths:
        runs = []
        for _ in range(repeat):
            # One fresh process per run, so that peak memory is that notebook's alone.
            out = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "tools.notebooks",
                    "_measure",
                    str(path),
                ],
                check=True,
                capture_output=True,
                text=True,
                cwd=ROOT,
            )
            runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
        row = {
            "notebook": runs[0]["notebook"],
            **{
                key: statistics.median(run[key] for run in runs)
                for key in ("wall_s", "peak_mb", "cell_s")
            },
        }
        # Judged as shown (and as recorded): 19.96 s is "20.0", over budget.
        row.update(
            wall_s=round(row["wall_s"], 1),
            peak_mb=round(row["peak_mb"]),
            cell_s=round(row["cell_s"], 1),
            date=date.today().isoformat(),
        )
        rows.append(row)
        print(
            f"{row['notebook']:<40} {row['wall_s']:>9.1f} {row['peak_mb']:>10.0f} "
            f"{row['cell_s']:>17.1f}  {'NO' if over_budget(row) else 'yes'}"
        )
    print(
        f"\n{sum(not over_budget(row) for row in rows)} of {len(paths)} notebooks within budget "
        f"(medians of {repeat} runs)."
    )
    if (
        record
    ):  # the rows measured now replace theirs; the others stay as recorded
        old = recorded_rows(NOTEBOOK_MARKERS, 6)
        keys = ["wall_s", "peak_mb", "cell_s", "within", "date"]
        merged = merged_rows(rows, old, keys)
        record_table(NOTEBOOK_MARKERS, notebook_table(merged, repeat))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "command",
        choices=[
            "refresh",
            "tidy",
            "type-along",
            "benchmark",
            "setup-cell",
            "setup",
            "list",
            "_measure",
        ],
    )
    parser.add_argument("notebooks", nargs="*")
    parser.add_argument(
        "--record",
        action="store_true",
        help=f"benchmark: store the table in {STATS_PAGE}",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=5,
        help="benchmark: runs per notebook (the table shows medians)",
    )
    parser.add_argument(
        "--extras",
        action="store_true",
        help="list: only the notebooks that need an extra",
    )
    parser.add_argument(
        "--no-extras",
        action="store_true",
        help="list: only the notebooks that need none",
    )
    args = parser.parse_args(argv)
    if (
        args.command == "setup-cell"
    ):  # a notebook's own, when named (it may add an extra)
        path = Path(args.notebooks[0]) if args.notebooks else None
        print(
            setup_cell_source(extra=extra_of_path(path), slug=path.stem)
            if path
            else setup_cell_source()
        )
    elif args.command == "list":
        extras = True if args.extras else False if args.no_extras else None
        print(
            " ".join(
                _shown(path) for path in lesson_notebooks(ROOT, extras=extras)
            )
        )
    elif args.command == "setup":
        write_setup_cells(notebook_paths(args.notebooks))
    elif args.command == "refresh":
        for path in notebook_paths(args.notebooks):
            refresh(path)
            if type_along_path(path).parent.is_dir():
                write_type_along(path)
    elif args.command == "tidy":
        for path in notebook_paths(args.notebooks):
            print(
                f"{'tidied' if tidy_file(path) else 'unchanged'} {_shown(path)}"
            )
            if type_along_path(
                path
            ).parent.is_dir():  # the lesson has type-along notebooks
                write_type_along(path)
    elif args.command == "type-along":
        for path in notebook_paths(args.notebooks):
            print(f"wrote {_shown(write_type_along(path))}")
    elif args.command == "benchmark":
        return benchmark(
            notebook_paths(args.notebooks),
            record=args.record,
            repeat=args.repeat,
        )
    elif args.command == "_measure":
        print(json.dumps(_run_one(Path(args.notebooks[0]))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
