"""Practice cells: each challenge and quick check of an episode, in its notebook too.

Learners in a workshop work in the (type-along) notebook, so every challenge and quick check
of the episode's page also appears there, where it practises. The author places it with one
markdown cell in the notebook whose first line is::

    <!-- practice: ex-02-spot-the-leak -->

(the challenge's or quick check's label); ``python -m tools.notebooks tidy`` (and ``make
refresh``) fill the cell from the page, so that page and notebook cannot drift:

* a challenge: its title and minutes, its text, and its solution collapsed in a
  ``<details>`` block; when the solution has code, an empty code cell follows (tag
  ``practice``) for the learner's answer;
* a quick check: the question, the lettered options, and the answer with why each wrong
  option is wrong, collapsed.

The type-along notebook gets the same cells without the solutions and answers. MyST roles
become plain text that Jupyter and Colab show (a glued number its value, a citation its
authors and year); directives other than code blocks and notes are not allowed in a practice
item (``problems`` says so).
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from tools import config, lesson_meta

MARK = re.compile(r"^<!-- practice: (?P<label>\S+) -->")
ROLE = re.compile(r"\{(?P<name>[\w:+-]+)\}`(?P<content>[^`]*)`")
DETAILS = re.compile(r"\n*<details>.*?</details>\n*", re.DOTALL)
ANSWER_SUMMARY = {"challenge": "Solution", "quick check": "Answer"}
ALLOWED_DIRECTIVES = {
    "note",
    "tip",
    "admonition",
    "hint",
    "important",
    "warning",
    "code-block",
    "code",
}


class PracticeError(ValueError):
    """A practice item cannot be shown in a notebook; the message says why."""


@cache
def _glued(path: str) -> dict[str, str]:
    """The values a notebook glues (its stored outputs), as the text the page shows."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    found = {}
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            if name:
                data = output.get("data", {})
                text = data.get(
                    "application/papermill.record/text/plain",
                    data.get("text/plain", ""),
                )
                found[name] = "".join(text) if isinstance(text, list) else text
    return found


def _glue_value(content: str, root: Path) -> str:
    """``../notebooks/NN-x.ipynb::key:.1f`` -> the value, formatted as the page shows it."""
    where, _, rest = content.partition("::")
    key, _, spec = rest.partition(":")
    values = _glued(str((root / "episodes" / where).resolve()))
    if key not in values:
        raise PracticeError(f"glue key {key!r} is not stored in {where}")
    raw = values[key]
    if not spec:
        return raw.strip("'\"")
    try:
        value = int(raw) if spec.endswith("d") else float(raw)
    except ValueError:
        return raw.strip("'\"")
    return format(value, spec)


@cache
def _bibliography(root: Path) -> dict[str, tuple[str, str]]:
    """key -> (authors as cited, year), from references.bib."""
    from pybtex.database import parse_file

    data = parse_file(str(root / "references.bib"))
    cited = {}
    for key, entry in data.entries.items():
        people = (
            entry.persons.get("author") or entry.persons.get("editor") or []
        )
        names = [" ".join(person.last_names) for person in people]
        if not names:
            authors = entry.fields.get("organization") or entry.fields.get(
                "title", key
            )
        elif len(names) == 1:
            authors = names[0]
        elif len(names) == 2:
            authors = f"{names[0]} and {names[1]}"
        else:
            authors = f"{names[0]} et al."
        cited[key] = (
            authors.replace("{", "").replace("}", ""),
            entry.fields.get("year", "n.d."),
        )
    return cited


def _role(match: re.Match, root: Path) -> str:
    name, content = match.group("name"), match.group("content")
    text, target = content, content
    link = re.fullmatch(r"(?s)(?P<text>.*?)\s*<(?P<target>[^>]+)>", content)
    if link:
        text, target = link.group("text"), link.group("target")
    if name.startswith("glue"):
        return _glue_value(content, root)
    if name.startswith("cite"):
        refs = [
            _bibliography(root).get(key.strip(), (key.strip(), ""))
            for key in content.split(",")
        ]
        if name == "cite:t":
            return "; ".join(f"{authors} ({year})" for authors, year in refs)
        return (
            "("
            + "; ".join(f"{authors} {year}" for authors, year in refs)
            + ")"
        )
    if name == "math":
        return f"${content}$"
    if name in ("doc", "ref", "numref", "download", "term", "abbr"):
        return (
            text
            if link
            else (target.rsplit("/", 1)[-1] if name == "doc" else text)
        )
    return text


