"""Episode metadata: one source (each episode's front matter) for three views.

* the questions/objectives box at the top of an episode and its key points at the end;
* the schedule table on the home page (a running clock and a total);
* the instructor-notes page, collected from the episodes' ``instructor-note`` blocks.

This module is pure Python (no Sphinx) so that it can be unit-tested and reused by the lesson
checks; ``lesson_ext.py`` wires it into the build.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import yaml

REQUIRED = (
    "title",
    "teaching",
    "exercises",
    "questions",
    "objectives",
    "keypoints",
)
LIST_FIELDS = ("questions", "objectives", "keypoints")
MINUTE_FIELDS = ("teaching", "exercises")
EPISODE_NAME = re.compile(r"^(\d\d)-[a-z0-9]+(?:-[a-z0-9]+)*$")
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*\n", re.DOTALL)
INSTRUCTOR_NOTE = re.compile(
    r"^(?P<fence>:{3,})\{instructor-note\}[^\n]*\n(?P<body>.*?)^(?P=fence)[ \t]*$",
    re.DOTALL | re.MULTILINE,
)
# A challenge is a sphinx-exercise block whose title ends with its minute estimate.
EXERCISE = re.compile(
    r"^(?P<fence>:{3,}|`{3,})\{exercise\}[ \t]*(?P<title>[^\n]*)$",
    re.MULTILINE,
)
SOLUTION = re.compile(
    r"^(?::{3,}|`{3,})\{solution\}[ \t]*(?P<target>\S*)", re.MULTILINE
)
LABEL = re.compile(r"^:label:[ \t]*(?P<label>\S+)", re.MULTILINE)
MINUTES = re.compile(r"\((\d+)\s*min\)\s*$")


class FrontMatterError(ValueError):
    """An episode's front matter is missing or malformed."""


@dataclass
class Episode:
    """One episode: its prose file, its notebook and its front matter."""

    path: Path
    meta: dict
    body: str
    number: int = field(init=False)
    slug: str = field(init=False)

    def __post_init__(self) -> None:
        self.slug = self.path.stem
        self.number = int(self.slug[:2])

    @property
    def title(self) -> str:
        return str(self.meta["title"])

    @property
    def optional(self) -> bool:
        """An extension (front matter ``optional: true``): not part of the core lesson, so a
        plan that ``covers: all`` need not include it."""
        return bool(self.meta.get("optional", False))

    @property
    def minutes(self) -> int:
        return int(self.meta["teaching"]) + int(self.meta["exercises"])

    def notebook(self, root: Path) -> Path:
        """The paired notebook: ``notebooks/<same NN-slug>.ipynb``."""
        return root / "notebooks" / f"{self.slug}.ipynb"

    def extra(self) -> str | None:
        """The extra that the paired notebook needs beyond the lesson's environment (its
        metadata's ``lesson.extra``, e.g. "deep-learning"), or None."""
        path = self.notebook(self.path.parents[1])
        if not path.is_file():
            return None
        return (
            json.loads(path.read_text(encoding="utf-8"))
            .get("metadata", {})
            .get("lesson", {})
            .get("extra")
        )


def split_front_matter(text: str) -> tuple[dict, str]:
    """Return ``(front matter, body)``; raise FrontMatterError when there is none."""
    match = FRONT_MATTER.match(text)
    if not match:
        raise FrontMatterError(
            "no YAML front matter (a block between '---' lines at the top)"
        )
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        raise FrontMatterError(
            f"front matter is not valid YAML: {exc}"
        ) from exc
    if not isinstance(meta, dict):
        raise FrontMatterError(
            "front matter must be a mapping of keys to values"
        )
    return meta, text[match.end() :]


def validate(meta: dict) -> list[str]:
    """Return the problems with an episode's front matter (empty when it is complete)."""
    problems = [
        f"missing front matter key {key!r}"
        for key in REQUIRED
        if key not in meta
    ]
    if "title" in meta and not (
        isinstance(meta["title"], str) and meta["title"].strip()
    ):
        problems.append("'title' must be a non-empty string")
    for key in MINUTE_FIELDS:
        value = meta.get(key)
        if key in meta and not (
            isinstance(value, int)
            and not isinstance(value, bool)
            and value >= 0
        ):
            problems.append(
                f"{key!r} must be a whole number of minutes, not {value!r}"
            )
    for key in LIST_FIELDS:
        value = meta.get(key)
        if key in meta and not (
            isinstance(value, list)
            and value
            and all(isinstance(v, str) and v.strip() for v in value)
        ):
            problems.append(f"{key!r} must be a non-empty list of sentences")
    if "optional" in meta and not isinstance(meta["optional"], bool):
        problems.append(
            f"'optional' must be true or false, not {meta['optional']!r}"
        )
    return problems


