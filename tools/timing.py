"""How dense is each episode's timed core? Words and live-coded lines per teaching minute.

    python tools/timing.py [--root LESSON] [--check]

prints, for every episode, its declared ``teaching`` minutes, the words of its core prose and
the lines of its live-coded cells, each per teaching minute, beside the Carpentries anchors
(53 episodes of five Carpentries lessons: median 44 words and 1.5 code lines per teaching
minute, interquartile ranges 31-53 and 0.8-2.5). ``--check`` exits with 1 when an episode is
denser than the anchors' upper quartile. The lesson check ``check_timing``
(``tools/lesson_checks.py``) uses the same counting, which lives here and only here.

Counting rules (CONTRIBUTING.md repeats them):

* **Prose words** of ``episodes/NN-slug.md``: the words of its body outside the front matter,
  code (fenced code blocks, ``code``/``code-block``/``code-cell`` directives, ``$$`` math
  blocks), challenges (``exercise``), solutions, instructor notes (``instructor-note``) and
  going-further blocks (``going-further``), at any depth of nesting. Directive syntax is not
  counted (the opening line with the directive's name and argument, its ``:option:`` lines,
  the closing fence), nor are comments (``% ...`` lines, ``<!-- ... -->``), label lines
  (``(label)=``) or Markdown images. A role counts as what a reader sees: ``{term}`` and
  link-like roles count their text (the part before ``<target>``), ``{glue:...}`` counts as one
  word (the number it pastes), ``{cite:...}`` counts nothing. A word is a whitespace-separated
  token with at least one letter or digit (so table pipes and ``|:--|`` rules are not words;
  inline code counts as its tokens).
* **Live-coded lines** of ``notebooks/NN-slug.ipynb``: the non-blank lines that are not
  comments (``#`` first) of the code cells tagged ``live-code`` (a cell also tagged
  ``going-further`` is optional and not counted).
* Both are divided by the episode's declared ``teaching`` minutes.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import lesson_meta  # noqa: E402

#: Per declared teaching minute, in 53 episodes of five Carpentries lessons (issue 15).
ANCHORS = {
    "words": {"median": 44, "low": 31, "high": 53},
    "lines": {"median": 1.5, "low": 0.8, "high": 2.5},
}
#: An episode denser than the anchors' upper quartile fails the lesson check.
LIMITS = {"words": ANCHORS["words"]["high"], "lines": ANCHORS["lines"]["high"]}

#: Directives whose whole content is outside the timed core (or is code, not prose).
EXCLUDED_DIRECTIVES = {
    "exercise", "solution", "instructor-note", "going-further",
    "code", "code-block", "code-cell", "sourcecode", "literalinclude", "math", "raw",
    "exercise-start", "exercise-end", "solution-start", "solution-end",
    "lesson-schedule", "lesson-variants", "instructor-notes", "bibliography", "glossary", "include",
}  # fmt: skip
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
    return bool(stripped) and set(stripped) == {fence[0]} and len(stripped) >= len(fence)


def _core_lines(lines: list[str]) -> list[str]:
    """The lines of ``lines`` that belong to the core, with fenced blocks resolved."""
    out, i = [], 0
    while i < len(lines):
        line = lines[i]
        opened = FENCE_OPEN.match(line)
        if not opened or (opened.group("fence")[0] == "`" and "`" in opened.group("info")):
            out.append(line)
            i += 1
            continue
        fence, info = opened.group("fence"), opened.group("info").strip()
        end = i + 1
        while end < len(lines) and not _closes(lines[end], fence):
            end += 1
        body = lines[i + 1 : end]
        i = end + 1  # past the closing fence (or the end of the text: an unclosed fence runs to it)
        directive = DIRECTIVE_NAME.match(info)
        if directive is None and fence[0] != ":":
            continue  # a code block
        name = directive.group("name") if directive else ""
        if name in EXCLUDED_DIRECTIVES or name.startswith("glue"):
            continue
        # Directive syntax: leading ":option:" lines or a "---" YAML options block.
        if body and body[0].strip() == "---":
            close = next((k for k in range(1, len(body)) if body[k].strip() == "---"), len(body) - 1)
            body = body[close + 1 :]
        while body and OPTION.match(body[0]):
            body = body[1:]
        out += _core_lines(body)
    return out


def core_text(body: str) -> str:
    """The core prose of an episode's body (front matter already removed), as Markdown."""
    body = HTML_COMMENT.sub(" ", body)
    kept = _core_lines(body.split("\n"))
    kept = [line for line in kept if not COMMENT_LINE.match(line) and not LABEL_LINE.match(line)]
    return MATH_BLOCK.sub(" ", "\n".join(kept))