def to_markdown(myst: str, root: Path = config.ROOT) -> str:
    """MyST (a challenge's text, a solution, an option) as Markdown that Jupyter shows."""
    out, lines, i = [], myst.split("\n"), 0
    while i < len(lines):
        line = lines[i]
        fence = re.match(
            r"^(?P<indent>[ \t]*)(?P<fence>:{3,}|`{3,})\{(?P<name>[^}]+)\}[ \t]*(?P<arg>.*)$",
            line,
        )
        if fence:
            name = fence.group("name")
            end = i + 1
            marker = fence.group("fence")
            while (
                end < len(lines)
                and lines[end].strip() != marker[0] * len(marker)
                and not (
                    lines[end].strip()
                    and set(lines[end].strip()) == {marker[0]}
                    and len(lines[end].strip()) >= len(marker)
                )
            ):
                end += 1
            body = [
                b
                for b in lines[i + 1 : end]
                if not re.match(r"^[ \t]*:[\w-]+:", b)
            ]
            if name not in ALLOWED_DIRECTIVES:
                raise PracticeError(
                    f"a {{{name}}} directive cannot be shown in a notebook (use code blocks or a note)"
                )
            if name in ("code-block", "code"):
                out += [f"```{fence.group('arg') or 'python'}", *body, "```"]
            else:
                title = fence.group("arg") or name.capitalize()
                out += [
                    f"> **{title}**",
                    ">",
                    *[f"> {b}" if b.strip() else ">" for b in body],
                ]
            i = end + 1
            continue
        if line.lstrip().startswith("```"):  # a code block: copied as it is
            end = i + 1
            while end < len(lines) and not lines[end].lstrip().startswith(
                "```"
            ):
                end += 1
            out += lines[i : end + 1]
            i = end + 1
            continue
        out.append(ROLE.sub(lambda m: _role(m, root), line))
        i += 1
    return "\n".join(out).strip("\n")


def render(
    item: lesson_meta.Practice, minutes: int | None, root: Path = config.ROOT
) -> str:
    """The practice cell's Markdown for the full notebook (answer included, collapsed)."""
    mark = f"<!-- practice: {item.label} -->"
    if item.kind == "challenge":
        time = f" ({minutes} min)" if minutes else ""
        parts = [
            mark,
            f"### Challenge: {to_markdown(item.title, root)}{time}",
            "",
            to_markdown(item.body, root),
        ]
        if item.solution:
            parts += [
                "",
                "<details><summary>Solution</summary>",
                "",
                to_markdown(item.solution, root),
                "",
                "</details>",
            ]
        return "\n".join(parts)
    letters = "ABCD"
    right = next(
        i for i, option in enumerate(item.options) if option["correct"]
    )
    parts = [
        mark,
        f"**Quick check (2 min).** {to_markdown(item.title, root)}",
        "",
    ]
    parts += [
        f"- **{letters[i]}.** {to_markdown(option['option'], root)}"
        for i, option in enumerate(item.options)
    ]
    parts += [
        "",
        "<details><summary>Answer</summary>",
        "",
        f"**{letters[right]}.** {to_markdown(item.options[right]['why'], root)}",
        "",
    ]
    parts += [
        f"- **{letters[i]}.** {to_markdown(option['why'], root)}"
        for i, option in enumerate(item.options)
        if i != right
    ]
    parts += ["", "</details>"]
    return "\n".join(parts)


def without_answers(source: str) -> str:
    """A practice cell as the type-along notebook shows it: no solution, no answer."""
    return DETAILS.sub("\n", source).rstrip("\n")


