"""How long does each episode take in a room? A model of the clock, per episode and stretch.

    python -m tools.timing [--root LESSON]

The model counts what the room does, in the episode's **core** (outside challenges,
solutions, instructor notes, quick checks' answers and going-further blocks) and in its
notebook's core cells, and turns it into teaching minutes:

=========================================  =====================  ======================
What                                       Counted as             Rate
=========================================  =====================  ======================
prose the instructor talks through         words of the page      88 words per minute
code typed live (cells tagged live-code)   logical lines [1]_     3 lines per minute
code run and explained (other core cells)  logical lines [1]_     7 lines per minute
a section (a ``##`` or ``###`` heading)    1 each                 1 minute each
a quick check (``quick-check`` block)      1 each                 2 minutes each
=========================================  =====================  ======================

.. [1] Statements: a call wrapped over six lines by the formatter is one line, so the count
   does not depend on formatting. Plumbing cells, the set-up cell and the notebook's practice
   cells are not shown in the room and do not count.

Why these rates: a median minute of the Carpentries anchors holds 44 prose words and 1.5
lines of code typed live (53 episodes of five Carpentries lessons); 88 words and 3 lines per
minute make that exactly one modelled minute. The rate for code that is run and explained,
7 lines per minute, and one minute per section were fitted to an experienced instructor's
estimates of three of this lesson's episodes before this model existed (episode 02 about 60
teaching minutes, 04 about 60, 05 about 65); the model gives 65, 60 and 64 for them.
CONTRIBUTING.md ("Timing") has the table.

The episode is cut into **stretches** at its practice points: each challenge and quick check
of the core, in the page's order; its notebook is cut at the same points (its practice cells,
generated from the page: tools/practice.py). A stretch's minutes are those of its prose,
sections and quick checks on the page plus its code in the notebook.

The lesson check ``check_timing`` fails an episode whose declared ``teaching`` minutes differ
from the model's by more than 10 % either way, whose core has a stretch of more than 15
modelled minutes without practice, which has no quick check, or which shows more than 2.5
lines of pre-filled core code per teaching minute; and the lesson when episodes 01-08 together
live-code fewer lines than they did when the model was introduced.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from tools import lesson_meta

#: The model's rates (see the module's docstring; CONTRIBUTING.md "Timing").
RATES = {"words": 88.0, "live": 3.0, "shown": 7.0}
SECTION_MINUTES = 1.0
QUICK_CHECK_MINUTES = 2.0
#: The rules the lesson check holds each episode to.
TOLERANCE = 0.10  # declared teaching minutes within 10 % of the model's
LONGEST_STRETCH = (
    15.0  # modelled minutes of core without a challenge or quick check
)
SHOWN_PER_MINUTE = (
    2.5  # pre-filled core code shown, logical lines per teaching minute
)
#: Logical lines that episodes 01-08 live-coded when the model was introduced (227 physical
#: lines before the code was formatted): the type-along fix names variables, it does not
#: pre-fill code.
LIVE_LINES_FLOOR = 192

#: Directives whose whole content is outside the timed core (or is code, not prose).
EXCLUDED_DIRECTIVES = {
    "exercise",
    "solution",
    "instructor-note",
    "going-further",
    "quick-check",
    "code",
    "code-block",
    "code-cell",
    "sourcecode",
    "literalinclude",
    "math",
    "raw",
    "exercise-start",
    "exercise-end",
    "solution-start",
    "solution-end",
    "lesson-schedule",
    "lesson-variants",
    "instructor-notes",
    "bibliography",
    "glossary",
    "include",
}
LIVE_CODE = "live-code"
GOING_FURTHER = "going-further"

FENCE_OPEN = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,}|:{3,})(?P<info>.*)$")
DIRECTIVE_NAME = re.compile(r"^\{(?P<name>[^}\s]+)\}")
OPTION = re.compile(r"^[ \t]*:[\w-]+:")
LABEL_LINE = re.compile(r"^[ \t]*\([^()\s]+\)=[ \t]*$")
COMMENT_LINE = re.compile(r"^[ \t]*%")
HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
MATH_BLOCK = re.compile(r"^[ \t]*\$\$.*?\$\$[ \t]*$", re.DOTALL | re.MULTILINE)
ROLE = re.compile(r"\{(?P<name>[\w:+-]+)\}`(?P<content>[^`]*)`")
IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
LINK = re.compile(r"\[(?P<text>[^\]]*)\]\([^)]*\)")
WORD = re.compile(r"[^\W_]")  # a letter or a digit


def _closes(line: str, fence: str) -> bool:
    """Whether ``line`` closes a fence opened with ``fence`` (the same character, at least as
    many of it, nothing else on the line): markdown-it's rule for code and colon fences."""
    stripped = line.strip()
    return (
        bool(stripped)
        and set(stripped) == {fence[0]}
        and len(stripped) >= len(fence)
    )


