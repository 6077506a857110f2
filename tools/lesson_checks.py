"""Lesson checks: what the Carpentries checker does for Markdown, for a Python lesson.

Each ``check_*`` function takes the lesson's root folder and returns a list of problems (empty
when all is well), so tests can run them on the real lesson and on deliberately broken copies.
Run them all with ``python -m tools.lesson_checks [ROOT]``, or some with
``--only check_timing,check_cell_tags``; ``check_built_site`` needs a
built site (``make site``).
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

from tools import config, lesson_meta, timing
from tools import notebooks as nbtools

MD_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)[^)]*\)")
IMAGE_DIRECTIVE = re.compile(
    r"^(?P<fence>:{3,}|`{3,})\{(?P<name>figure|image|lesson-figure)\}[^\n]*\n(?P<body>.*?)^(?P=fence)",
    re.MULTILINE | re.DOTALL,
)
IMAGE_MIME = ("image/png", "image/jpeg", "image/svg+xml", "image/gif")


def _toc_files(root: Path) -> list[str]:
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    found = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                found.append(entry["file"])
            walk(entry.get("sections"))
            walk(entry.get("chapters"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return found


def _strip_suffix(name: str) -> str:
    return re.sub(r"\.(md|ipynb)$", "", name)


# ----------------------------------------------------------------------------- sources
def check_episodes(root: Path) -> list[str]:
    """Front matter, a paired notebook, no hand-written title, complete challenges."""
    problems = []
    episode_files = sorted((root / "episodes").glob("*.md"))
    if not episode_files:
        problems.append("episodes/: no episodes found")
    for path in episode_files:
        rel = path.relative_to(root)
        try:
            episode = lesson_meta.read_episode(path)
        except lesson_meta.FrontMatterError as exc:
            problems.append(str(exc).replace(str(path), str(rel)))
            continue
        if not episode.notebook(root).is_file():
            problems.append(
                f"{rel}: no paired notebook notebooks/{episode.slug}.ipynb"
            )
        if lesson_meta.has_title_heading(episode.body):
            problems.append(
                f"{rel}: has a '# ' title in the body (the front matter's title is used)"
            )
        found = lesson_meta.challenges(episode.body)
        if not found:
            problems.append(f"{rel}: has no challenges")
        solved = set(lesson_meta.solution_targets(episode.body))
        for challenge in found:
            if challenge.label is None:
                problems.append(
                    f"{rel}: challenge '{challenge.title}' has no :label:"
                )
            elif challenge.label not in solved:
                problems.append(
                    f"{rel}: challenge '{challenge.title}' has no solution"
                )
            if challenge.minutes is None:
                problems.append(
                    f"{rel}: challenge '{challenge.title}' has no '(N min)' estimate"
                )
        total = sum(c.minutes or 0 for c in found)
        if found and total != episode.meta["exercises"]:
            problems.append(
                f"{rel}: challenges add up to {total} min but the front matter says "
                f"exercises: {episode.meta['exercises']}"
            )
        if "{instructor-note}" not in episode.body:
            problems.append(f"{rel}: has no instructor notes")
    return problems


def check_toc(root: Path) -> list[str]:
    """Every page and notebook is in _toc.yml, and every _toc.yml entry exists."""
    problems = []
    listed = {_strip_suffix(f) for f in _toc_files(root)}
    pages = [root / "index.md"]
    for folder in ("episodes", "learners", "instructors"):
        pages += sorted((root / folder).glob("*.md"))
    pages += sorted((root / "notebooks").glob("*.ipynb"))
    for page in pages:
        name = _strip_suffix(str(page.relative_to(root)))
        if name not in listed:
            problems.append(f"{page.relative_to(root)} is not in _toc.yml")
    for name in sorted(listed):
        if not any(
            (root / f"{name}{ext}").is_file() for ext in (".md", ".ipynb")
        ):
            problems.append(f"_toc.yml lists {name}, which does not exist")
    return problems


def check_alt_text(root: Path) -> list[str]:
    """Every image in the prose and every figure a notebook draws has alt text."""
    problems = []
    for page in sorted(root.glob("*.md")) + sorted(root.glob("*/*.md")):
        if ".venv" in page.parts or "_build" in page.parts:
            continue
        text = page.read_text(encoding="utf-8")
        rel = page.relative_to(root)
        for match in MD_IMAGE.finditer(text):
            if not match.group("alt").strip():
                problems.append(
                    f"{rel}: image {match.group('src')} has no alt text"
                )
        for match in IMAGE_DIRECTIVE.finditer(text):
            if not re.search(
                r"^:alt:[ \t]*\S", match.group("body"), re.MULTILINE
            ):
                problems.append(
                    f"{rel}: a {match.group('name')} has no :alt: text"
                )
    for path in sorted((root / "notebooks").glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for index, cell in enumerate(nb["cells"]):
            if cell["cell_type"] != "code":
                continue
            draws = any(
                mime in output.get("data", {})
                for output in cell.get("outputs", [])
                for mime in IMAGE_MIME
            )
            alt = (
                cell.get("metadata", {})
                .get("mystnb", {})
                .get("image", {})
                .get("alt", "")
            )
            if draws and not alt.strip():
                problems.append(
                    f"notebooks/{path.name}: cell {index} draws a figure without alt text "
                    '(cell metadata "mystnb": {"image": {"alt": "..."}})'
                )
    return problems


def check_notebooks(root: Path) -> list[str]:
    """Stored outputs from one clean top-to-bottom run, no errors or stderr, current set-up cell."""
    problems = []
    for path in sorted((root / "notebooks").glob("*.ipynb")):
        rel = f"notebooks/{path.name}"
        nb = json.loads(path.read_text(encoding="utf-8"))
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        expected_setup = nbtools.setup_cell_source(
            root, extra=nbtools.extra_of(nb), slug=path.stem
        )
        if not code or "".join(code[0]["source"]) != expected_setup:
            problems.append(
                f"{rel}: the first code cell is not the current set-up cell (run `make refresh`)"
            )
        counts = [c.get("execution_count") for c in code]
        if counts != list(range(1, len(code) + 1)):
            problems.append(
                f"{rel}: not executed top to bottom in one fresh kernel (run `make refresh`)"
            )
        for index, cell in enumerate(code):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    problems.append(
                        f"{rel}: code cell {index} stores an error"
                    )
                if output.get("name") == "stderr":
                    problems.append(
                        f"{rel}: code cell {index} wrote to stderr"
                    )
        if (
            nb.get("metadata", {}).get("kernelspec", {}).get("name")
            != "python3"
        ):
            problems.append(f"{rel}: kernelspec must be python3")
    return problems


def _pins(lines) -> dict[str, str]:
    pins = {}
    for line in lines:
        match = re.match(r"^\s*-?\s*([A-Za-z0-9_.\-]+)==(\S+)\s*$", line)
        if match:
            pins[match.group(1).lower().replace("_", "-")] = match.group(2)
    return pins


#: The platforms uv.lock must cover with wheels (pyproject.toml's [tool.uv] environments), as
#: marker values and a test of a wheel's platform tag.
WHEEL_PLATFORMS = {
    "Linux x86-64": (
        {
            "sys_platform": "linux",
            "platform_machine": "x86_64",
            "os_name": "posix",
            "platform_system": "Linux",
        },
        lambda tag: "linux" in tag and "x86_64" in tag and "musl" not in tag,
    ),
    "Linux ARM64": (
        {
            "sys_platform": "linux",
            "platform_machine": "aarch64",
            "os_name": "posix",
            "platform_system": "Linux",
        },
        lambda tag: "linux" in tag and "aarch64" in tag and "musl" not in tag,
    ),
    "macOS Apple silicon": (
        {
            "sys_platform": "darwin",
            "platform_machine": "arm64",
            "os_name": "posix",
            "platform_system": "Darwin",
        },
        lambda tag: (
            tag.startswith("macosx")
            and ("arm64" in tag or "universal2" in tag)
        ),
    ),
    "Windows x86-64": (
        {
            "sys_platform": "win32",
            "platform_machine": "AMD64",
            "os_name": "nt",
            "platform_system": "Windows",
        },
        lambda tag: tag == "win_amd64",
    ),
}


def check_wheels(root: Path) -> list[str]:
    """Every package that uv.lock installs on a covered platform and supported Python has a
    wheel for it, so no learner's pip has to compile anything."""
    import tomllib

    from packaging.markers import Marker
    from packaging.utils import parse_wheel_filename

    from tools import pythons

    lock = tomllib.loads((root / "uv.lock").read_text(encoding="utf-8"))
    tags = {}
    for package in lock["package"]:
        found = set()
        for wheel in package.get("wheels", []):
            found |= parse_wheel_filename(wheel["url"].rsplit("/", 1)[1])[3]
        tags[package["name"], package["version"]] = found
    problems = []
    for line in (
        (root / "requirements-authors.txt")
        .read_text(encoding="utf-8")
        .splitlines()
    ):
        match = re.match(
            r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)\s*(?:;\s*([^\\]+))?", line
        )
        if not match:
            continue
        name, version, marker = (
            re.sub(r"[-_.]+", "-", match.group(1)).lower(),
            match.group(2),
            match.group(3),
        )
        wheels = tags.get((name, version), set())
        for python in pythons.supported(root):
            minor = int(python.split(".")[1])
            for label, (env, platform_ok) in WHEEL_PLATFORMS.items():
                env = {
                    **env,
                    "python_version": python,
                    "python_full_version": f"{python}.99",
                    "implementation_name": "cpython",
                    "platform_python_implementation": "CPython",
                }
                if marker and not Marker(marker.strip()).evaluate(env):
                    continue
                if not any(
                    (t.platform == "any" or platform_ok(t.platform))
                    and (
                        t.interpreter.startswith("py3")
                        or t.interpreter == f"cp3{minor}"
                        or (
                            t.abi == "abi3"
                            and t.interpreter.startswith("cp3")
                            and int(t.interpreter[3:]) <= minor
                        )
                    )
                    for t in wheels
                ):
                    problems.append(
                        f"uv.lock: {name}=={version} has no wheel for Python {python} on {label}"
                    )
    return problems


