"""Lock the lesson's environment and export it for pip, conda and Binder.

    python tools/lock.py            # uv lock, then write the exports
    python tools/lock.py --check    # exit 1 when uv.lock or an export is out of date

One source of versions: the dependency groups in pyproject.toml. ``uv lock`` resolves them
into ``uv.lock`` for every platform and supported Python at once, with a hash for every file.
From it this writes three hashed requirements files, one per kind of user:

* ``requirements.txt``: learners (the notebooks' packages and JupyterLab);
* ``requirements-authors.txt``: authors and CI (also the site build and the tests);
* ``binder/requirements.txt``: Binder, which brings its own notebook server.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXPORTS = {
    "requirements.txt": "learners",
    "requirements-authors.txt": "authors",
    "binder/requirements.txt": "notebooks",
}


def uv() -> str:
    """The uv beside this Python (the authors' environment pins it), else the one on PATH."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import pythons

    return pythons.uv() or "uv"


def export(group: str, root: Path = ROOT) -> str:
    """The hashed requirements text for one dependency group, from uv.lock alone."""
    cmd = [uv(), "export", "--frozen", "--no-emit-project", "--no-default-groups", "--group", group,
           "--format", "requirements-txt", "--quiet", "--no-header"]  # fmt: skip
    body = subprocess.run(cmd, cwd=root, check=True, capture_output=True, text=True).stdout
    header = (
        f"# The lesson's '{group}' packages for Linux, macOS (Apple silicon) and Windows, every\n"
        "# supported Python, each with its hashes. Generated from uv.lock by `make lock`\n"
        "# (tools/lock.py); do not edit: change pyproject.toml and run `make lock`.\n"
    )
    return header + body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only check that everything is current")
    args = parser.parse_args(argv)
    if args.check:
        stale = subprocess.run([uv(), "lock", "--check", "--offline", "--quiet"], cwd=ROOT).returncode != 0
        if stale:
            print("uv.lock does not match pyproject.toml: run `make lock`.")
        for name, group in EXPORTS.items():
            if (ROOT / name).read_text(encoding="utf-8") != export(group):
                print(f"{name} is not the current export of uv.lock: run `make lock`.")
                stale = True
        return int(stale)
    subprocess.run([uv(), "lock"], cwd=ROOT, check=True)
    for name, group in EXPORTS.items():
        (ROOT / name).write_text(export(group), encoding="utf-8")
        print(f"wrote {name} ({group})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