#: A line that ``_core_lines`` puts where a challenge or quick check sits in the core.
PRACTICE = "\x00practice"
#: The first line of a notebook's practice cell (tools/practice.py writes the rest).
PRACTICE_MARK = re.compile(r"^<!-- practice: (?P<label>\S+) -->")


def _core_lines(lines: list[str]) -> list[str]:
    """The lines of ``lines`` that belong to the core, with fenced blocks resolved; a
    challenge or quick check of the core leaves one ``PRACTICE`` line where it was."""
    out, i = [], 0
    while i < len(lines):
        line = lines[i]
        opened = FENCE_OPEN.match(line)
        if not opened or (
            opened.group("fence")[0] == "`" and "`" in opened.group("info")
        ):
            out.append(line)
            i += 1
            continue
        fence, info = opened.group("fence"), opened.group("info").strip()
        end = i + 1
        while end < len(lines) and not _closes(lines[end], fence):
            end += 1
        body = lines[i + 1 : end]
        i = (
            end + 1
        )  # past the closing fence (or the end of the text: an unclosed fence runs to it)
        directive = DIRECTIVE_NAME.match(info)
        if directive is None and fence[0] != ":":
            continue  # a code block
        name = directive.group("name") if directive else ""
        if name in ("exercise", "quick-check"):
            label = next(
                (
                    m.group(1)
                    for m in map(
                        re.compile(r"^[ \t]*:label:[ \t]*(\S+)").match, body
                    )
                    if m
                ),
                "",
            )
            out.append(
                f"{PRACTICE} {name} {label} {info[directive.end() :].strip()}"
            )
            continue
        if name in EXCLUDED_DIRECTIVES or name.startswith("glue"):
            continue
        # Directive syntax: leading ":option:" lines or a "---" YAML options block.
        if body and body[0].strip() == "---":
            close = next(
                (k for k in range(1, len(body)) if body[k].strip() == "---"),
                len(body) - 1,
            )
            body = body[close + 1 :]
        while body and OPTION.match(body[0]):
            body = body[1:]
        out += _core_lines(body)
    return out


def core_text(body: str, practice: bool = False) -> str:
    """The core prose of an episode's body (front matter already removed), as Markdown; with
    ``practice``, a ``PRACTICE`` line marks each challenge and quick check."""
    body = HTML_COMMENT.sub(" ", body)
    kept = _core_lines(body.split("\n"))
    kept = [
        line
        for line in kept
        if not COMMENT_LINE.match(line)
        and not LABEL_LINE.match(line)
        and (practice or not line.startswith(PRACTICE))
    ]
    return MATH_BLOCK.sub(" ", "\n".join(kept))


def _role(match: re.Match) -> str:
    name, content = match.group("name"), match.group("content")
    if name.startswith("cite"):
        return " "
    if name.startswith("glue"):
        return " 0 "
    if "<" in content and content.rstrip().endswith(">"):
        return " " + content[: content.rindex("<")] + " "
    if name in (
        "term",
        "abbr",
        "sub",
        "sup",
        "kbd",
        "guilabel",
        "menuselection",
    ):
        return " " + content + " "
    return " 0 "  # a reference rendered as its target's title, a formula, ...: one word


def count_words(markdown: str) -> int:
    """The words a reader reads in a piece of MyST Markdown (see the module's rules)."""
    text = ROLE.sub(_role, markdown)
    text = IMAGE.sub(" ", text)
    text = LINK.sub(lambda m: " " + m.group("text") + " ", text)
    return sum(1 for token in text.split() if WORD.search(token))


def prose_words(body: str) -> int:
    """Words of an episode's core prose."""
    return count_words(core_text(body))


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def tags(cell: dict) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def code_lines(source: str) -> int:
    """Logical lines (statements) of a cell's code: a statement wrapped over several lines is
    one; blank lines, comments and IPython magics (``%...``, ``!...``) are none."""
    import io
    import tokenize

    kept = [
        line
        for line in source.splitlines()
        if not line.lstrip().startswith(("%", "!"))
    ]
    try:
        tokens = tokenize.generate_tokens(
            io.StringIO("\n".join(kept) + "\n").readline
        )
        return sum(1 for token in tokens if token.type == tokenize.NEWLINE)
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return sum(
            1
            for line in kept
            if line.strip() and not line.strip().startswith("#")
        )


def live_code_cells(nb: dict) -> list[dict]:
    """The code cells an instructor live-codes (tag ``live-code``, not ``going-further``)."""
    return [
        cell
        for cell in nb.get("cells", [])
        if cell.get("cell_type") == "code"
        and LIVE_CODE in tags(cell)
        and GOING_FURTHER not in tags(cell)
    ]