def read_episode(path: Path) -> Episode:
    """Read and validate one episode; raise FrontMatterError naming the file on problems."""
    if not EPISODE_NAME.match(path.stem):
        raise FrontMatterError(
            f"{path}: episode files are named NN-slug.md (e.g. 01-intro.md)"
        )
    meta, body = split_front_matter(path.read_text(encoding="utf-8"))
    problems = validate(meta)
    if problems:
        raise FrontMatterError(f"{path}: " + "; ".join(problems))
    return Episode(path=path, meta=meta, body=body)


def load_episodes(folder: Path) -> list[Episode]:
    """All episodes in ``folder``, in the order of their NN prefix."""
    return [read_episode(p) for p in sorted(folder.glob("[0-9][0-9]-*.md"))]


CODE_FENCE = re.compile(
    r"^(?P<fence>`{3,}|~{3,})(?!\{)[^\n]*\n.*?^(?P=fence)[ \t]*$",
    re.MULTILINE | re.DOTALL,
)


def has_title_heading(body: str) -> bool:
    """Whether the body has a Markdown "# " heading outside code blocks (comments in a code
    block start with "# " too)."""
    return (
        re.search(r"^# ", CODE_FENCE.sub("", body), re.MULTILINE) is not None
    )


# --------------------------------------------------------------------------- rendering
def _bullets(items: list[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


def render_overview(
    episode: Episode, links: dict[str, str] | None = None
) -> str:
    """MyST for the top of an episode: title, timings, questions, objectives, notebook links."""
    meta = episode.meta
    parts = [
        f"# {meta['title']}",
        "",
        "::::{admonition} Overview",
        ":class: lesson-overview",
        "",
        f"**Teaching:** {meta['teaching']} min · **Exercises:** {meta['exercises']} min",
        "",
        "**Questions**",
        "",
        _bullets(meta["questions"]),
        "",
        "**Objectives**",
        "",
        _bullets(meta["objectives"]),
        "::::",
        "",
    ]
    if links:
        full = [v for k, v in links.items() if not k.startswith("type-along")]
        typed = [v for k, v in links.items() if k.startswith("type-along")]
        parts += [
            ":::{admonition} Follow along in the notebook",
            ":class: lesson-notebook",
            "",
        ]
        if typed:
            parts += [
                "**Full notebook**, every cell filled in: " + " · ".join(full),
                "",
                "**Type-along notebook**, for the workshop: the cells the instructor live-codes are "
                "empty but for a comment saying what to type. "
                + " · ".join(typed),
            ]
        else:
            parts.append(" · ".join(full))
        parts += [":::", ""]
    return "\n".join(parts)


def render_keypoints(episode: Episode) -> str:
    """MyST for the end of an episode: its key points."""
    return "\n".join(
        [
            "",
            ":::{admonition} Key points",
            ":class: lesson-keypoints",
            "",
            _bullets(episode.meta["keypoints"]),
            ":::",
            "",
        ]
    )


TYPE_ALONG = (
    "type-along"  # the folder of the type-along notebooks (tools/notebooks.py)
)


def notebook_links(
    episode: Episode,
    repository_url: str,
    branch: str,
    binderhub_url: str,
    colab_url: str,
    type_along: bool = True,
) -> dict[str, str]:
    """MyST links to the paired notebook (rendered page, Binder, Colab, download) and, when
    ``type_along``, to its type-along version (Binder, Colab, download); keys of the latter
    start with ``type-along``. A notebook that needs an extra (episode 09: PyTorch) gets no
    Binder links: the Binder image leaves the extras out (Setup page)."""
    repo = repository_url.rstrip("/")
    owner_repo = repo.split("github.com/", 1)[-1]

    def launch(nb: str) -> tuple[str, str]:
        binder = (
            f"{binderhub_url.rstrip('/')}/v2/gh/{owner_repo}/{branch}"
            f"?urlpath={quote('lab/tree/' + nb, safe='')}"
        )
        return (
            binder,
            f"{colab_url.rstrip('/')}/github/{owner_repo}/blob/{branch}/{nb}",
        )

    on_binder = episode.extra() is None
    nb = f"notebooks/{episode.slug}.ipynb"
    binder, colab = launch(nb)
    links = {
        "page": f"[Read the notebook with its outputs](../{nb})",
        "binder": f"[Open the notebook in Binder]({binder})",
        "colab": f"[Open the notebook in Colab]({colab})",
        "download": f"{{download}}`Download the notebook <../{nb}>`",
    }
    if type_along:
        typed = f"{TYPE_ALONG}/{episode.slug}.ipynb"
        binder, colab = launch(typed)
        links |= {
            "type-along binder": f"[Open the type-along notebook in Binder]({binder})",
            "type-along colab": f"[Open the type-along notebook in Colab]({colab})",
            "type-along download": f"{{download}}`Download the type-along notebook <../{typed}>`",
        }
    if not on_binder:
        links = {
            key: value
            for key, value in links.items()
            if not key.endswith("binder")
        }
        links["not on binder"] = (
            "not on Binder (it needs PyTorch: {doc}`Setup page </learners/setup>`)"
        )
    return links


def clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


#: The home page's schedule puts a break after this many minutes of teaching and challenges.
BREAK_AFTER, BREAK_MINUTES = 90, 15


def schedule_rows(
    episodes: list[Episode],
) -> list[tuple[str, Episode | None, int]]:
    """``(start time, episode, minutes)`` rows of the core at one go, with a break (episode
    None, BREAK_MINUTES) at the first episode boundary after every BREAK_AFTER minutes; the
    last row (episode None) is the finish, with the total."""
    rows, elapsed, since_break = [], 0, 0
    for index, episode in enumerate(episodes):
        if since_break >= BREAK_AFTER and index:
            rows.append((clock(elapsed), None, BREAK_MINUTES))
            elapsed += BREAK_MINUTES
            since_break = 0
        rows.append((clock(elapsed), episode, episode.minutes))
        elapsed += episode.minutes
        since_break += episode.minutes
    rows.append((clock(elapsed), None, elapsed))
    return rows


def render_schedule(episodes: list[Episode]) -> str:
    """A MyST table: running clock, episode link, minutes, and the first question it answers;
    breaks where a room needs them. The clock and the total cover the core at one go; optional
    episodes follow the finish, untimed. (The instructor guide's plans fit slots of a given
    length, with a welcome, breaks and feedback.)"""
    core = [e for e in episodes if not e.optional]
    lines = [
        "| Start | Episode | Teaching + exercises | The question it starts from |",
        "|:--|:--|:--|:--|",
    ]
    rows = schedule_rows(core)
    for number, (start, episode, minutes) in enumerate(rows):
        if episode is None and number < len(rows) - 1:
            lines.append(f"| {start} | *Break* | {minutes} min | |")
        elif episode is None:
            teaching = sum(int(e.meta["teaching"]) for e in core)
            breaks = minutes - sum(e.minutes for e in core)
            lines.append(
                f"| {start} | **Finish** | **{minutes} min in total** ({teaching} teaching + "
                f"{minutes - teaching - breaks} exercises + {breaks} breaks) | |"
            )
        else:
            lines.append(_schedule_line(start, episode))
    lines += [_schedule_line("Optional", e) for e in episodes if e.optional]
    return "\n".join(lines) + "\n"


def _schedule_line(start: str, episode: Episode) -> str:
    return (
        f"| {start} | {episode.number}. {{doc}}`{episode.title} </episodes/{episode.slug}>` "
        f"| {episode.meta['teaching']} + {episode.meta['exercises']} = {episode.minutes} min "
        f"| {episode.meta['questions'][0]} |"
    )


def instructor_notes(body: str) -> list[str]:
    """The bodies of the ``instructor-note`` blocks in an episode, in order."""
    return [
        m.group("body").strip("\n") for m in INSTRUCTOR_NOTE.finditer(body)
    ]


def render_clock(lines: list[str]) -> str:
    """MyST for an instructor note holding an episode's modelled clock, stretch by stretch
    (tools/timing.py ``stretch_lines``)."""
    return "\n".join(
        [
            ":::{instructor-note} The clock of this episode (timing model)",
            "Modelled teaching minutes between practice points (prose, code typed and shown, "
            "sections; `python -m tools.timing`):",
            "",
            "```text",
            *lines,
            "```",
            ":::",
            "",
        ]
    )


def render_instructor_notes(
    episodes: list[Episode],
    live_code: dict[str, list[str]] | None = None,
    clocks: dict[str, list[str]] | None = None,
) -> str:
    """MyST for the instructor-notes page: per episode, its timing and modelled clock, its
    notes, and (from ``live_code``, slug -> the full source of each live-code cell of its
    notebook, in order) the code to live-code, ready to paste into a shared document for
    learners who fall behind."""
    out = []
    for episode in episodes:
        out += [
            f"## {episode.number}. {episode.title}",
            "",
            f"Teaching {episode.meta['teaching']} min, exercises {episode.meta['exercises']} min "
            f"({episode.minutes} min). Episode page: {{doc}}`/episodes/{episode.slug}`.",
            "",
        ]
        if clocks and clocks.get(episode.slug):
            out += [
                "The clock, modelled (teaching minutes between practice points):",
                "",
                "```text",
                *clocks[episode.slug],
                "```",
                "",
            ]
        notes = instructor_notes(episode.body)
        for note in notes:
            out += [
                ":::{admonition} Note",
                ":class: instructor-note always-shown",
                "",
                note,
                ":::",
                "",
            ]
        if not notes:
            out += ["No instructor notes yet.", ""]
        if live_code is not None:
            cells = live_code.get(episode.slug, [])
            if cells:
                out += [
                    f"**Live-coded cells** of `notebooks/{episode.slug}.ipynb`, in order (tag `live-code`; "
                    "learners type them into the type-along notebook; paste them into the workshop's shared "
                    "document for learners who fall behind, who can also type `%catch_up` in the cell):",
                    "",
                ]
                for source in cells:
                    longest = max(
                        (len(r) for r in re.findall(r"`+", source)), default=0
                    )
                    fence = "`" * max(3, longest + 1)
                    out += [f"{fence}python", *source.splitlines(), fence, ""]
            else:
                out += [
                    "No cells of the notebook are tagged `live-code` yet.",
                    "",
                ]
    return "\n".join(out)


def _comment_text(line: str) -> str:
    """A live-code cell's first line as inline code, exactly as learners see it (a code span
    needs no escaping; a longer backtick fence holds any backticks in the comment)."""
    text = line.strip()
    fence = "`" * (
        max((len(run) for run in re.findall(r"`+", text)), default=0) + 1
    )
    return f"{fence} {text} {fence}" if "`" in text else f"`{text}`"


# --------------------------------------------------------------------------- delivery variants
VARIANT_ITEM = re.compile(
    r"^(?:(?P<episode>\d\d)(?: full)?|(?P<kind>welcome|break|feedback) (?P<minutes>\d+)(?: (?P<label>.+))?"
    r"|(?P<day>next day))$"
)
#: Each day of a plan leaves at least this share of its slot free: setup problems, questions,
#: a challenge that runs long (the Carpentries' experience: a plan with no slack overruns).
SLACK = 0.10


def parse_variants(text: str, episodes: list[Episode]) -> list[dict]:
    """Read delivery plans (YAML) and check them against the episodes' timings.

    Each plan has a ``title``, a ``budget`` in minutes (per day) and a ``plan``: a list of
    items ``"NN"`` (the episode, teaching with its quick checks and every challenge: no plan
    strips an episode's practice), ``"welcome N"`` (welcome and set-up check), ``"break N
    [label]"``, ``"feedback N"`` (the closing round) and ``"next day"`` (the clock starts again).
    Every day opens with a welcome, has a break when it is longer than two hours, ends with
    feedback, and leaves at least 10 % of its budget free. ``covers: all`` asks that every
    episode that is not optional is in the plan; without it, the plan's table says which
    episodes it covers. Raises FrontMatterError when a rule is broken.
    """
    by_number = {f"{e.number:02d}": e for e in episodes}
    try:
        variants = yaml.safe_load(text) or []
    except yaml.YAMLError as exc:
        raise FrontMatterError(
            f"lesson-variants: not valid YAML: {exc}"
        ) from exc
    parsed = []
    for variant in variants:
        title, budget = variant.get("title"), variant.get("budget")
        if not title or not isinstance(budget, int):
            raise FrontMatterError(
                f"lesson-variants: each variant needs a title and a budget in minutes: {variant}"
            )
        rows, days, planned, day_items = [], [], [], [[]]
        elapsed = 0
        for item in variant.get("plan") or []:
            match = VARIANT_ITEM.match(str(item).strip())
            if not match:
                raise FrontMatterError(
                    f"lesson-variants: {title}: cannot read plan item {item!r} (write 'NN', 'welcome N', "
                    "'break N label', 'feedback N' or 'next day')"
                )
            if match.group("day"):
                days.append(elapsed)
                elapsed = 0
                day_items.append([])
                rows.append((clock(0), None, f"Day {len(days) + 1}", None))
                continue
            if match.group("kind"):
                minutes = int(match.group("minutes"))
                label = (
                    match.group("label")
                    or {
                        "welcome": "Welcome and set-up check",
                        "break": "Break",
                        "feedback": "Feedback and close",
                    }[match.group("kind")]
                )
                rows.append((clock(elapsed), None, label, minutes))
                day_items[-1].append(match.group("kind"))
            else:
                episode = by_number.get(match.group("episode"))
                if episode is None:
                    raise FrontMatterError(
                        f"lesson-variants: {title}: there is no episode {match.group('episode')}"
                    )
                planned.append(episode.number)
                minutes = episode.minutes
                rows.append((clock(elapsed), episode, "", minutes))
                day_items[-1].append("episode")
            elapsed += minutes
        days.append(elapsed)
        for number, (used, items) in enumerate(
            zip(days, day_items, strict=True), start=1
        ):
            day = f" (day {number})" if len(days) > 1 else ""
            if used > (1 - SLACK) * budget:
                raise FrontMatterError(
                    f"lesson-variants: {title}: the plan{day} takes {used} min of its {budget}: leave at least "
                    f"{SLACK:.0%} free (at most {int((1 - SLACK) * budget)} min; the episodes' minutes come from "
                    "their front matter: re-plan this variant, or cover fewer episodes)"
                )
            if not items or items[0] != "welcome" or items[-1] != "feedback":
                raise FrontMatterError(
                    f"lesson-variants: {title}: each day{day} opens with 'welcome N' and ends "
                    "with 'feedback N'"
                )
            if used > 120 and "break" not in items:
                raise FrontMatterError(
                    f"lesson-variants: {title}: the plan{day} runs {used} min without a break"
                )
        covers = variant.get("covers")
        if covers not in (None, "all"):
            raise FrontMatterError(
                f"lesson-variants: {title}: 'covers' can only be 'all', not {covers!r}"
            )
        missing = [
            f"{e.number:02d}"
            for e in episodes
            if e.number not in planned and not e.optional
        ]
        if covers == "all" and missing:
            raise FrontMatterError(
                f"lesson-variants: {title}: covers all episodes but leaves out {', '.join(missing)}"
            )
        parsed.append(
            {
                "title": title,
                "budget": budget,
                "rows": rows,
                "total": sum(days),
                "days": days,
                "note": variant.get("note", ""),
                "left_out": missing,
                "covered": [f"{n:02d}" for n in planned],
            }
        )
    return parsed


def render_variants(episodes: list[Episode], text: str) -> str:
    """MyST for the instructor guide: one timed table per delivery plan."""
    out = []
    for variant in parse_variants(text, episodes):
        out += [f"### {variant['title']}", ""]
        if variant["note"]:
            out += [variant["note"], ""]
        days = variant["days"]
        if len(days) == 1:
            fit = f"{days[0]} minutes of a {variant['budget']}-minute slot ({variant['budget'] - days[0]} free)"
        else:
            fit = (
                f"{len(days)} days of at most {variant['budget']} minutes ("
                + ", ".join(
                    f"day {i}: {minutes}"
                    for i, minutes in enumerate(days, start=1)
                )
                + ")"
            )
        covered = ", ".join(variant["covered"])
        left = (
            f"; not in this plan: {', '.join(variant['left_out'])}"
            if variant["left_out"]
            else ""
        )
        out += [
            f"{fit}, computed from the episodes' timings. Episodes: {covered}{left}.",
            "",
            "| Start | Part | Minutes |",
            "|:--|:--|--:|",
        ]
        for start, episode, label, minutes in variant["rows"]:
            if episode is None and minutes is None:
                out.append(f"| | **{label}** | |")
            elif episode is None:
                out.append(f"| {start} | *{label}* | {minutes} |")
            else:
                suffix = " (optional extension)" if episode.optional else ""
                out.append(
                    f"| {start} | {episode.number}. {{doc}}`{episode.title} </episodes/{episode.slug}>`{suffix} "
                    f"| {minutes} |"
                )
        out += [
            f"| {clock(days[-1])} | **Finish** | **{variant['total']}** |",
            "",
        ]
    return "\n".join(out)


@dataclass
class Challenge:
    title: str
    label: str | None
    minutes: int | None


def challenges(body: str) -> list[Challenge]:
    """The challenges (sphinx-exercise ``exercise`` blocks) of an episode."""
    found = []
    starts = list(EXERCISE.finditer(body))
    for i, match in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(body)
        block = body[match.end() : end]
        label = LABEL.search(
            block.split("\n\n", 1)[0] if block.startswith("\n:") else ""
        )
        minutes = MINUTES.search(match.group("title"))
        found.append(
            Challenge(
                title=match.group("title").strip(),
                label=label.group("label") if label else None,
                minutes=int(minutes.group(1)) if minutes else None,
            )
        )
    return found


OPTION_LINE = re.compile(r"^:[\w-]+:")


def render_challenge_minutes(body: str) -> str:
    """Move each challenge's "(N min)" from its title to a time badge above its text.

    sphinx-exercise puts the title in parentheses ("Exercise 2 (Title)"), so a title ending
    in "(10 min)" would otherwise read "Exercise 2 (Title (10 min))".
    """
    lines, out, i = body.split("\n"), [], 0
    while i < len(lines):
        match = EXERCISE.match(lines[i])
        minutes = MINUTES.search(match.group("title")) if match else None
        if not minutes:
            out.append(lines[i])
            i += 1
            continue
        title = match.group("title")[: minutes.start()].rstrip()
        out.append(f"{match.group('fence')}{{exercise}} {title}")
        i += 1
        while i < len(lines) and OPTION_LINE.match(
            lines[i]
        ):  # keep ":label:" etc. first
            out.append(lines[i])
            i += 1
        # Numbered per episode by the site (lesson_ext), not across the whole site.
        out += [
            ":nonumber:",
            "",
            f"{{bdg-primary-line}}`Time: {minutes.group(1)} min`",
            "",
        ]
    return "\n".join(out)


def solution_targets(body: str) -> list[str]:
    return [m.group("target") for m in SOLUTION.finditer(body)]


# --------------------------------------------------------------------------- practice
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|:{3,})(?P<info>.*)$")
DIRECTIVE = re.compile(r"^\{(?P<name>[^}\s]+)\}[ \t]*(?P<argument>.*)$")


@dataclass
class Block:
    """A fenced MyST directive: its name, argument, ``:option:`` values and body."""

    name: str
    argument: str
    options: dict
    body: str
    line: int  # where it starts in the text (0-based)


def blocks(text: str, offset: int = 0) -> list[Block]:
    """Every fenced directive of ``text``, nested ones included, in the order they open."""
    lines = text.split("\n")
    found, i = [], 0
    while i < len(lines):
        opened = FENCE.match(lines[i])
        if not opened:
            i += 1
            continue
        fence = opened.group("fence")
        end = i + 1
        while end < len(lines) and not (
            lines[end].strip()
            and set(lines[end].strip()) == {fence[0]}
            and len(lines[end].strip()) >= len(fence)
        ):
            end += 1
        directive = DIRECTIVE.match(opened.group("info").strip())
        body = lines[i + 1 : end]
        if directive:
            options = {}
            while body and re.match(r"^[ \t]*:[\w-]+:", body[0]):
                key, _, value = body[0].strip()[1:].partition(":")
                options[key] = value.strip()
                body = body[1:]
            inner = "\n".join(body)
            found.append(
                Block(
                    directive.group("name"),
                    directive.group("argument").strip(),
                    options,
                    inner,
                    offset + i,
                )
            )
            if fence[0] == ":" or directive.group("name") not in (
                "code",
                "code-block",
                "code-cell",
            ):
                found += blocks(
                    inner,
                    offset + i + 1 + (len(lines[i + 1 : end]) - len(body)),
                )
        i = end + 1
    return sorted(found, key=lambda b: b.line)


@dataclass
class Practice:
    """A challenge or a quick check of an episode: what the notebook's practice cell shows."""

    kind: str  # "challenge" or "quick check"
    label: str
    title: str  # the challenge's title (without its minutes) or the quick check's question
    body: str  # the challenge's text (MyST)
    solution: str = ""  # the challenge's solution (MyST)
    options: list = field(
        default_factory=list
    )  # a quick check's options: dicts option/why/correct

    @property
    def has_code(self) -> bool:
        """Whether the solution is code (the notebook then offers an empty cell for it)."""
        return bool(
            re.search(
                r"^[ \t]*```(python|\{code-cell\})",
                self.solution,
                re.MULTILINE,
            )
        )


class QuickCheckError(ValueError):
    """A quick check's body is malformed; the message says how."""


QC_ITEM = re.compile(r"^- *(?P<key>option|why|correct) *: *(?P<value>.*)$")
QC_FIELD = re.compile(r"^ {2,}(?P<key>option|why|correct) *: *(?P<value>.*)$")


def _plain_value(text: str) -> str:
    text = text.strip()
    if len(text) > 1 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


def quick_check_options(body: str) -> list[dict]:
    """The options of a quick check's body, checked: 3 or 4 options, exactly one with
    ``correct: true``, each with its ``why`` (for a wrong one: the misconception it reveals).

    The body is a list like YAML's, read line by line so that a value may start with inline
    code or any MyST markup without quotes::

        - option: 86 %, from folds of whole patients
          correct: true
          why: `GroupKFold` holds out whole patients ...
    """
    options: list[dict] = []
    key = None
    for number, line in enumerate(body.split("\n"), start=1):
        if not line.strip():
            continue
        item, field = QC_ITEM.match(line), QC_FIELD.match(line)
        if item:
            options.append({})
            key, value = item.group("key"), item.group("value")
        elif field and options:
            key, value = field.group("key"), field.group("value")
        elif (
            options and key and line.startswith("    ")
        ):  # a continuation of the last value
            options[-1][key] += " " + line.strip()
            continue
        else:
            raise QuickCheckError(
                f"cannot read line {number} of its body ({line.strip()!r}): write '- option: ...', "
                "then '  why: ...' (and '  correct: true' for the right one)"
            )
        if key in options[-1]:
            raise QuickCheckError(f"an option has two '{key}:' lines")
        options[-1][key] = _plain_value(value)
    if not 3 <= len(options) <= 4:
        raise QuickCheckError(f"it has {len(options)} options: give 3 or 4")
    for option in options:
        if (
            not option.get("option", "").strip()
            or not option.get("why", "").strip()
        ):
            raise QuickCheckError(
                "every option needs its text ('option:') and why it is right or wrong ('why:')"
            )
        if option.get("correct", "true").lower() not in ("true", "yes"):
            raise QuickCheckError(
                f"'correct: {option['correct']}': write 'correct: true' on the right option only"
            )
    right = [o for o in options if "correct" in o]
    if len(right) != 1:
        raise QuickCheckError(
            f"{len(right)} options are marked 'correct: true': mark exactly one"
        )
    return [
        {"option": o["option"], "why": o["why"], "correct": "correct" in o}
        for o in options
    ]


def practice_items(body: str) -> list[Practice]:
    """The challenges and quick checks of an episode, in the page's order."""
    found = blocks(body)
    solutions = {
        b.argument: b.body.strip("\n") for b in found if b.name == "solution"
    }
    items = []
    for block in found:
        if block.name == "exercise":
            title = MINUTES.sub("", block.argument).strip()
            label = block.options.get("label", "")
            items.append(
                Practice(
                    "challenge",
                    label,
                    title,
                    block.body.strip("\n"),
                    solutions.get(label, ""),
                )
            )
        elif block.name == "quick-check":
            items.append(
                Practice(
                    "quick check",
                    block.options.get("label", ""),
                    block.argument,
                    "",
                    options=quick_check_options(block.body),
                )
            )
    return items
