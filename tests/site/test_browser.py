"""The built site in a real browser: headless Chromium opens every page from a local server.

A page fails when it logs a console error, a request fails or asks a host other than the
local server, an in-page or cross-page anchor is broken, an image does not load, an axe-core
audit finds a serious or critical accessibility problem, its headings skip a level, or a line
of its code is wider than its column at 1280 px (solutions, notes and optional blocks opened;
printed outputs wrap instead).
Screenshots of the home page and of episode 01 are kept in ``_build/screenshots/``.

Needs Chromium (Debian/Ubuntu: ``apt-get install chromium``). Playwright drives it through
its ``executable_path``: nothing is downloaded. Set ``LESSON_CHROMIUM`` to use another binary.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tools import lesson_checks

ROOT = Path(__file__).resolve().parents[2]
# Every page a reader can reach: the table of contents plus Sphinx's index and search pages.
PAGES = [
    f"{name}.html"
    for name in (
        lesson_checks._strip_suffix(f) for f in lesson_checks._toc_files(ROOT)
    )
]
PAGES += ["genindex.html", "search.html"]
SCREENSHOTS = {
    "index.html": "home.png",
    "episodes/01-why-reproducibility.html": "episode-01.png",
}
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    candidates = [
        os.environ.get("LESSON_CHROMIUM"),
        "chromium",
        "chromium-browser",
        "google-chrome",
    ]
    for candidate in filter(None, candidates):
        found = shutil.which(candidate)
        if found:
            return found
    pytest.fail(
        "No Chromium found for the browser tests. Install it (Debian/Ubuntu: "
        "`sudo apt-get install chromium`; macOS: install Google Chrome) or set LESSON_CHROMIUM "
        "to the browser's path.",
        pytrace=False,
    )


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site_url(built_site):
    handler = functools.partial(_Quiet, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_FLAGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def axe_script() -> str:
    import axe_playwright_python

    return (
        Path(axe_playwright_python.__file__).parent / "axe.min.js"
    ).read_text(encoding="utf-8")


class Visit:
    """Open one page, recording console errors, failed and non-local requests."""

    def __init__(self, browser, site_url: str, *, color_scheme: str = "light"):
        self.site_url = site_url
        self.problems: list[str] = []
        self.context = browser.new_context(
            viewport={"width": 1280, "height": 900}, color_scheme=color_scheme
        )
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on(
            "pageerror",
            lambda error: self.problems.append(f"JavaScript error: {error}"),
        )
        self.page.on(
            "requestfailed",
            lambda r: self.problems.append(
                f"request failed: {r.url} ({r.failure})"
            ),
        )
        self.page.on("response", self._response)

    def _route(self, route):
        url = route.request.url
        if url.startswith(self.site_url) or urlsplit(url).scheme in (
            "data",
            "blob",
            "about",
        ):
            route.continue_()
        else:
            self.problems.append(f"request to a non-local host: {url}")
            route.abort()

    def _console(self, message):
        if message.type == "error":
            self.problems.append(f"console error: {message.text}")

    def _response(self, response):
        if response.status >= 400:
            self.problems.append(
                f"HTTP {response.status} for {response.url} (from {response.request.headers.get('referer')})"
            )

    def open(self, path: str):
        self.page.goto(self.site_url + path, wait_until="load")
        self.page.wait_for_load_state("networkidle")
        return self.page

    def close(self):
        self.context.close()


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key in ("id", "name") and value:
                self.ids.add(value)


@functools.cache
def ids_in(path: Path) -> frozenset[str]:
    parser = _Ids()
    parser.feed(path.read_text(encoding="utf-8"))
    return frozenset(parser.ids)


LINKS_JS = "() => [...document.querySelectorAll('a[href]')].map(a => a.href)"
IDS_JS = "() => [...document.querySelectorAll('[id], a[name]')].map(e => e.id || e.getAttribute('name'))"
# Load every image (even lazy ones) and return the sources of those that fail.
BROKEN_IMAGES_JS = """async () => {
  const broken = [];
  for (const img of document.images) {
    img.loading = 'eager';
    try { await img.decode(); } catch (e) { broken.push(img.currentSrc || img.src); }
    if (img.complete && img.naturalWidth === 0 && !broken.includes(img.src)) broken.push(img.src);
  }
  return broken;
}"""
HEADINGS_JS = """() => [...document.querySelectorAll('main h1, main h2, main h3, main h4, main h5, main h6')]
  .filter(h => h.offsetParent !== null || h.closest('details'))
  .map(h => [Number(h.tagName[1]), h.textContent.trim().slice(0, 60)])"""


def check_anchors(
    page, path: str, built_site: Path, site_url: str
) -> list[str]:
    problems = []
    here_ids = set(page.evaluate(IDS_JS))
    for href in page.evaluate(LINKS_JS):
        if not href.startswith(site_url) or "#" not in href:
            continue
        target, fragment = href.split("#", 1)
        fragment = unquote(fragment)
        if not fragment:
            continue
        target_path = (
            urlsplit(target).path[len(urlsplit(site_url).path) :]
            or "index.html"
        )
        if target_path.endswith("/"):
            target_path += "index.html"
        if target_path == path:
            if fragment not in here_ids:
                problems.append(f"broken in-page anchor #{fragment}")
        else:
            file = built_site / target_path
            if not file.is_file():
                problems.append(f"link to missing page {target_path}")
            elif fragment not in ids_in(file):
                problems.append(f"broken anchor {target_path}#{fragment}")
    return problems


def check_headings(page) -> list[str]:
    levels = page.evaluate(HEADINGS_JS)
    problems = []
    if [level for level, _ in levels].count(1) != 1:
        problems.append(
            f"expected one h1, found {[t for level, t in levels if level == 1]}"
        )
    for (before, _), (level, text) in zip(levels, levels[1:]):
        if level > before + 1:
            problems.append(
                f"heading level jumps from h{before} to h{level} at {text!r}"
            )
    return problems


def audit(page, axe_script: str, rules: list[str] | None = None) -> list[str]:
    page.evaluate(axe_script)
    options = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = rules
    results = page.evaluate(
        "async (options) => await axe.run(document, options)", options
    )
    problems = []
    for violation in results["violations"]:
        if violation["impact"] in ("serious", "critical"):
            targets = [
                " ".join(map(str, node["target"]))
                for node in violation["nodes"]
            ][:3]
            problems.append(
                f"axe {violation['impact']}: {violation['id']} ({violation['help']}) at {targets}"
            )
    return problems


@pytest.mark.parametrize("path", PAGES)
def test_page_in_browser(path, browser, site_url, built_site, axe_script):
    visit = Visit(browser, site_url)
    try:
        page = visit.open(path)
        problems = check_anchors(page, path, built_site, site_url)
        problems += [
            f"image does not load: {src}"
            for src in page.evaluate(BROKEN_IMAGES_JS)
        ]
        problems += [
            f"image without alt text: {src}"
            for src in page.evaluate(
                "() => [...document.images].filter(i => !(i.getAttribute('alt') || '').trim()).map(i => i.src)"
            )
        ]
        problems += check_headings(page)
        problems = (
            visit.problems + problems
        )  # the page's own requests and console messages
        problems += audit(
            page, axe_script
        )  # (axe fetches stylesheets itself: not counted)
        problems += [
            f"clipped code: {line.strip()[:100]}"
            for line in page.evaluate(CLIPPED_CODE_JS)
        ]
        if path in SCREENSHOTS:
            folder = built_site.parent / "screenshots"
            folder.mkdir(exist_ok=True)
            page.screenshot(
                path=str(folder / SCREENSHOTS[path]), full_page=True
            )
    finally:
        visit.close()
    assert problems == [], f"{path}:\n" + "\n".join(problems)


FIGURE_CORNERS_JS = """() => [...document.querySelectorAll('main figure img, main .cell_output img')].map(img => {
  const canvas = document.createElement('canvas');
  canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const corner = ctx.getImageData(1, 1, 1, 1).data;
  return [img.src, Array.from(corner)];
})"""


def test_dark_mode_is_readable(browser, site_url, axe_script):
    """In the dark theme, text keeps its contrast (axe) and figures keep a white, opaque
    background, so that their dark labels stay readable."""
    visit = Visit(browser, site_url, color_scheme="dark")
    try:
        figures, problems = [], []
        for path in PAGES:
            page = visit.open(path)
            assert (
                page.evaluate("() => document.documentElement.dataset.theme")
                == "dark"
            )
            figures += page.evaluate(FIGURE_CORNERS_JS)
            problems += [
                f"{path}: {p}"
                for p in audit(page, axe_script, ["color-contrast"])
            ]
    finally:
        visit.close()
    assert problems == [], "\n".join(problems)
    assert figures, "no figures found on the episode and notebook pages"
    bad = [
        src for src, (r, g, b, a) in figures if a < 250 or min(r, g, b) < 235
    ]
    assert bad == [], f"figures without an opaque light background: {bad}"


def test_solutions_hidden_on_screen_and_printed(browser, site_url):
    """Learners see a solution only when they open it; a printout (or PDF) shows them all."""
    visit = Visit(browser, site_url)
    try:
        page = visit.open("episodes/01-why-reproducibility.html")
        contents = page.locator(".solution > .admonition-title ~ *")
        assert contents.count() >= 2
        assert not any(
            contents.nth(i).is_visible() for i in range(contents.count())
        ), "a solution is visible before the learner opens it"
        page.locator(".solution button.toggle-button").first.click()
        assert contents.first.is_visible(), (
            "a solution does not open when clicked"
        )
        page.reload()
        page.emulate_media(media="print")
        hidden = [
            i
            for i in range(contents.count())
            if not contents.nth(i).is_visible()
        ]
        assert hidden == [], "solutions stay hidden when the page is printed"
    finally:
        visit.close()


def test_instructor_notes_hidden_from_learners_until_the_instructor_view_is_on(
    browser, site_url
):
    """Instructor notes are hidden by default; the header's button shows them, and the
    choice holds on the next page; the instructor-notes page shows its notes either way."""
    visit = Visit(browser, site_url)
    try:
        page = visit.open("episodes/02-model-evaluation.html")
        shown = "() => [...document.querySelectorAll('.admonition.instructor-note')].filter(n => n.offsetParent !== null).length"
        total = page.evaluate(
            "() => document.querySelectorAll('.admonition.instructor-note').length"
        )
        assert total > 0 and page.evaluate(shown) == 0
        button = page.locator(".lesson-instructor-toggle")
        assert button.get_attribute("aria-pressed") == "false"
        button.click()
        assert (
            page.evaluate(shown) == total
            and button.get_attribute("aria-pressed") == "true"
        )
        page = visit.open(
            "episodes/03-benchmarking.html"
        )  # remembered across pages
        assert page.evaluate(shown) > 0
        page.locator(".lesson-instructor-toggle").click()
        assert page.evaluate(shown) == 0
        page = visit.open(
            "instructors/instructor-notes.html"
        )  # the collected notes: always
        assert page.evaluate(shown) > 0
    finally:
        visit.close()
    assert visit.problems == []


CLIPPED_CODE_JS = """() => {
  document.documentElement.classList.add('instructor-view');
  const style = document.createElement('style');
  style.textContent = '.toggle-hidden .admonition-title ~ * {height: auto !important; ' +
    'visibility: visible !important; opacity: 1 !important}';
  document.head.appendChild(style);
  document.querySelectorAll('details').forEach(d => d.open = true);
  const clipped = [];
  for (const pre of document.querySelectorAll('pre')) {
    if (pre.closest('.cell_output') || pre.offsetParent === null) continue;
    if (pre.scrollWidth <= pre.clientWidth + 1) continue;
    const probe = document.createElement('span');
    probe.textContent = 'x'.repeat(50);
    pre.appendChild(probe);
    const width = probe.getBoundingClientRect().width / 50;
    probe.remove();
    const style = getComputedStyle(pre);
    const room = pre.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    for (const line of pre.textContent.split('\\n')) {
      if (line.length * width > room + 1) clipped.push(line);
    }
  }
  return clipped;
}"""
