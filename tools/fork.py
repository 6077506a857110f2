"""Point the lesson at another repository (your fork), in one step.

    python -m tools.fork https://github.com/YOU/easy-wins [--branch main]
    make fork REPO=https://github.com/YOU/easy-wins [BRANCH=main]

The lesson's address lives in one place, ``repository`` in ``_config.yml``. Everything that
learners follow is derived from it: the Binder and Colab links of every episode (built from the
config), the notebooks' set-up cell (which installs lessonkit from that repository in Colab and
downloads the data from it; the capstone clones the template from it), and the addresses in the
learners' pages (the Setup page's clone command, links to the template). This command writes the
new address into ``_config.yml``, regenerates the set-up cells (without executing anything) and
replaces the old address in the pages. ``CITATION.cff`` keeps the original address on purpose:
it says where the lesson comes from. Commit the result and push it to the new repository.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: Files that keep the original address: the citation says where the lesson comes from.
KEEP = {"CITATION.cff", "uv.lock"}
#: Files whose address the command rewrites (after _config.yml and the set-up cells).
TEXT = (".md", ".yml", ".yaml", ".txt", ".toml", ".cfg", ".py")


def _tracked(root: Path) -> list[Path]:
    out = subprocess.run(
        ["git", "ls-files"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [root / line for line in out.splitlines() if line]


def set_repository(config: Path, url: str, branch: str) -> tuple[str, str]:
    """Write url and branch into _config.yml's ``repository`` block; return the old pair."""
    text = config.read_text(encoding="utf-8")
    block = re.search(r"^repository:\n((?:[ \t]+.*\n)+)", text, re.M)
    if block is None:
        raise SystemExit(f"{config}: no 'repository:' block found.")
    body = block.group(1)
    old_url = re.search(r"^\s+url:\s*(\S+)", body, re.M).group(1)
    old_branch = re.search(r"^\s+branch:\s*(\S+)", body, re.M).group(1)
    body = re.sub(r"^(\s+url:\s*)\S+", rf"\g<1>{url}", body, flags=re.M)
    body = re.sub(r"^(\s+branch:\s*)\S+", rf"\g<1>{branch}", body, flags=re.M)
    config.write_text(
        text[: block.start(1)] + body + text[block.end(1) :], encoding="utf-8"
    )
    return old_url.rstrip("/"), old_branch


def fork(url: str, branch: str) -> list[Path]:
    """Move every address to ``url`` (branch ``branch``); return the files changed."""
    root = ROOT
    url = url.rstrip("/").removesuffix(".git")
    if not re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", url):
        raise SystemExit(
            f"{url!r}: give the repository's GitHub address, e.g. https://github.com/you/easy-wins "
            "(Binder and Colab links and the data download are built for GitHub)."
        )
    old_url, old_branch = set_repository(root / "_config.yml", url, branch)
    changed = [root / "_config.yml"]
    from tools import notebooks

    paths = notebooks.notebook_paths([])
    notebooks.write_setup_cells(paths)
    changed += paths
    for path in _tracked(root):
        if (
            path.name in KEEP
            or path.suffix not in TEXT
            or path == root / "_config.yml"
            or not path.is_file()
        ):
            continue
        text = path.read_text(encoding="utf-8")
        new = re.sub(
            rf"{re.escape(old_url)}/(tree|blob|raw)/{re.escape(old_branch)}/",
            rf"{url}/\1/{branch}/",
            text,
        )
        new = new.replace(old_url, url)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "url",
        help="the new repository's address, https://github.com/OWNER/NAME",
    )
    parser.add_argument(
        "--branch",
        default="main",
        help="the branch learners use (default: main)",
    )
    args = parser.parse_args(argv)
    for path in fork(args.url, args.branch):
        print(f"updated {path.relative_to(ROOT)}")
    print(
        "Now commit, push to the new repository, and rebuild the site (make site)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
