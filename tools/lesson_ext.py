"""Sphinx extension for the lesson: turns episode front matter into page furniture.

* ``episodes/NN-slug.md``: inserts the title, the questions/objectives box and the launch and
  download links of the notebook and its type-along version at the top, and the key points at the end (all from the front matter).
* a ```` ```{lesson-schedule} ```` block: replaced by the schedule table (home page).
* a ```` ```{instructor-notes} ```` block: replaced by every episode's instructor notes and
  the list of its notebook's live-coded cells (their first comment lines).
* a ```` ```{lesson-variants} ```` block (YAML): timed plans for delivery variants.
* ``:::{instructor-note}``: an admonition styled for instructors.
* ``:::{going-further} [title]``: optional material for self-paced readers, outside the
  timed core; rendered as a box that is closed until opened.
* ``:::{lesson-figure} ../notebooks/NN-slug.ipynb::key``: a numbered figure, with a caption
  and required alt text, showing a figure glued in a notebook (myst-nb's ``glue:figure``
  works only within one document).

The rendering itself lives in ``lesson_meta.py`` (pure Python, unit-tested).
"""

from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.parsers.rst.directives.admonitions import Admonition
from markupsafe import Markup
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from tools import lesson_meta

logger = logging.getLogger(__name__)

PLACEHOLDER = r"^```\{%s\}[ \t]*\n(?P<body>.*?)^```[ \t]*$"


class InstructorNote(Admonition):
    """``:::{instructor-note} [title]`` -- an admonition with the class ``instructor-note``."""

    required_arguments = 0
    optional_arguments = 1

    def run(self):
        title = self.arguments[0] if self.arguments else "Instructor note"
        self.arguments = [title]
        self.options["class"] = ["instructor-note"] + self.options.get(
            "class", []
        )
        return super().run()


class GoingFurther(Admonition):
    """``:::{going-further} [title]`` -- optional material, collapsed (sphinx-togglebutton's
    ``dropdown`` class) and not counted in the episode's timed core."""

    required_arguments = 0
    optional_arguments = 1
    final_argument_whitespace = True

    def run(self):
        title = self.arguments[0] if self.arguments else "More"
        self.arguments = [f"Going further (optional): {title}"]
        self.options["class"] = [
            "going-further",
            "dropdown",
        ] + self.options.get("class", [])
        return super().run()