def check_environment_files(root: Path) -> list[str]:
    """The exports of uv.lock are current; conda, Binder and the supported Pythons agree."""
    from tools import lock, pythons

    problems = []
    for name, group in lock.EXPORTS.items():
        path = root / name
        if not path.is_file() or path.read_text(
            encoding="utf-8"
        ) != lock.export(group, root):
            problems.append(
                f"{name} is not the current export of uv.lock's '{group}' group: run `make lock`"
            )
    versions = pythons.supported(root)
    env = yaml.safe_load(
        (root / "environment.yml").read_text(encoding="utf-8")
    )
    deps = env.get("dependencies", [])
    wanted_python = (
        f"python>={versions[0]},<3.{int(versions[-1].split('.')[1]) + 1}"
    )
    if wanted_python not in deps:
        problems.append(
            f"environment.yml must ask for {wanted_python} (pyproject.toml's requires-python)"
        )
    pip_lists = [d["pip"] for d in deps if isinstance(d, dict) and "pip" in d]
    if pip_lists != [["-r requirements.txt"]]:
        problems.append(
            "environment.yml must install the learners' export with pip: '-r requirements.txt'"
        )
    binder = root / "binder"
    runtime = (binder / "runtime.txt").read_text(encoding="utf-8").strip()
    if runtime.removeprefix("python-") not in versions:
        problems.append(
            f"binder/runtime.txt says {runtime}: use a supported Python ({', '.join(versions)})"
        )
    if "pip install --no-deps -e ." not in (binder / "postBuild").read_text(
        encoding="utf-8"
    ):
        problems.append(
            "binder/postBuild must install lessonkit: 'pip install --no-deps -e .'"
        )
    problems += lock.extra_problems(root)
    return problems