def _role(match: re.Match) -> str:
    name, content = match.group("name"), match.group("content")
    if name.startswith("cite"):
        return " "
    if name.startswith("glue"):
        return " 0 "
    if "<" in content and content.rstrip().endswith(">"):
        return " " + content[: content.rindex("<")] + " "
    if name in ("term", "abbr", "sub", "sup", "kbd", "guilabel", "menuselection"):
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
    """Non-blank lines that are not comments."""
    return sum(1 for line in source.splitlines() if line.strip() and not line.strip().startswith("#"))


def live_code_cells(nb: dict) -> list[dict]:
    """The code cells an instructor live-codes (tag ``live-code``, not ``going-further``)."""
    return [
        cell for cell in nb.get("cells", [])
        if cell.get("cell_type") == "code" and LIVE_CODE in tags(cell) and GOING_FURTHER not in tags(cell)
    ]  # fmt: skip


def first_line(cell: dict) -> str:
    """A cell's first line (for a live-code cell: the comment saying what to type)."""
    return _source(cell).split("\n", 1)[0]


def live_code_lines(nb: dict) -> int:
    """Lines an instructor types live in a notebook: see :func:`code_lines`."""
    return sum(code_lines(_source(cell)) for cell in live_code_cells(nb))


@dataclass
class Density:
    slug: str
    teaching: int
    words: int
    lines: int

    @property
    def words_per_minute(self) -> float:
        return self.words / self.teaching if self.teaching else float("inf") if self.words else 0.0

    @property
    def lines_per_minute(self) -> float:
        return self.lines / self.teaching if self.teaching else float("inf") if self.lines else 0.0

    def problems(self) -> list[tuple[str, str]]:
        """``(kind, text)`` for each measure ("words", "lines") over its limit (empty when the
        episode fits)."""
        over = []
        if self.words_per_minute > LIMITS["words"]:
            over.append((
                "words",
                f"{self.words} core words in {self.teaching} teaching min = {self.words_per_minute:.1f} "
                f"words/min (limit {LIMITS['words']}, aim {ANCHORS['words']['median']})",
            ))
        if self.lines_per_minute > LIMITS["lines"]:
            over.append((
                "lines",
                f"{self.lines} live-coded lines in {self.teaching} teaching min = {self.lines_per_minute:.1f} "
                f"lines/min (limit {LIMITS['lines']}, aim {ANCHORS['lines']['median']})",
            ))
        return over


def episode_density(root: Path, episode: lesson_meta.Episode) -> Density:
    path = episode.notebook(root)
    lines = live_code_lines(json.loads(path.read_text(encoding="utf-8"))) if path.is_file() else 0
    return Density(episode.slug, int(episode.meta["teaching"]), prose_words(episode.body), lines)


def lesson_density(root: Path) -> list[Density]:
    return [episode_density(root, e) for e in lesson_meta.load_episodes(root / "episodes")]


def report(densities: list[Density]) -> str:
    w, c = ANCHORS["words"], ANCHORS["lines"]
    header = (f"{'episode':<28} {'teaching':>8} {'words':>6} {'words/min':>9} "
              f"{'live lines':>10} {'lines/min':>9}  verdict")  # fmt: skip
    rows = [
        "Core density per declared teaching minute (tools/timing.py; rules in CONTRIBUTING.md).",
        f"Carpentries anchors: words/min median {w['median']} (IQR {w['low']}-{w['high']}), "
        f"live-coded lines/min median {c['median']} (IQR {c['low']}-{c['high']}).",
        f"An episode fails the lesson check above {LIMITS['words']} words/min or {LIMITS['lines']} lines/min.",
        "",
        header,
        "-" * len(header),
    ]
    for d in densities:
        over = [kind for kind, _ in d.problems()]
        verdict = "TOO DENSE: " + ", ".join(over) if over else "ok"
        rows.append(
            f"{d.slug:<28} {d.teaching:>8} {d.words:>6} {d.words_per_minute:>9.1f} "
            f"{d.lines:>10} {d.lines_per_minute:>9.1f}  {verdict}"
        )
    teaching = sum(d.teaching for d in densities)
    words, lines = sum(d.words for d in densities), sum(d.lines for d in densities)
    if teaching:
        rows += ["-" * len(header),
                 f"{'lesson':<28} {teaching:>8} {words:>6} {words / teaching:>9.1f} {lines:>10} {lines / teaching:>9.1f}"]  # fmt: skip
        need = max(words / w["median"], lines / c["median"])
        rows.append(f"\nAt the anchors' medians this core needs about {need:.0f} teaching minutes (declared: {teaching}).")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1], help="the lesson's folder")
    parser.add_argument("--check", action="store_true", help="exit 1 when an episode is too dense")
    args = parser.parse_args(argv)
    densities = lesson_density(args.root.resolve())
    print(report(densities))
    return 1 if args.check and any(d.problems() for d in densities) else 0


if __name__ == "__main__":
    sys.exit(main())