def first_line(cell: dict) -> str:
    """A cell's first line (for a live-code cell: the comment saying what to type)."""
    return _source(cell).split("\n", 1)[0]


def live_code_lines(nb: dict) -> int:
    """Lines an instructor types live in a notebook: see :func:`code_lines`."""
    return sum(code_lines(_source(cell)) for cell in live_code_cells(nb))


#: Code cells that are not shown in the room: the tools' and the site's.
HIDDEN = {"plumbing", "lesson-setup", "practice", "helper"}


@dataclass
class Stretch:
    """A stretch of an episode's core between two practice points (or the start or end)."""

    headings: list[str]
    words: int = 0
    sections: int = 0
    live: int = 0
    shown: int = 0
    ends_with: str = ""  # the practice that ends it ("challenge: Title", "quick check: ..."), or ""
    quick_check: bool = (
        False  # it ends with a quick check (whose 2 minutes are teaching time)
    )

    @property
    def minutes(self) -> float:
        """Modelled minutes of teaching in the stretch (a quick check that ends it not included)."""
        return (
            self.words / RATES["words"]
            + self.live / RATES["live"]
            + self.shown / RATES["shown"]
            + self.sections * SECTION_MINUTES
        )


def page_stretches(body: str) -> list[Stretch]:
    """The core of an episode's page, cut at its challenges and quick checks."""
    stretches = [Stretch(headings=[])]
    text = []

    def close(practice: str = "", quick: bool = False):
        stretches[-1].words = count_words("\n".join(text))
        stretches[-1].ends_with, stretches[-1].quick_check = practice, quick
        text.clear()

    for line in core_text(body, practice=True).split("\n"):
        if line.startswith(PRACTICE):
            _, kind, label, *title = line.split(" ", 3)
            close(
                f"{'challenge' if kind == 'exercise' else 'quick check'} {label}",
                kind == "quick-check",
            )
            stretches.append(Stretch(headings=[]))
            continue
        heading = re.match(r"^(##|###) +(.*)$", line)
        if heading:
            stretches[-1].sections += 1
            stretches[-1].headings.append(heading.group(2).strip())
        text.append(line)
    close()
    return stretches


def notebook_stretches(nb: dict) -> tuple[list[tuple[int, int]], list[str]]:
    """The core code of a notebook, cut at its practice cells: per stretch, (live-coded
    lines, shown lines); and the practice labels in order."""
    parts, labels = [[0, 0]], []
    for cell in nb.get("cells", []):
        cell_tags = set(tags(cell))
        mark = (
            PRACTICE_MARK.match(_source(cell))
            if cell.get("cell_type") == "markdown"
            else None
        )
        if mark:
            labels.append(mark.group("label"))
            parts.append([0, 0])
            continue
        if (
            cell.get("cell_type") != "code"
            or GOING_FURTHER in cell_tags
            or cell_tags & HIDDEN
        ):
            continue
        parts[-1][0 if LIVE_CODE in cell_tags else 1] += code_lines(
            _source(cell)
        )
    return [tuple(part) for part in parts], labels


@dataclass
class EpisodeTime:
    slug: str
    teaching: int
    optional: bool
    stretches: list[Stretch]
    aligned: (
        bool  # the notebook's practice cells match the page's practice points
    )

    @property
    def quick_checks(self) -> int:
        return sum(s.quick_check for s in self.stretches)

    @property
    def minutes(self) -> float:
        return (
            sum(s.minutes for s in self.stretches)
            + self.quick_checks * QUICK_CHECK_MINUTES
        )

    @property
    def live(self) -> int:
        return sum(s.live for s in self.stretches)

    @property
    def shown(self) -> int:
        return sum(s.shown for s in self.stretches)

    def problems(self) -> list[str]:
        """The rules of the module's docstring that this episode breaks, in words."""
        where = f"episodes/{self.slug}.md"
        found = []
        model = self.minutes
        if abs(self.teaching - model) > TOLERANCE * model:
            found.append(
                f"{where}: declares {self.teaching} teaching min, the model gives {model:.0f} "
                f"(more than {TOLERANCE:.0%} apart): change `teaching`, or cut the core (python -m tools.timing)"
            )
        if not self.aligned:
            found.append(
                f"{where}: its notebook's practice cells do not match the page's challenges and quick "
                "checks: run `python -m tools.notebooks tidy` (tools/practice.py)"
            )
        for number, stretch in enumerate(self.stretches, start=1):
            if stretch.minutes > LONGEST_STRETCH:
                after = (
                    stretch.headings[0]
                    if stretch.headings
                    else f"stretch {number}"
                )
                found.append(
                    f"{where}: {stretch.minutes:.0f} modelled min without practice from '{after}' "
                    f"(at most {LONGEST_STRETCH:.0f}): add a quick check or move a challenge there"
                )
        if self.quick_checks == 0:
            found.append(f"{where}: has no quick check")
        if self.teaching and self.shown / self.teaching > SHOWN_PER_MINUTE:
            found.append(
                f"notebooks/{self.slug}.ipynb: shows {self.shown} lines of pre-filled core code in "
                f"{self.teaching} teaching min ({self.shown / self.teaching:.1f}/min, at most {SHOWN_PER_MINUTE}): "
                "move simulators and figure styling into lessonkit or collapsed helper cells"
            )
        return found


