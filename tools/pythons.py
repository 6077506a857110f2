"""Which Pythons the lesson supports, where to find them, and the environments built on them.

    python3 tools/pythons.py check            # is *this* Python supported? (one line if not)
    python -m tools.pythons list              # the supported versions, e.g. "3.11 3.12 3.13"
    python -m tools.pythons find 3.12         # a Python 3.12, fetched with uv if need be
    python -m tools.pythons extra deep-learning   # build .venv-deep-learning, print its path
    python -m tools.pythons nbval-others -- PYTEST-ARGS   # pytest on every other Python

The supported versions come from one place: ``requires-python`` in pyproject.toml. The
``check`` command runs on any Python 3 before anything is installed (the Makefile calls it
first), so this file uses only the standard library.

``nbval-others`` runs pytest with the given arguments (the Makefile passes nbval's) once per
supported Python other than this one, each in ``.venv-pyX.Y``, synced by uv from uv.lock
exactly. The newest Python runs with two BLAS/OpenMP threads, another hash seed and the
variables of a CI server, the others as on a learner's laptop: outputs must depend on none of
them. A Python that cannot be found or fetched fails with the command that installs it.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def supported(root: Path = ROOT) -> list[str]:
    """The minor versions that requires-python admits, e.g. ['3.11', '3.12', '3.13']."""
    text = (root / "pyproject.toml").read_text(encoding="utf-8")
    match = re.search(
        r'^requires-python\s*=\s*">=3\.(\d+)\s*,\s*<3\.(\d+)"', text, re.M
    )
    if not match:
        raise SystemExit(
            'pyproject.toml: requires-python must read ">=3.X,<3.Y"'
        )
    low, high = int(match.group(1)), int(match.group(2))
    return [f"3.{minor}" for minor in range(low, high)]


def spoken(versions: list[str]) -> str:
    return (
        ", ".join(versions[:-1]) + " and " + versions[-1]
        if len(versions) > 1
        else versions[0]
    )


def check(python_name: str = "python3") -> int:
    here = f"{sys.version_info[0]}.{sys.version_info[1]}"
    versions = supported()
    if here in versions:
        return 0
    newest = versions[-1]
    print(
        f"Python {here} ({python_name}) is not supported: the lesson supports Python "
        f"{spoken(versions)}. Install one (python.org, your package manager, or "
        f"`uv python install {newest}`), then run for example `make PYTHON=python{newest} site`.",
        file=sys.stderr,
    )
    return 1


def _version_of(python: str) -> str | None:
    try:
        out = subprocess.run(
            [
                python,
                "-c",
                "import sys; print('%d.%d' % sys.version_info[:2])",
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def uv() -> str | None:
    beside = Path(sys.executable).with_name("uv")
    return str(beside) if beside.is_file() else shutil.which("uv")


def candidates(version: str) -> list[str]:
    """Places a Python X.Y may be: PATH, pyenv's versions, then what uv can find."""
    found = []
    on_path = shutil.which(f"python{version}")
    if on_path:
        found.append(on_path)
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    found += [
        str(p)
        for p in sorted(
            (pyenv_root / "versions").glob(f"{version}.*/bin/python{version}"),
            reverse=True,
        )
    ]
    uv_path = uv()
    if uv_path:
        out = subprocess.run(
            [uv_path, "python", "find", "--no-project", version],
            capture_output=True,
            text=True,
        )
        if out.returncode == 0 and out.stdout.strip():
            found.append(out.stdout.strip())
    return found


def find(version: str) -> str:
    """Return a working interpreter for ``version``; fetch one with uv, or stop with the fix."""
    if version not in supported():
        raise SystemExit(
            f"Python {version} is not one of the supported versions: {spoken(supported())}."
        )
    for python in candidates(version):
        if _version_of(python) == version:
            return python
    uv_path = uv()
    if (
        uv_path
    ):  # uv downloads a standalone Python where the machine may reach its host
        fetched = subprocess.run(
            [uv_path, "python", "install", version],
            capture_output=True,
            text=True,
        )
        if fetched.returncode == 0:
            for python in candidates(version):
                if _version_of(python) == version:
                    return python
    raise SystemExit(
        f"Python {version} was not found (looked on PATH for python{version}, in pyenv's versions "
        f"and with `uv python find`) and could not be fetched with `uv python install {version}`. "
        f"The test suite runs the notebooks on every supported Python ({spoken(supported())}): "
        f"install Python {version} (python.org, your package manager, `pyenv install {version}` or "
        f"`uv python install {version}`) and run `make test` again."
    )


def extra_environment(
    name: str, root: Path = ROOT, python: str | None = None
) -> Path:
    """``.venv-NAME``: the notebooks' environment synced from uv.lock (as on the other Pythons),
    then ``pip install -r requirements-NAME.txt`` as the Setup page tells learners. Built with
    ``python`` (default: this one); reused while uv.lock, the extra's file and the Python are
    unchanged. Returns the environment's folder."""
    venv = root / f".venv-{name}"
    if Path(sys.prefix).resolve() == venv.resolve():  # called from inside it
        return venv
    with _locked(
        root / f".venv-{name}.lock"
    ):  # one builder at a time (parallel test workers)
        return _extra_environment(venv, name, root, python)


