"""Start a new episode: its page, its notebook and its entry in the table of contents.

    python -m tools.episode NN-slug "Title"      (or: make episode NAME=NN-slug TITLE="...")

Writes ``episodes/NN-slug.md`` (front matter, a section, a quick check, a challenge with its
solution, an instructor note) and ``notebooks/NN-slug.ipynb`` (title, imports, a live-code cell,
a plumbing cell with a glue and a claim, the practice cells), and lists both in ``_toc.yml``
after the last core episode. Then edit both, and run ``make refresh NB=notebooks/NN-slug.ipynb``:
it adds the set-up cell, fills the practice cells from the page, executes the notebook and
writes its type-along version. CONTRIBUTING.md, "Adding an episode", says what comes next.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tools import config, lesson_meta

PAGE = """\
---
title: "{title}"
teaching: 10
exercises: 5
questions: ["What question does this episode answer?"]
objectives: ["Do one thing a learner can check."]
keypoints: ["One sentence a learner takes home."]
---

## A first section

Say why a scientist would care, then show it in the notebook. A number from the notebook:
{{glue:text}}`../notebooks/{slug}.ipynb::n_rows:d` rows.

:::{{quick-check}} What does the notebook's first number count?
:label: qc-{number}-rows
- option: The columns of the table.
  why: A table's length is its number of rows, not of columns.
- option: The rows of the table.
  correct: true
  why: `len` of a DataFrame counts its rows.
- option: The missing values.
  why: Missing values are counted with `isna().sum()`.
:::

::::{{exercise}} A first challenge (5 min)
:label: ex-{number}-first

Ask learners to change one thing and predict the result.
::::

::::{{solution}} ex-{number}-first
:class: dropdown

What happens, and why.
::::

:::{{instructor-note}}
What to live-code, where learners get stuck, what to cut when time is short.
:::
"""


def notebook(slug: str, title: str):
    import nbformat

    number = slug[:2]
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [
        md(
            f"# {title} (notebook)\n\nThis notebook goes with the episode *{title}*."
        ),
        code(
            "from lessonkit import claim, glue, lesson_seed, load_penguins\n\nSEED = lesson_seed()"
        ),
        md("## A first section"),
        code(
            "# Load the penguins → penguins\npenguins = load_penguins()\nlen(penguins)",
            metadata={"tags": [config.LIVE_CODE]},
        ),
        code(
            'glue("n_rows", len(penguins))\nclaim(len(penguins) > 0, "the table has rows", n_rows=len(penguins))',
            metadata={"tags": [config.PLUMBING]},
        ),
        md(f"<!-- practice: qc-{number}-rows -->"),
        md(f"<!-- practice: ex-{number}-first -->"),
    ]
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"{number}-{index:03d}"
    return nb


def add_to_toc(slug: str, root: Path) -> None:
    """List the episode and its notebook after the last core episode in _toc.yml."""
    path = root / "_toc.yml"
    lines = path.read_text(encoding="utf-8").split("\n")
    last = max(
        i
        for i, line in enumerate(lines)
        if line.strip().startswith("- file: notebooks/")
        and "caption: Optional" not in "\n".join(lines[:i])
    )
    indent = lines[last - 2][
        : len(lines[last - 2]) - len(lines[last - 2].lstrip())
    ]
    entry = [
        f"{indent}- file: episodes/{slug}",
        f"{indent}  sections:",
        f"{indent}    - file: notebooks/{slug}",
    ]
    lines[last + 1 : last + 1] = entry
    path.write_text("\n".join(lines), encoding="utf-8")


def create(slug: str, title: str, root: Path = config.ROOT) -> list[Path]:
    import nbformat

    if not lesson_meta.EPISODE_NAME.match(slug):
        raise SystemExit(
            f"{slug!r}: name an episode NN-slug, e.g. 10-data-versioning"
        )
    page, nb_path = (
        root / config.EPISODES / f"{slug}.md",
        root / config.NOTEBOOKS / f"{slug}.ipynb",
    )
    for path in (page, nb_path):
        if path.exists():
            raise SystemExit(f"{path.relative_to(root)} exists already")
    page.write_text(
        PAGE.format(title=title, slug=slug, number=slug[:2]), encoding="utf-8"
    )
    nbformat.write(notebook(slug, title), nb_path)
    add_to_toc(slug, root)
    return [page, nb_path, root / "_toc.yml"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("slug", help="NN-slug, e.g. 10-data-versioning")
    parser.add_argument(
        "title", help='the episode\'s title, e.g. "Versioning data"'
    )
    args = parser.parse_args(argv)
    for path in create(args.slug, args.title):
        print(f"wrote {path.relative_to(config.ROOT)}")
    print(
        f"Next: edit both, then `make refresh NB=notebooks/{args.slug}.ipynb` (CONTRIBUTING.md)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