def code_cell_source(item: lesson_meta.Practice) -> str:
    return f"# Challenge: {item.title.replace('`', '')}. Your code here:"


def _items(
    root: Path, slug: str
) -> tuple[list[lesson_meta.Practice], dict[str, int]]:
    path = root / config.EPISODES / f"{slug}.md"
    if not path.is_file():
        return [], {}
    episode = lesson_meta.read_episode(path)
    minutes = {
        c.label: c.minutes for c in lesson_meta.challenges(episode.body)
    }
    return lesson_meta.practice_items(episode.body), minutes


def fill(nb, path: Path, root: Path = config.ROOT) -> None:
    """Fill the notebook's practice cells from its episode's page, in place (see module)."""
    import nbformat

    items, minutes = _items(root, path.stem)
    by_label = {item.label: item for item in items}
    cells = []
    for cell in nb.cells:
        if (
            config.PRACTICE in cell.get("metadata", {}).get("tags", [])
            and cell.cell_type == "code"
        ):
            continue  # the code cells are made again below
        cells.append(cell)
        mark = (
            MARK.match(cell.source) if cell.cell_type == "markdown" else None
        )
        if not mark or mark.group("label") not in by_label:
            continue
        item = by_label[mark.group("label")]
        cell.source = render(item, minutes.get(item.label), root)
        tags = cell.metadata.setdefault("tags", [])
        if config.PRACTICE not in tags:
            tags.append(config.PRACTICE)
        if item.kind == "challenge" and item.has_code:
            code = nbformat.v4.new_code_cell(
                code_cell_source(item), metadata={"tags": [config.PRACTICE]}
            )
            old = [
                c
                for c in nb.cells
                if c.cell_type == "code"
                and c.get("id") == f"{cell.get('id')}-code"
            ]
            code["id"] = f"{cell.get('id')}-code"
            if old:
                code["outputs"], code["execution_count"] = (
                    old[0].get("outputs", []),
                    old[0].get("execution_count"),
                )
            cells.append(code)
    nb.cells = cells


def problems(root: Path = config.ROOT) -> list[str]:
    """What is wrong with the practice cells: a challenge or quick check of a page with no
    practice cell in its notebook (or more than one), practice cells in another order than on
    the page, a cell that is not what ``fill`` writes, an item a notebook cannot show."""
    import copy

    import nbformat

    found = []
    for episode in lesson_meta.load_episodes(root / config.EPISODES):
        path = episode.notebook(root)
        if not path.is_file():
            continue
        rel = f"notebooks/{path.name}"
        try:
            items = lesson_meta.practice_items(episode.body)
        except lesson_meta.QuickCheckError as exc:
            found.append(f"episodes/{episode.slug}.md: a quick check: {exc}")
            continue
        nb = nbformat.read(path, as_version=4)
        marks = [
            MARK.match(c.source).group("label")
            for c in nb.cells
            if c.cell_type == "markdown" and MARK.match(c.source)
        ]
        labels = [item.label for item in items]
        for label in labels:
            if marks.count(label) != 1:
                found.append(
                    f"{rel}: {marks.count(label)} practice cells for {label} (want one: a markdown cell "
                    f"'<!-- practice: {label} -->' where it practises)"
                )
        for label in sorted(set(marks) - set(labels)):
            found.append(
                f"{rel}: a practice cell for {label}, which episodes/{episode.slug}.md does not have"
            )
        if [m for m in marks if m in labels] != [
            label for label in labels if label in marks
        ]:
            found.append(
                f"{rel}: the practice cells are not in the page's order ({', '.join(labels)})"
            )
        filled = copy.deepcopy(nb)
        try:
            fill(filled, path, root)
        except PracticeError as exc:
            found.append(f"episodes/{episode.slug}.md: {exc}")
            continue
        if [c.source for c in filled.cells] != [c.source for c in nb.cells]:
            found.append(
                f"{rel}: its practice cells are not current with episodes/{episode.slug}.md: run "
                f"`python -m tools.notebooks tidy {rel}`"
            )
    return found