class QuickCheck(SphinxDirective):
    """``:::{quick-check} Question?`` with ``:label:`` and a YAML list of options, each with
    ``option``, ``why`` and (one of them) ``correct: true`` (lesson_meta.quick_check_options
    checks the body). Renders the question and the lettered options; the answer, with why
    each wrong option is wrong, is in a closed dropdown."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec = {"label": directives.unchanged_required}

    def run(self):
        from docutils.statemachine import StringList

        try:
            options = lesson_meta.quick_check_options("\n".join(self.content))
        except lesson_meta.QuickCheckError as exc:
            raise self.error(f"quick-check: {exc}") from None
        letters = "ABCD"
        right = next(
            i for i, option in enumerate(options) if option["correct"]
        )
        lines = [self.arguments[0], ""]
        lines += [
            f"- **{letters[i]}.** {option['option']}"
            for i, option in enumerate(options)
        ]
        lines += [
            "",
            ":::{admonition} Answer",
            ":class: dropdown quick-check-answer",
            "",
            f"**{letters[right]}.** {options[right]['why']}",
            "",
        ]
        lines += [
            f"- **{letters[i]}.** {option['why']}"
            for i, option in enumerate(options)
            if i != right
        ]
        lines += [":::"]
        box = nodes.admonition("", classes=["quick-check"])
        box += nodes.title("", "Quick check (2 min)")
        self.state.nested_parse(
            StringList(lines, source=self.get_source_info()[0]),
            self.content_offset,
            box,
        )
        if self.options.get("label"):
            box["ids"].append(nodes.make_id(self.options["label"]))
            self.state.document.note_explicit_target(box)
        self.set_source_info(box)
        return [box]


class LessonFigure(SphinxDirective):
    """A figure whose image is a figure glued in another document (a notebook)."""

    required_arguments = 1  # path/to/notebook.ipynb::key
    final_argument_whitespace = False
    has_content = True
    option_spec = {
        "alt": directives.unchanged_required,
        "name": directives.unchanged,
    }

    def run(self):
        from myst_nb.ext.glue.utils import create_pending_glue_ref

        doc, sep, key = self.arguments[0].partition("::")
        if not sep or not key:
            raise self.error(
                "lesson-figure takes 'path/to/notebook.ipynb::key'"
            )
        if not self.options.get("alt", "").strip():
            raise self.error(
                "lesson-figure needs :alt: text describing the figure"
            )
        if not self.content:
            raise self.error("lesson-figure needs a caption")
        ref = create_pending_glue_ref(
            self.state.document, *self.get_source_info(), doc, key
        )
        figure = nodes.figure("", ref, classes=["lesson-figure"])
        figure["lesson_alt"] = self.options["alt"]
        self.set_source_info(figure)
        holder = nodes.Element()
        self.state.nested_parse(self.content, self.content_offset, holder)
        first = holder[0] if len(holder) else None
        if not isinstance(first, nodes.paragraph):
            raise self.error(
                "the caption of a lesson-figure must be a paragraph"
            )
        figure += nodes.caption(first.rawsource, "", *first.children)
        if len(holder) > 1:
            figure += nodes.legend("", *holder[1:])
        self.add_name(figure)
        return [figure]


class LessonFigureAlt(SphinxPostTransform):
    """Give the image pasted into a lesson-figure (after myst-nb resolves it) its alt text."""

    default_priority = 6  # after myst-nb's ReplacePendingGlueReferences (5)

    def run(self, **kwargs) -> None:
        for figure in self.document.findall(nodes.figure):
            if "lesson_alt" not in figure:
                continue
            images = list(figure.findall(nodes.image))
            if not images:
                logger.warning(
                    "lesson-figure: the glued output is not an image",
                    location=figure,
                )
            for image in images:
                image["alt"] = figure["lesson_alt"]


def _launch_settings(app: Sphinx) -> dict[str, str]:
    theme = app.config.html_theme_options or {}
    launch = theme.get("launch_buttons", {}) or {}
    return {
        "repository_url": theme.get("repository_url", ""),
        "branch": theme.get("repository_branch", "main"),
        "binderhub_url": launch.get("binderhub_url", "https://mybinder.org"),
        "colab_url": launch.get(
            "colab_url", "https://colab.research.google.com"
        ),
    }


def _episodes(app: Sphinx) -> list[lesson_meta.Episode]:
    folder = Path(app.srcdir) / "episodes"
    episodes = lesson_meta.load_episodes(folder)
    for episode in episodes:
        app.env.note_dependency(str(episode.path))
    return episodes


def _live_code(
    app: Sphinx, episodes: list[lesson_meta.Episode]
) -> dict[str, list[str]]:
    """Per episode, the full source of its notebook's live-code cells (timing.py decides which
    cells are live-coded, as for the timing model)."""
    import json

    from tools import timing

    steps = {}
    for episode in episodes:
        path = episode.notebook(Path(app.srcdir))
        if path.is_file():
            app.env.note_dependency(str(path))
            nb = json.loads(path.read_text(encoding="utf-8"))
            steps[episode.slug] = [
                timing._source(cell).rstrip("\n")
                for cell in timing.live_code_cells(nb)
            ]
    return steps


def _clocks(
    app: Sphinx, episodes: list[lesson_meta.Episode]
) -> dict[str, list[str]]:
    """Per episode, its modelled clock, stretch by stretch (tools/timing.py)."""
    from tools import timing

    root = Path(app.srcdir)
    return {
        episode.slug: timing.stretch_lines(timing.episode_time(root, episode))
        for episode in episodes
    }


def _episode_page(app: Sphinx, docname: str, text: str) -> str:
    path = Path(app.srcdir) / f"{docname}.md"
    episode = lesson_meta.read_episode(path)
    if lesson_meta.has_title_heading(episode.body):
        logger.warning(
            "episode body has a '# ' heading: the title comes from the front matter",
            location=docname,
        )
    links = None
    if episode.notebook(Path(app.srcdir)).is_file():
        typed = (
            Path(app.srcdir) / lesson_meta.TYPE_ALONG / f"{episode.slug}.ipynb"
        )
        if not typed.is_file():
            logger.warning(
                f"episode has no type-along notebook {lesson_meta.TYPE_ALONG}/{episode.slug}.ipynb "
                "(run `python -m tools.notebooks type-along`)",
                location=docname,
            )
        links = lesson_meta.notebook_links(
            episode, **_launch_settings(app), type_along=typed.is_file()
        )
    else:
        logger.warning(
            f"episode has no paired notebook notebooks/{episode.slug}.ipynb",
            location=docname,
        )
    # Keep the front matter (Sphinx reads it as page metadata); put our furniture around the body.
    front = text[: len(text) - len(episode.body)]
    from tools import timing

    clock = timing.stretch_lines(
        timing.episode_time(Path(app.srcdir), episode)
    )
    return (
        front
        + lesson_meta.render_overview(episode, links)
        + lesson_meta.render_clock(clock)
        + lesson_meta.render_challenge_minutes(episode.body)
        + lesson_meta.render_keypoints(episode)
    )


def on_source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    text = source[0]
    try:
        if docname.startswith("episodes/") and lesson_meta.EPISODE_NAME.match(
            docname.split("/")[-1]
        ):
            text = _episode_page(app, docname, text)
        for name, render in (
            (
                "lesson-schedule",
                lambda episodes, _body: lesson_meta.render_schedule(episodes),
            ),
            (
                "instructor-notes",
                lambda episodes, _body: lesson_meta.render_instructor_notes(
                    episodes, _live_code(app, episodes), _clocks(app, episodes)
                ),
            ),
            ("lesson-variants", lesson_meta.render_variants),
        ):
            pattern = re.compile(
                PLACEHOLDER % re.escape(name), re.MULTILINE | re.DOTALL
            )
            if pattern.search(text):
                episodes = _episodes(app)
                text = pattern.sub(
                    lambda m: render(episodes, m.group("body")), text
                )
    except lesson_meta.FrontMatterError as exc:
        logger.warning(str(exc), location=docname)
        return
    source[0] = text


# ------------------------------------------------------------------ fixes to the HTML theme
# Found by the browser tests (tests/site/test_browser.py); each is a small, local repair.


def _is_thebe(asset) -> bool:
    body = getattr(asset, "attributes", {}).get("body", "") or ""
    return "thebe" in str(asset) or "THEBE_JS_URL" in body


EXERCISE_TITLE = re.compile(
    r'(<div class="exercise[^"]*admonition" id="(?P<label>[^"]+)">\s*<p class="admonition-title">)Exercise \((?P<title>.*?)\)</p>'
)


def _number_challenges(body: str) -> str:
    """Title each challenge of a page "Challenge N: title", and its solution's link too."""
    numbers = {}

    def number(match: re.Match) -> str:
        numbers[match.group("label")] = n = len(numbers) + 1
        return f"{match.group(1)}Challenge {n}: {match.group('title')}</p>"

    body = EXERCISE_TITLE.sub(number, body)
    for label, n in numbers.items():
        body = re.sub(
            rf'(<a class="reference internal" href="#{re.escape(label)}">) Exercise \((.*?)\)</a>',
            rf"\1 Challenge {n}: \2</a>",
            body,
        )
    return body