def episode_time(root: Path, episode: lesson_meta.Episode) -> EpisodeTime:
    stretches = page_stretches(episode.body)
    path = episode.notebook(root)
    nb = (
        json.loads(path.read_text(encoding="utf-8"))
        if path.is_file()
        else {"cells": []}
    )
    code, labels = notebook_stretches(nb)
    page_labels = [
        s.ends_with.split(" ")[-1] for s in stretches if s.ends_with
    ]
    aligned = labels == page_labels
    if aligned:
        for stretch, (live, shown) in zip(stretches, code, strict=True):
            stretch.live, stretch.shown = live, shown
    else:  # no alignment yet: the notebook's code counts in the first stretch
        stretches[0].live, stretches[0].shown = (
            sum(c[0] for c in code),
            sum(c[1] for c in code),
        )
    return EpisodeTime(
        episode.slug,
        int(episode.meta["teaching"]),
        episode.optional,
        stretches,
        aligned,
    )


def lesson_times(root: Path) -> list[EpisodeTime]:
    return [
        episode_time(root, e)
        for e in lesson_meta.load_episodes(root / "episodes")
    ]


def lesson_problems(root: Path) -> list[str]:
    """Every episode's problems, and the lesson's: live-coded lines below the floor."""
    times = lesson_times(root)
    found = [problem for time in times for problem in time.problems()]
    live = sum(time.live for time in times if not time.optional)
    if live < LIVE_LINES_FLOOR:
        found.append(
            f"the core episodes live-code {live} lines, fewer than the {LIVE_LINES_FLOOR} they did: "
            "name the variables that later cells need in the live cell's comment instead of pre-filling code"
        )
    return found


def stretch_lines(time: EpisodeTime) -> list[str]:
    """The clock of one episode, stretch by stretch (for the report and the instructor notes)."""
    out = []
    import textwrap

    for number, stretch in enumerate(time.stretches):
        title = "; ".join(stretch.headings) or (
            "(opening)" if number == 0 else "(no new section)"
        )
        lines = textwrap.wrap(title, 60) or [""]
        out.append(f"{stretch.minutes:4.0f} min  {lines[0]}")
        out += [f"           {line}" for line in lines[1:]]
        if stretch.ends_with:
            kind, label = stretch.ends_with.rsplit(" ", 1)
            extra = (
                f" ({QUICK_CHECK_MINUTES:.0f} min)"
                if stretch.quick_check
                else ""
            )
            out.append(f"      then {kind} {label}{extra}")
    return out


def report(times: list[EpisodeTime]) -> str:
    header = f"{'episode':<28} {'declared':>8} {'model':>6} {'words':>6} {'live':>5} {'shown':>6} {'quick':>5} {'longest':>7}"
    rows = [
        "Modelled teaching minutes (tools/timing.py; rates in CONTRIBUTING.md): "
        f"{RATES['words']:.0f} words, {RATES['live']:.0f} live-coded or {RATES['shown']:.0f} shown lines per minute, "
        f"{SECTION_MINUTES:.0f} min per section, {QUICK_CHECK_MINUTES:.0f} min per quick check.",
        "",
        header,
        "-" * len(header),
    ]
    for time in times:
        longest = max(s.minutes for s in time.stretches)
        rows.append(
            f"{time.slug:<28} {time.teaching:>8} {time.minutes:>6.0f} {sum(s.words for s in time.stretches):>6} "
            f"{time.live:>5} {time.shown:>6} {time.quick_checks:>5} {longest:>7.0f}"
        )
    for time in times:
        rows += [
            "",
            f"{time.slug}: {time.minutes:.0f} modelled min, {time.teaching} declared",
        ]
        rows += ["  " + line for line in stretch_lines(time)]
        rows += ["  ! " + problem for problem in time.problems()]
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--root",
        type=Path,
        default=Path(__file__).resolve().parents[1],
        help="the lesson's folder",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit 1 when an episode breaks a rule",
    )
    args = parser.parse_args(argv)
    times = lesson_times(args.root.resolve())
    print(report(times))
    return 1 if args.check and lesson_problems(args.root.resolve()) else 0


if __name__ == "__main__":
    sys.exit(main())