class _locked:
    """An exclusive lock on a file, held while the ``with`` block runs (POSIX; elsewhere none)."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self):
        self.handle = self.path.open("w")
        try:
            import fcntl

            fcntl.flock(self.handle, fcntl.LOCK_EX)
        except (
            ImportError
        ):  # Windows: the tests run one environment build at a time anyway
            pass
        return self

    def __exit__(self, *exc):
        self.handle.close()


def _extra_environment(
    venv: Path, name: str, root: Path, python: str | None
) -> Path:
    extra = root / f"requirements-{name}.txt"
    python = python or getattr(sys, "_base_executable", sys.executable)
    digest = hashlib.sha256()
    for path in (root / "uv.lock", extra):
        digest.update(path.read_bytes())
    digest.update(f"Python {_version_of(python)}".encode())
    stamp = venv / ".lesson-inputs"
    if (
        stamp.is_file()
        and stamp.read_text(encoding="utf-8") == digest.hexdigest()
    ):
        return venv
    shutil.rmtree(venv, ignore_errors=True)
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("VIRTUAL_ENV", "PYTHONPATH")
    }
    env.update(UV_PROJECT_ENVIRONMENT=str(venv), UV_PYTHON_DOWNLOADS="never")
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    steps = [
        [
            python,
            "-m",
            "venv",
            str(venv),
        ],  # with pip: pip reads this machine's pip settings
        [
            uv() or "uv",
            "sync",
            "--frozen",
            "--inexact",
            "--quiet",
            "--no-default-groups",
            "--group",
            "notebooks",
            "--group",
            "test",
            "--python",
            str(bin_dir / "python"),
        ],
        # One retry, not five: a machine that cannot reach PyTorch's CPU index (an index that
        # only adds the CPU build) then loses seconds, not minutes, asking it for each package.
        [
            str(bin_dir / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--retries",
            "1",
            "-r",
            str(extra),
        ],
    ]
    for step in steps:
        done = subprocess.run(
            step,
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=1800,
        )
        if done.returncode != 0:
            raise SystemExit(
                f"Building {venv.name} failed at `{' '.join(step[:4])} ...`:\n{done.stderr[-3000:]}"
            )
    stamp.write_text(digest.hexdigest(), encoding="utf-8")
    return venv


#: Variables by which tools detect a CI server (tools/config.py has the same list; this file
#: imports nothing of the lesson's, as the Makefile runs it before anything is installed).
def _ci_variables() -> tuple[str, ...]:
    from tools.config import CI_VARIABLES

    return CI_VARIABLES


def learner_env(**extra: str) -> dict[str, str]:
    """This process's environment without the lesson's own variables (LESSON_*), an active
    virtual environment or CI markers, plus ``extra``: what a learner's shell would have."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("LESSON_", "VIRTUAL_ENV"))
        and key not in _ci_variables()
    }
    env.update(extra)
    return env


def python_environment(version: str, root: Path = ROOT) -> Path:
    """``.venv-pyX.Y``: the notebooks' packages and the test tools for Python ``version``,
    synced by uv from uv.lock exactly (quick when current)."""
    python = find(version)
    venv = root / f".venv-py{version}"
    env = learner_env(
        UV_PROJECT_ENVIRONMENT=str(venv), UV_PYTHON_DOWNLOADS="never"
    )
    cmd = [
        uv() or "uv",
        "sync",
        "--frozen",
        "--quiet",
        "--python",
        python,
        "--no-default-groups",
        "--group",
        "notebooks",
        "--group",
        "test",
    ]
    done = subprocess.run(
        cmd, cwd=root, env=env, capture_output=True, text=True, timeout=1800
    )
    if done.returncode != 0:
        raise SystemExit(
            f"uv sync for Python {version} failed:\n{done.stderr[-4000:]}"
        )
    return venv


def nbval_others(pytest_args: list[str], root: Path = ROOT) -> int:
    """Run pytest with ``pytest_args`` on every supported Python but this one (see module)."""
    here = f"{sys.version_info[0]}.{sys.version_info[1]}"
    others = [version for version in supported(root) if version != here]
    if not others:
        raise SystemExit(
            "only one Python is supported: there is no other Python to compare with"
        )
    failed = []
    for version in others:
        venv = python_environment(version, root)
        if version == supported(root)[-1]:
            env = learner_env(
                OMP_NUM_THREADS="2",
                PYTHONHASHSEED="12345",
                CI="true",
                CIRCLECI="true",
            )
        else:
            env = learner_env()
        env.update(
            PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
            VIRTUAL_ENV=str(venv),
            LESSON_STRICT="1",
        )
        print(
            f"nbval on Python {version} ({venv.name}{', 2 threads, CI variables' if 'CI' in env else ''})",
            flush=True,
        )
        cmd = [
            str(venv / "bin" / "python"),
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            *pytest_args,
        ]
        if subprocess.run(cmd, cwd=root, env=env).returncode != 0:
            failed.append(version)
    if failed:
        print(f"nbval failed on Python {', '.join(failed)}")
    return 1 if failed else 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["nbval-others"]:
        return nbval_others([a for a in argv[1:] if a != "--"])
    if argv[:1] == ["check"]:
        return check(argv[1] if len(argv) > 1 else "python3")
    if argv[:1] == ["list"]:
        print(" ".join(supported()))
        return 0
    if argv[:1] == ["find"] and len(argv) == 2:
        print(find(argv[1]))
        return 0
    if argv[:1] == ["extra"] and len(argv) == 2:
        print(extra_environment(argv[1]))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
