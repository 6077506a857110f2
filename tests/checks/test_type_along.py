"""The type-along generator (tools/notebooks.py type-along) on a synthetic notebook, and its
lesson check (current, round-trips, no strays)."""

from __future__ import annotations

import json

import nbformat

from tools import lesson_checks
from tools import notebooks as nbtools


def full_notebook():
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    cells = [
        nbformat.v4.new_markdown_cell("# Penguins"),
        nbformat.v4.new_code_cell(
            "import lessonkit",
            metadata={"tags": ["lesson-setup", "hide-input"]},
        ),
        nbformat.v4.new_code_cell("penguins = lessonkit.load_penguins()"),
        nbformat.v4.new_code_cell(
            "# Fit the forest with five seeds\nscores = [fit(s) for s in range(5)]\nscores",
            metadata={"tags": ["live-code"]},
        ),
        nbformat.v4.new_code_cell(
            "# Plot the scores\nplt.plot(scores)",
            metadata={"tags": ["live-code"]},
        ),
        nbformat.v4.new_code_cell(
            "# @title ...\nglue('n', 5)",
            metadata={"tags": ["plumbing", "remove-cell"]},
        ),
        nbformat.v4.new_code_cell(
            "# Optional: ten seeds\nscores10 = [fit(s) for s in range(10)]",
            metadata={"tags": ["going-further"]},
        ),
    ]
    for index, cell in enumerate(cells):
        cell["id"] = f"01-{index:03d}"
        if cell.cell_type == "code":
            cell.execution_count = index
            cell.outputs = [
                nbformat.v4.new_output("stream", name="stdout", text="out\n")
            ]
    nb.cells = cells
    return nb


def test_live_code_cells_keep_their_first_comment_line_and_nothing_else_changes():
    full = full_notebook()
    typed = nbtools.type_along(full, "01-penguins.ipynb")
    assert full.cells[3].outputs, "the full notebook is not changed"
    note = typed.cells[1]
    assert note.cell_type == "markdown" and note.metadata["tags"] == [
        "type-along-note"
    ]
    assert "`notebooks/01-penguins.ipynb`" in note.source
    body = typed.cells[:1] + typed.cells[2:]
    assert [c.source for c in body] == [
        "# Penguins",
        "import lessonkit",
        "penguins = lessonkit.load_penguins()",
        "# Fit the forest with five seeds",
        "# Plot the scores",
        "# Optional: ten seeds\nscores10 = [fit(s) for s in range(10)]",
    ]
    assert all(
        c.outputs == [] and c.execution_count is None
        for c in body
        if c.cell_type == "code"
    )
    # The plumbing cell (glue, checks: for the site, using the full notebook's names) is left out.
    assert [c.metadata for c in body] == [
        c.metadata
        for c in full.cells
        if "plumbing" not in c.metadata.get("tags", [])
    ]
    nbformat.validate(typed)


def test_filling_the_blanks_gives_the_full_notebook_back():
    full = full_notebook()
    filled = nbtools.fill_type_along(nbtools.type_along(full), full)
    assert filled == nbtools.strip_outputs(full)
    assert filled != full  # the outputs are gone


def lesson(tmp_path):
    (tmp_path / "notebooks").mkdir()
    path = tmp_path / "notebooks" / "01-penguins.ipynb"
    nbformat.write(full_notebook(), path)
    return path


def test_the_check_wants_current_type_along_notebooks(tmp_path):
    path = lesson(tmp_path)
    assert lesson_checks.check_type_along(tmp_path) == [
        "type-along/01-penguins.ipynb is missing: run `python -m tools.notebooks type-along notebooks/01-penguins.ipynb`"
    ]
    target = nbtools.write_type_along(path)
    assert target == tmp_path / "type-along" / "01-penguins.ipynb"
    assert lesson_checks.check_type_along(tmp_path) == []
    nb = json.loads(path.read_text())
    nb["cells"][4]["source"] = (
        "# Plot the scores as bars\nplt.bar(range(5), scores)"
    )
    path.write_text(json.dumps(nb))
    assert lesson_checks.check_type_along(tmp_path) == [
        "type-along/01-penguins.ipynb is not current with notebooks/01-penguins.ipynb: "
        "run `python -m tools.notebooks type-along notebooks/01-penguins.ipynb`"
    ]
    nbtools.write_type_along(path)
    (tmp_path / "type-along" / "02-gone.ipynb").write_text("{}")
    assert lesson_checks.check_type_along(tmp_path) == [
        "type-along/02-gone.ipynb has no notebooks/02-gone.ipynb: delete it"
    ]


def test_the_built_site_check_wants_both_notebooks_linked_from_each_episode(
    tmp_path,
):
    path = lesson(tmp_path)
    nbtools.write_type_along(path)
    (tmp_path / "_config.yml").write_text(
        "repository:\n  url: https://github.com/org/repo\n  branch: main\n"
    )
    html = tmp_path / "html"
    downloads = {}
    for folder in ("notebooks", "type-along"):
        target = html / "_downloads" / folder[:4] / "01-penguins.ipynb"
        target.parent.mkdir(parents=True)
        target.write_text(
            (tmp_path / folder / "01-penguins.ipynb").read_text()
        )
        downloads[folder] = f"../_downloads/{folder[:4]}/01-penguins.ipynb"
    page = html / "episodes" / "01-penguins.html"
    page.parent.mkdir()

    def links(folder):
        return (
            f'<a href="https://mybinder.org/v2/gh/org/repo/main?urlpath=lab%2Ftree%2F{folder}%2F01-penguins.ipynb">b</a>'
            f'<a href="https://colab.research.google.com/github/org/repo/blob/main/{folder}/01-penguins.ipynb">c</a>'
            f'<a href="{downloads[folder]}">d</a>'
        )

    page.write_text(
        f"<html><body>{links('notebooks')}{links('type-along')}</body></html>"
    )
    assert lesson_checks.check_built_site(tmp_path, html) == []
    page.write_text(f"<html><body>{links('notebooks')}</body></html>")
    assert lesson_checks.check_built_site(tmp_path, html) == [
        f"episodes/01-penguins.html: no {kind} link to type-along/01-penguins.ipynb"
        for kind in ("Binder", "Colab", "download")
    ]