def check_data(root: Path) -> list[str]:
    """data/SHA256SUMS matches the files and the checksums the loader verifies."""

    from lessonkit.data import CHECKSUMS

    problems = []
    manifest = {}
    for line in (
        (root / "data" / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    ):
        if line.strip():
            digest, name = line.split(maxsplit=1)
            manifest[name.lstrip("*")] = digest
    if manifest != CHECKSUMS:
        problems.append(
            f"data/SHA256SUMS {manifest} differs from lessonkit.data.CHECKSUMS {CHECKSUMS}"
        )
    for name, digest in manifest.items():
        path = root / "data" / name
        if not path.is_file():
            problems.append(f"data/{name} is listed in SHA256SUMS but missing")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            problems.append(
                f"data/{name} does not match its checksum in SHA256SUMS"
            )
    return problems


#: Where the template's lock must install: (platform, marker values). Python 3.11 to 3.13 each.
TEMPLATE_PLATFORMS = {
    "Linux x86-64": {
        "sys_platform": "linux",
        "platform_machine": "x86_64",
        "os_name": "posix",
        "platform_system": "Linux",
    },
    "Linux ARM64": {
        "sys_platform": "linux",
        "platform_machine": "aarch64",
        "os_name": "posix",
        "platform_system": "Linux",
    },
    "macOS Apple silicon": {
        "sys_platform": "darwin",
        "platform_machine": "arm64",
        "os_name": "posix",
        "platform_system": "Darwin",
    },
    "macOS Intel": {
        "sys_platform": "darwin",
        "platform_machine": "x86_64",
        "os_name": "posix",
        "platform_system": "Darwin",
    },
    "Windows x86-64": {
        "sys_platform": "win32",
        "platform_machine": "AMD64",
        "os_name": "nt",
        "platform_system": "Windows",
    },
}
TEMPLATE_PYTHONS = ("3.11", "3.12", "3.13")
TEMPLATE_SOURCE_LINES = 2000  # the "read it in one sitting": template/src/ stays below this
# ... at a normal width: the template's ruff line length is at most this.
TEMPLATE_LINE_LENGTH = 100


def _lock_entries(text: str) -> list[tuple[str, str, str, str]]:
    """(name, version, marker, body) of each requirement in a uv-compiled lock file."""
    from packaging.utils import canonicalize_name

    entries = []
    for block in re.split(r"\n(?=[A-Za-z0-9])", "\n" + text):
        match = re.match(
            r"([A-Za-z0-9_.\-]+)==([^\s;\\]+)\s*(?:;\s*([^\\\n]*))?",
            block.strip(),
        )
        if match:
            name, version, marker = match.groups()
            entries.append(
                (
                    canonicalize_name(name),
                    version,
                    (marker or "").strip(),
                    block,
                )
            )
    return entries


def check_template(root: Path) -> list[str]:
    """template/ stands alone, its lock is a real one at the lesson's versions, and its data hold.

    - no Python file in template/ imports lessonkit (learners copy the folder on its own), and
      template/src/ stays under TEMPLATE_SOURCE_LINES lines at a normal width: the template's
      ruff line length is at most TEMPLATE_LINE_LENGTH, and no line of template/src/ is longer;
    - template/requirements.lock is a universal lock with hashes: every pin has its hashes and
      is at a version of the lesson's lock; on every platform and Python the template supports,
      it pins each package of requirements.txt once, at requirements.txt's version (and pytest's
      colorama on Windows);
    - template/data/raw/SHA256SUMS matches its files, a penguins.csv there is the lesson's, and
      each processed file matches its provenance record: its checksum, its raw file's, and that
      of the prepare.py that made it.
    """
    import ast
    import tomllib

    from packaging.markers import Marker

    from tools import lock

    template = root / "template"
    if not template.is_dir():
        return ["template/ is missing"]
    problems, lines = [], 0
    project = template / "pyproject.toml"
    ruff = (
        tomllib.loads(project.read_text(encoding="utf-8"))
        .get("tool", {})
        .get("ruff", {})
        if project.is_file()
        else {}
    )
    width = ruff.get("line-length", 88)  # ruff's default
    if width > TEMPLATE_LINE_LENGTH:
        problems.append(
            f"template/pyproject.toml sets ruff's line-length to {width}: at most {TEMPLATE_LINE_LENGTH}, "
            "so that the line budget counts lines of a normal width"
        )
    for path in sorted(template.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if (template / "src") in path.parents:
            lines += len(text.splitlines())
            long = [
                number
                for number, line in enumerate(text.splitlines(), start=1)
                if len(line) > min(width, TEMPLATE_LINE_LENGTH)
            ]
            if long:
                problems.append(
                    f"{path.relative_to(root)}: line {long[0]} is longer than "
                    f"{min(width, TEMPLATE_LINE_LENGTH)} characters ({len(long)} such line(s)): "
                    "wrap it (`python -m ruff format` in template/, then wrap long strings by hand)"
                )
        for node in ast.walk(ast.parse(text)):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else (
                    [node.module or ""]
                    if isinstance(node, ast.ImportFrom)
                    else []
                )
            )
            if any(n.split(".")[0] == "lessonkit" for n in names):
                problems.append(
                    f"{path.relative_to(root)} imports lessonkit: the template must stand alone"
                )
    if lines >= TEMPLATE_SOURCE_LINES:
        problems.append(
            f"template/src/ has {lines} lines of Python: keep it under {TEMPLATE_SOURCE_LINES}, to read in one sitting"
        )

    lesson = lock.pins(
        (root / "requirements-authors.txt").read_text(encoding="utf-8")
    )
    wanted = (
        _pins(
            (template / "requirements.txt")
            .read_text(encoding="utf-8")
            .splitlines()
        )
        if (template / "requirements.txt").is_file()
        else {}
    )
    text = (
        (template / "requirements.lock").read_text(encoding="utf-8")
        if (template / "requirements.lock").is_file()
        else ""
    )
    entries = _lock_entries(text)
    if not wanted or not entries:
        problems.append(
            "template/requirements.txt and template/requirements.lock must both pin packages"
        )
    if entries and not all(
        option in text.split("\n\n")[0]
        for option in ("--universal", "--generate-hashes")
    ):
        problems.append(
            "template/requirements.lock was not compiled with `uv pip compile --universal --generate-hashes` "
            "(its header says how it was made): regenerate it as template/README.md says"
        )
    for name, version, _, body in entries:
        if "--hash=sha256:" not in body:
            problems.append(
                f"template/requirements.lock pins {name}=={version} without hashes"
            )
        if version not in lesson.get(name, set()):
            found = "/".join(sorted(lesson.get(name, set()))) or "nothing"
            problems.append(
                f"template/requirements.lock pins {name}=={version}, the lesson's lock {found}: the template must use the lesson's versions"
            )
    for platform, values in TEMPLATE_PLATFORMS.items():
        for python in TEMPLATE_PYTHONS:
            where = f"{platform}, Python {python}"
            env = {
                **values,
                "python_version": python,
                "python_full_version": f"{python}.0",
                "implementation_name": "cpython",
                "platform_python_implementation": "CPython",
                "extra": "",
            }
            active = {}
            for name, version, marker, _ in entries:
                if not marker or Marker(marker).evaluate(env):
                    active.setdefault(name, []).append(version)
            for name, version in sorted(wanted.items()):
                if active.get(name) != [version]:
                    found = "/".join(active.get(name, [])) or "nothing"
                    problems.append(
                        f"template: {name} is {version} in requirements.txt but {found} in requirements.lock ({where})"
                    )
            if (
                "pytest" in wanted
                and values["sys_platform"] == "win32"
                and "colorama" not in active
            ):
                problems.append(
                    f"template/requirements.lock lacks colorama, which pytest needs on Windows ({where})"
                )

    data = template / "data"
    recorded = {}
    manifest = data / "raw" / "SHA256SUMS"
    if manifest.is_file():
        for line in manifest.read_text(encoding="utf-8").splitlines():
            if line.strip():
                digest, name = line.split(maxsplit=1)
                recorded[name.lstrip("*")] = digest
    else:
        problems.append("template/data/raw/SHA256SUMS is missing")
    for name, digest in sorted(recorded.items()):
        path = data / "raw" / name
        if (
            not path.is_file()
            or hashlib.sha256(path.read_bytes()).hexdigest() != digest
        ):
            problems.append(
                f"template/data/raw/{name} is missing or does not match template/data/raw/SHA256SUMS"
            )
    lesson_digest = hashlib.sha256(
        (root / "data" / "penguins.csv").read_bytes()
    ).hexdigest()
    if (
        "penguins.csv" in recorded
        and recorded["penguins.csv"] != lesson_digest
    ):
        problems.append(
            "template/data/raw/penguins.csv differs from the lesson's data/penguins.csv"
        )
    provenance = data / "processed" / "provenance.json"
    prepare = template / "src" / "mlproject" / "prepare.py"
    prepare_digest = (
        hashlib.sha256(
            prepare.read_bytes().replace(b"\r\n", b"\n")
        ).hexdigest()
        if prepare.is_file()
        else None
    )
    for name, made in (
        json.loads(provenance.read_text(encoding="utf-8"))
        if provenance.is_file()
        else {}
    ).items():
        path, source = data / "processed" / name, template / made["made_from"]
        if (
            not path.is_file()
            or hashlib.sha256(path.read_bytes()).hexdigest() != made["sha256"]
        ):
            problems.append(
                f"template/data/processed/{name} is missing or does not match its provenance.json"
            )
        if (
            not source.is_file()
            or hashlib.sha256(source.read_bytes()).hexdigest()
            != made["made_from_sha256"]
        ):
            problems.append(
                f"template/data/processed/{name} was not made from template/{made['made_from']} as it is: run prepare"
            )
        if made["made_by_sha256"] != prepare_digest:
            problems.append(
                f"template/data/processed/{name} was made by another prepare.py than template's: run prepare"
            )
    return problems


#: Settings that only the lesson's own CI needs (tools/config.py): learner-facing cells must
#: not set them (plumbing cells may).
CI_ONLY = config.CI_ONLY_SETTINGS


def _code_tokens(source: str) -> list[tuple[int, str]]:
    """``(type, string)`` of a cell's Python tokens (IPython magics and shell lines dropped);
    comments are not tokens here."""
    import io
    import tokenize

    lines = [
        line
        for line in source.splitlines()
        if not line.lstrip().startswith(("%", "!"))
    ]
    try:
        tokens = tokenize.generate_tokens(
            io.StringIO("\n".join(lines) + "\n").readline
        )
        return [
            (t.type, t.string) for t in tokens if t.type != tokenize.COMMENT
        ]
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return []


def _calls_glue(source: str) -> bool:
    import tokenize

    tokens = _code_tokens(source)
    return any(
        kind == tokenize.NAME
        and text == "glue"
        and i + 1 < len(tokens)
        and tokens[i + 1][1] == "("
        for i, (kind, text) in enumerate(tokens)
    )


def _ci_settings(source: str) -> list[str]:
    """The CI-only settings a cell's code names (as a string or a name)."""
    import ast
    import tokenize

    found = []
    for kind, text in _code_tokens(source):
        if kind == tokenize.STRING:
            try:
                value = ast.literal_eval(text)
            except (ValueError, SyntaxError):
                continue
            if value in CI_ONLY:
                found.append(value)
        elif kind == tokenize.NAME and text in CI_ONLY:
            found.append(text)
    return sorted(set(found))


def check_cell_tags(root: Path) -> list[str]:
    """The notebooks' cell tags follow CONTRIBUTING.md ("Cell tags"):

    - a ``live-code`` cell is a code cell that starts with a one-line comment saying what to
      write, and is neither optional (``going-further``), plumbing nor the set-up cell;
    - every code cell that calls ``glue(`` is tagged ``plumbing`` or ``plumbing-shown``;
    - plumbing cells carry the metadata of ``tools/notebooks.py tidy`` (collapsed in JupyterLab
      and Colab, removed from the site);
    - exactly one ``plumbing-shown`` cell in the lesson, after a markdown cell that explains it;
    - no plumbing cell checks a claim with a bare ``assert`` (``lessonkit.claim`` instead);
    - no learner-facing cell (anything but plumbing and the set-up cell) sets a setting that
      only the lesson's CI needs (``CI_ONLY``);
    - a ``gpu`` cell asks ``torch.cuda.is_available()`` and is tagged ``nbval-ignore-output``:
      its stored output is the CPU's ("no GPU"), and on a GPU it prints what the page
      describes without quoting.
    """
    import copy

    problems, shown = [], []
    for path in sorted((root / "notebooks").glob("[0-9][0-9]-*.ipynb")):
        rel = f"notebooks/{path.name}"
        nb = json.loads(path.read_text(encoding="utf-8"))
        for index, cell in enumerate(nb["cells"]):
            tags = set(cell.get("metadata", {}).get("tags", []))
            source = "".join(cell.get("source", ""))
            where = f"{rel}: cell {index}"
            if nbtools.LIVE_CODE in tags:
                first = source.split("\n", 1)[0].strip()
                if cell["cell_type"] != "code":
                    problems.append(
                        f"{where} is tagged live-code but is not a code cell"
                    )
                elif not re.match(r"^#\s*\w", first) or first.startswith(
                    "# @title"
                ):
                    problems.append(
                        f"{where} is tagged live-code: its first line must be a comment saying what to write (e.g. '# Fit the forest')"
                    )
                clash = tags & {
                    nbtools.GOING_FURTHER,
                    nbtools.PLUMBING,
                    nbtools.PLUMBING_SHOWN,
                    nbtools.SETUP_TAG,
                }
                if clash:
                    problems.append(
                        f"{where} is tagged live-code and {', '.join(sorted(clash))}: a live-coded cell is core, learner-facing code"
                    )
            if cell["cell_type"] != "code":
                continue
            if nbtools.GPU in tags and (
                "nbval-ignore-output" not in tags
                or "torch.cuda.is_available()" not in source
            ):
                problems.append(
                    f"{where} is tagged gpu: it must ask torch.cuda.is_available() (and say on a CPU that "
                    "there is no GPU) and be tagged nbval-ignore-output"
                )
            plumbing = tags & {nbtools.PLUMBING, nbtools.PLUMBING_SHOWN}
            if _calls_glue(source) and not plumbing:
                problems.append(
                    f"{where} calls glue(): move the call into a cell tagged plumbing (or the one plumbing-shown cell)"
                )
            if plumbing and re.search(r"^\s*assert\b", source, re.MULTILINE):
                problems.append(
                    f"{where} checks a claim with a bare assert, which stops a learner at another seed: "
                    "use lessonkit.claim(test, 'the claim in words', **numbers)"
                )
            if nbtools.PLUMBING_SHOWN in tags:
                shown.append(where)
                if (
                    index == 0
                    or nb["cells"][index - 1]["cell_type"] != "markdown"
                ):
                    problems.append(
                        f"{where} is plumbing-shown: put a markdown cell before it that explains how its numbers reach the prose (glue)"
                    )
            if nbtools.PLUMBING not in tags and nbtools.SETUP_TAG not in tags:
                for setting in _ci_settings(source):
                    problems.append(
                        f"{where} sets {setting}, which only the lesson's CI needs: move it into a plumbing "
                        "cell (and say in the text what learners should use in their own projects)"
                    )
        tidied = copy.deepcopy(nb)
        if nbtools.tidy(tidied):
            problems.append(
                f"{rel}: plumbing cells lack their metadata: run `python -m tools.notebooks tidy {rel}`"
            )
    if len(shown) != 1:
        problems.append(
            f"the lesson has {len(shown)} plumbing-shown cells ({'; '.join(shown) or 'none'}): exactly one "
            "plumbing cell (in notebook 01) stays visible on the site, to show how numbers reach the prose"
        )
    return problems


def check_type_along(root: Path) -> list[str]:
    """Every notebook has a current type-along notebook (``type-along/NN-slug.ipynb``, written
    by ``tools/notebooks.py type-along``), filling its blanks from the full notebook gives the
    full notebook back (without outputs), and there is no type-along notebook without one."""
    import nbformat

    problems = []
    sources = sorted((root / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    for path in sources:
        target = root / nbtools.TYPE_ALONG / path.name
        rel = f"{nbtools.TYPE_ALONG}/{path.name}"
        fix = (
            f"run `python -m tools.notebooks type-along notebooks/{path.name}`"
        )
        if not target.is_file():
            problems.append(f"{rel} is missing: {fix}")
            continue
        if target.read_text(encoding="utf-8") != nbtools.type_along_text(path):
            problems.append(
                f"{rel} is not current with notebooks/{path.name}: {fix}"
            )
            continue
        full = nbformat.read(path, as_version=4)
        filled = nbtools.fill_type_along(
            nbformat.read(target, as_version=4), full
        )
        if filled != nbtools.strip_outputs(full):
            problems.append(
                f"{rel}: filling its live-code cells from notebooks/{path.name} does not give that notebook back"
            )
    names = {p.name for p in sources}
    for stray in sorted((root / nbtools.TYPE_ALONG).glob("*.ipynb")):
        if stray.name not in names:
            problems.append(
                f"{nbtools.TYPE_ALONG}/{stray.name} has no notebooks/{stray.name}: delete it"
            )
    return problems


def check_colab_times(root: Path) -> list[str]:
    """The Colab set-up times on the execution statistics page (written by `make benchmark`)
    cover every notebook and meet the targets: at most one restart, under 60 s."""
    from tools import emulate

    page = nbtools.STATS_PAGE
    rows = nbtools.recorded_rows(emulate.MARKERS, 5, root)
    if rows is None:
        return [f"{page}: the Colab table's markers are missing"]
    fix = "run `make benchmark` (or `python -m tools.emulate colab --record`)"
    problems = []
    for path in nbtools.lesson_notebooks(
        root, extras=False
    ):  # the emulation runs no extras
        row = rows.get(path.name)
        if row is None:
            problems.append(
                f"{page}: no Colab set-up time for {path.name}: {fix}"
            )
        elif int(row[2]) > 1 or float(row[1]) >= 60:
            problems.append(
                f"{path.name} on Colab: set-up {row[1]} s with {row[2]} restarts (targets: under 60 s, "
                "at most one restart)"
            )
    return problems


def check_notebook_times(root: Path) -> list[str]:
    """The time and memory of each notebook on the execution statistics page (written by `make
    benchmark`) cover every notebook, and no other, and are within the lesson's budget: under
    20 s and 700 MB per notebook, no cell over 5 s (``notebooks.BUDGET``)."""
    page = nbtools.STATS_PAGE
    rows = nbtools.recorded_rows(nbtools.NOTEBOOK_MARKERS, 6, root)
    if rows is None:
        return [f"{page}: the notebook table's markers are missing"]
    fix = "run `make benchmark` (or `python -m tools.notebooks benchmark --record`)"
    problems = []
    paths = nbtools.lesson_notebooks(root)
    for path in paths:
        row = rows.get(path.name)
        if row is None:
            problems.append(
                f"{page}: no time and memory for {path.name}: {fix}"
            )
            continue
        try:
            measured = {
                "wall_s": float(row[1]),
                "peak_mb": float(row[2]),
                "cell_s": float(row[3]),
            }
        except ValueError:
            problems.append(
                f"{page}: the row of {path.name} does not read as numbers: {fix}"
            )
            continue
        for over in nbtools.over_budget(measured):
            problems.append(
                f"notebooks/{path.name} is over budget: {over}; make it faster or leaner, then {fix}"
            )
    for name in sorted(set(rows) - {path.name for path in paths}):
        problems.append(
            f"{page}: a row for {name}, which is not in notebooks/: {fix}"
        )
    return problems


def check_variants(root: Path) -> list[str]:
    """The delivery plans (``lesson-variants`` blocks, e.g. in instructors/guide.md) read, name
    existing episodes and fit their budgets with the episodes' current minutes: the build
    checks the same, this says it without a build."""
    block = re.compile(
        r"^```\{lesson-variants\}[ \t]*\n(?P<body>.*?)^```[ \t]*$",
        re.MULTILINE | re.DOTALL,
    )
    try:
        episodes = lesson_meta.load_episodes(root / "episodes")
    except lesson_meta.FrontMatterError:
        return []  # check_episodes reports it
    problems = []
    for page in (
        [root / "index.md"]
        + sorted(root.glob("instructors/*.md"))
        + sorted(root.glob("learners/*.md"))
    ):
        if not page.is_file():
            continue
        for match in block.finditer(page.read_text(encoding="utf-8")):
            try:
                lesson_meta.parse_variants(match.group("body"), episodes)
            except lesson_meta.FrontMatterError as exc:
                problems.append(f"{page.relative_to(root)}: {exc}")
    return problems


def check_timing(root: Path) -> list[str]:
    """Every episode fits its declared ``teaching`` minutes by the timing model (within 10 %),
    with practice at least every 15 modelled minutes, a quick check, at most 2.5 lines of
    pre-filled core code per teaching minute; and the core episodes together live-code no
    fewer lines than before (``tools/timing.py``, rules in CONTRIBUTING.md, "Timing").
    ``python -m tools.timing`` prints the clock of every episode."""
    return timing.lesson_problems(root)


# ----------------------------------------------------------------------------- built site
class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.images, self.resources, self.ids = [], [], [], set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "img":
            self.images.append(a)
        if tag == "script" and a.get("src"):
            self.resources.append(a["src"])
        if (
            tag == "link"
            and a.get("href")
            and a.get("rel") in ("stylesheet", "preload", "icon")
        ):
            self.resources.append(a["href"])
        if tag in ("img", "iframe", "source", "video", "audio") and a.get(
            "src"
        ):
            self.resources.append(a["src"])


def check_built_site(root: Path, html: Path) -> list[str]:
    """Launch and download links resolve, images have alt text, nothing loads from the web."""
    problems = []
    url, branch = nbtools.repository_url(root)
    owner_repo = url.split("github.com/", 1)[1]
    colab = re.compile(
        rf"colab\.research\.google\.com/github/{re.escape(owner_repo)}/blob/{branch}/(?P<path>[^?#]+)"
    )
    binder = re.compile(
        rf"mybinder\.org/v2/gh/{re.escape(owner_repo)}/{branch}\?urlpath=(?P<path>[^&#]+)"
    )
    pages = sorted(html.rglob("*.html"))
    if not pages:
        return [f"{html}: no built pages (build the site first)"]
    launch_links = 0
    for page in pages:
        if "_static" in page.parts or page.name in {
            "genindex.html",
            "search.html",
        }:
            continue
        rel = page.relative_to(html)
        parser = _Page()
        parser.feed(page.read_text(encoding="utf-8"))
        found = set()  # (kind, notebook path in the repository) of this page's notebook links
        for href in parser.links:
            if m := colab.search(href):
                launch_links += 1
                found.add(("Colab", unquote(m.group("path"))))
                if not (root / unquote(m.group("path"))).is_file():
                    problems.append(
                        f"{rel}: Colab link to missing file {m.group('path')}"
                    )
            elif m := binder.search(href):
                launch_links += 1
                target = unquote(m.group("path"))
                target = re.sub(r"^(lab/tree|tree|notebooks)/", "", target)
                found.add(("Binder", target))
                if not (root / target).is_file():
                    problems.append(
                        f"{rel}: Binder link to missing file {target}"
                    )
            elif not urlsplit(href).scheme and not href.startswith(
                ("#", "mailto:")
            ):
                target = (page.parent / unquote(urlsplit(href).path)).resolve()
                if urlsplit(href).path and not target.exists():
                    problems.append(f"{rel}: link to missing file {href}")
                elif (
                    "_downloads" in target.parts and target.suffix == ".ipynb"
                ):
                    # Which notebook is it? The type-along version has the generator's note.
                    folder = (
                        nbtools.TYPE_ALONG
                        if nbtools.TYPE_ALONG_NOTE
                        in target.read_text(encoding="utf-8")
                        else "notebooks"
                    )
                    found.add(("download", f"{folder}/{target.name}"))
        if rel.parts[0] == "episodes" and lesson_meta.EPISODE_NAME.match(
            page.stem
        ):
            # A notebook with an extra (episode 09: PyTorch) is not on Binder, whose image has none.
            on_binder = (
                nbtools.extra_of_path(
                    root / "notebooks" / f"{page.stem}.ipynb"
                )
                is None
            )
            for folder in ("notebooks", nbtools.TYPE_ALONG):
                for kind in (
                    ("Binder", "Colab", "download")
                    if on_binder
                    else ("Colab", "download")
                ):
                    if (kind, f"{folder}/{page.stem}.ipynb") not in found:
                        problems.append(
                            f"{rel}: no {kind} link to {folder}/{page.stem}.ipynb"
                        )
        for image in parser.images:
            alt = (image.get("alt") or "").strip()
            if not alt or re.fullmatch(r"[\w./-]+\.(png|jpe?g|svg|gif)", alt):
                problems.append(
                    f"{rel}: image {image.get('src')} has no alt text"
                )
        for resource in parser.resources:
            if urlsplit(resource).scheme in (
                "http",
                "https",
            ) or resource.startswith("//"):
                problems.append(f"{rel}: loads {resource} from the network")
    if launch_links == 0:
        problems.append(
            "no Binder or Colab launch links found in the built site"
        )
    return problems


def _assigned(tree) -> set[str]:
    """Names a cell binds at its top level (assignments, loops, imports, defs, with-as)."""
    import ast

    names = set()
    for node in tree.body:
        for sub in (
            ast.walk(node)
            if not isinstance(
                node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
            )
            else [node]
        ):
            if isinstance(
                sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
            ):
                names.add(sub.name)
            elif isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                names.add(sub.id)
            elif isinstance(sub, (ast.Import, ast.ImportFrom)):
                names |= {
                    (alias.asname or alias.name).split(".")[0]
                    for alias in sub.names
                }
    return names


def _read(tree) -> set[str]:
    """Names a cell reads that it does not bind itself (in functions too: globals)."""
    import ast

    loads = {
        node.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
    }
    bound = {
        node.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
    }
    bound |= {
        arg.arg
        for node in ast.walk(tree)
        if isinstance(node, ast.arguments)
        for arg in (
            *node.posonlyargs,
            *node.args,
            *node.kwonlyargs,
            node.vararg,
            node.kwarg,
        )
        if arg
    }
    return loads - bound


def _parse(source: str):
    import ast

    lines = [
        line
        for line in source.split("\n")
        if not line.lstrip().startswith(("%", "!"))
    ]
    try:
        return ast.parse("\n".join(lines))
    except SyntaxError:
        return None


NAMED = re.compile(r"(?:→|->)\s*(?P<names>.+)$")


def named_in_comment(first_line: str) -> set[str]:
    """The names a live-code cell's comment promises: ``# Fit it → model, scores``."""
    match = NAMED.search(first_line)
    if not match:
        return set()
    return {
        name.strip(" `.;")
        for name in match.group("names").split(",")
        if name.strip(" `.;")
    }


def check_strands(root: Path) -> list[str]:
    """Type-along notebooks never strand a learner: every name that a live-code cell assigns
    and a later cell of the type-along notebook reads (a pre-filled cell, a helper, optional
    code) is named in the live cell's comment (``# ... → cv, fold_scores``), so that a learner
    who types the code their own way uses those names; and live-code comments are unique in
    their notebook (``%catch_up`` finds its cell by its comment)."""
    problems = []
    for path in nbtools.lesson_notebooks(root):
        rel = f"notebooks/{path.name}"
        nb = json.loads(path.read_text(encoding="utf-8"))
        binder: dict[
            str, int
        ] = {}  # name -> index of the last cell that bound it
        comments: dict[str, int] = {}
        missing: dict[
            int, dict[str, list[int]]
        ] = {}  # live cell -> name -> cells that read it
        for index, cell in enumerate(nb["cells"]):
            tags = set(cell.get("metadata", {}).get("tags", []))
            if cell["cell_type"] != "code" or tags & {
                nbtools.PLUMBING,
                nbtools.SETUP_TAG,
            }:
                continue
            source = "".join(cell.get("source", ""))
            tree = _parse(source)
            if tree is None:
                continue
            if nbtools.LIVE_CODE not in tags:
                for name in sorted(_read(tree)):
                    at = binder.get(name)
                    if at is None:
                        continue
                    first = "".join(nb["cells"][at].get("source", "")).split(
                        "\n", 1
                    )[0]
                    if name not in named_in_comment(first):
                        missing.setdefault(at, {}).setdefault(name, []).append(
                            index
                        )
            else:
                first = source.split("\n", 1)[0].strip()
                if first in comments:
                    problems.append(
                        f"{rel}: live-code cells {comments[first]} and {index} have the same comment: "
                        "make each unique (%catch_up finds a cell by it)"
                    )
                comments[first] = index
            for name in _assigned(tree):
                if nbtools.LIVE_CODE in tags:
                    binder[name] = index
                else:
                    binder.pop(name, None)
        for at, names in sorted(missing.items()):
            readers = sorted(
                {cell for cells in names.values() for cell in cells}
            )
            problems.append(
                f"{rel}: the comment of live-code cell {at} does not name {', '.join(sorted(names))}, "
                f"which cell{'s' if len(readers) > 1 else ''} {', '.join(map(str, readers))} read: end it "
                f"with '→ {', '.join(sorted(names))}'"
            )
    return problems


def check_practice(root: Path) -> list[str]:
    """Every challenge and quick check of an episode also appears in its notebook, where it
    practises, as a practice cell current with the page, in the page's order
    (tools/practice.py)."""
    from tools import practice

    return practice.problems(root)


def check_seed_record(root: Path) -> list[str]:
    """The seed sweep's record (`make seeds`) covers every notebook at its current code, and
    every claim held at every seed of the sweep (tools/seeds.py)."""
    from tools import seeds

    return seeds.problems(root)


#: Checks of the sources: `make check` runs them on every edit.
FAST_CHECKS = (
    check_episodes,
    check_toc,
    check_alt_text,
    check_notebooks,
    check_environment_files,
    check_wheels,
    check_data,
    check_template,
    check_timing,
    check_cell_tags,
    check_type_along,
    check_strands,
    check_practice,
    check_variants,
)
#: Checks of recorded measurements (the seed sweep, the benchmarks): `make records` runs them,
#: in `make test`; editing a notebook makes them fail until `make seeds` / `make benchmark`.
RECORDED_CHECKS = (check_seed_record, check_notebook_times, check_colab_times)
SOURCE_CHECKS = FAST_CHECKS + RECORDED_CHECKS


def main(argv: list[str]) -> int:
    """``python -m tools.lesson_checks [ROOT] [--fast | --only check_a,check_b]``"""
    only = None
    if "--fast" in argv:
        argv = [a for a in argv if a != "--fast"]
        only = {check.__name__ for check in FAST_CHECKS}
    if "--only" in argv:
        at = argv.index("--only")
        only, argv = set(argv[at + 1].split(",")), argv[:at] + argv[at + 2 :]
    root = Path(argv[0]).resolve() if argv else config.ROOT
    checks = [c for c in SOURCE_CHECKS if only is None or c.__name__ in only]
    problems = []
    for check in checks:
        problems.extend(check(root))
    html = root / "_build" / "html"
    if only is None and html.is_dir():
        problems += check_built_site(root, html)
    print(
        "\n".join(problems)
        or f"{'These' if only else 'All'} {len(checks)} lesson checks pass."
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
