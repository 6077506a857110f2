"""Build the site strictly: the one build command used by `make site`, the tests and CI.

    python -m tools.build [--output DIR] [--incremental]

Warnings are errors (-W, collected with --keep-going) and every cross-reference must resolve
(-n). Notebooks are not executed: each is rendered from the outputs stored in it (see
_config.yml), so a number the prose quotes ({glue:text}) that the stored outputs lack fails
the build, and so does text on stderr. `make refresh` stores the outputs; nbval in `make test`
checks that they are what the code gives.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def command(
    output: Path | None = None,
    incremental: bool = False,
    root: Path = ROOT,
    quiet: bool = False,
) -> list[str]:
    cmd = [
        sys.executable,
        "-c",
        "from jupyter_book.cli.main import main; main()",
        "build",
        str(root),
        "--warningiserror",
        "--nitpick",
        "--keep-going",
        "--builder",
        "html",
    ]
    if not incremental:
        # Re-read every page: Sphinx reports a page's warnings only when it reads the page, so
        # an incremental build can pass with warnings left in unchanged pages.
        cmd.append("--all")
    if output is not None:
        cmd += ["--path-output", str(output)]
    if quiet:
        cmd.append("--quiet")
    return cmd


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        help="folder for _build (default: .)",
    )
    parser.add_argument(
        "--incremental",
        action="store_true",
        help="re-read only changed pages (quick while writing; not strict)",
    )
    parser.add_argument(
        "--quiet", action="store_true", help="print warnings and errors only"
    )
    args = parser.parse_args(argv)
    return subprocess.run(
        command(args.output, args.incremental, quiet=args.quiet), cwd=ROOT
    ).returncode


if __name__ == "__main__":
    sys.exit(main())