def _page_fixes(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree
) -> None:
    # Live code (thebe) is not used: its scripts are registered twice by Jupyter Book, which
    # is a JavaScript error ("THEBE_JS_URL has already been declared"), and name a CDN.
    for key in ("script_files", "css_files"):
        assets, seen = [], set()
        for asset in context.get(key, []):
            ident = (str(asset), getattr(asset, "attributes", {}).get("body"))
            if _is_thebe(asset) or ident in seen:
                continue
            seen.add(ident)
            assets.append(asset)
        context[key] = assets
    # docutils gives the bibliography role="list" but its entries role="doc-biblioentry",
    # which a list may not contain (axe rule "aria-required-children"): drop the list role.
    # A checklist's boxes (MyST "tasklist") have no label for screen readers (axe "label").
    if "body" in context:
        context["body"] = (
            context["body"]
            .replace(
                '<div role="list" class="citation-list">',
                '<div class="citation-list">',
            )
            .replace(
                '<input class="task-list-item-checkbox" disabled="disabled" type="checkbox">',
                '<input class="task-list-item-checkbox" disabled="disabled" type="checkbox" aria-label="to do">',
            )
        )
    # Challenges are numbered per episode ("Challenge 2: ..."), not across the site
    # (sphinx-exercise's numbering; the episodes' exercises are :nonumber:).
    if "body" in context and pagename.startswith("episodes/"):
        context["body"] = _number_challenges(context["body"])
    # The sidebar's expand/collapse toggles are <summary> elements with only an icon: give
    # them a name that screen readers can announce (axe rule "summary-name").
    toctree = context.get("generate_toctree_html")
    if toctree is not None and not getattr(toctree, "_lesson_named", False):

        def named_toctree(*args, **kwargs):
            html = toctree(*args, **kwargs)  # a BeautifulSoup tree or a string
            return Markup(
                str(html).replace(
                    '<summary><span class="toctree-toggle" role="presentation">',
                    '<summary aria-label="Show or hide the sections of this page">'
                    '<span class="toctree-toggle" role="presentation">',
                )
            )

        named_toctree._lesson_named = True
        context["generate_toctree_html"] = named_toctree


def setup(app: Sphinx) -> dict:
    app.add_directive("instructor-note", InstructorNote)
    app.add_directive("going-further", GoingFurther)
    app.add_directive("lesson-figure", LessonFigure)
    app.add_directive("quick-check", QuickCheck)
    app.add_post_transform(LessonFigureAlt)
    app.connect("source-read", on_source_read)
    app.connect(
        "html-page-context", _page_fixes, priority=900
    )  # after the theme's handlers
    return {
        "version": "1.0",
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
