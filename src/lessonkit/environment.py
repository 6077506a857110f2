"""Record the software and hardware a result was computed with."""

from __future__ import annotations

import os
import platform
import re
import sys
from importlib import metadata
from pathlib import Path

_REQUIREMENT = re.compile(
    r"^\s*([A-Za-z0-9_.\-]+)\s*==\s*([^\s;]+)\s*(?:;\s*extra\s*==\s*['\"]([\w-]+)['\"])?\s*$"
)


def _requirements() -> list[str]:
    """lessonkit's requirements as installed; from pyproject.toml beside the source when
    lessonkit runs from a checkout without being installed."""
    try:
        return metadata.requires("lessonkit") or []
    except metadata.PackageNotFoundError:
        import tomllib

        pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
        project = tomllib.loads(pyproject.read_text(encoding="utf-8"))[
            "project"
        ]
        lines = list(project.get("dependencies", []))
        for name, extra in project.get("optional-dependencies", {}).items():
            lines += [
                f'{requirement} ; extra == "{name}"' for requirement in extra
            ]
        return lines


def lesson_pins(
    extra: str | None = None, requirements: list[str] | None = None
) -> dict[str, str]:
    """The lesson's exact versions, from lessonkit's own metadata (pyproject.toml's
    ``dependencies``, the one list of what the notebooks import), e.g. ``{"numpy": "2.4.6",
    ...}``; with ``extra``, those of one optional extra ("colab", "deep-learning")."""
    found = {}
    for line in _requirements() if requirements is None else requirements:
        match = _REQUIREMENT.match(line)
        if match and match.group(3) == extra:
            found[match.group(1).lower()] = match.group(2)
    return found


def installed_version(package: str) -> str | None:
    """Return the installed version of a distribution, or None when it is not installed."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def blas_report() -> list[str]:
    """Describe the linear-algebra libraries (BLAS/OpenMP) numpy and scikit-learn will use."""
    try:
        from threadpoolctl import threadpool_info
    except (
        ImportError
    ):  # pragma: no cover - threadpoolctl ships with scikit-learn
        return ["threadpoolctl not installed"]
    lines = []
    for pool in threadpool_info():
        api = pool.get("internal_api", pool.get("user_api", "?"))
        detail = pool.get("architecture") or ""
        lines.append(
            f"{api} {pool.get('version', '?')} {detail} threads={pool['num_threads']}"
        )
    return sorted(set(lines))


def environment_report(
    packages: tuple[str, ...] | None = None,
) -> dict[str, str]:
    """Return a flat dictionary describing this machine and the versions of ``packages``
    (default: the lesson's packages).

    Paste it into a lab notebook, a paper's appendix or a results file.
    """
    report = {
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "os": f"{platform.system()} {platform.release()}",
        "machine": platform.machine(),
        "cpu_count": str(os.cpu_count()),
        "blas": "; ".join(blas_report()),
    }
    for package in lesson_pins() if packages is None else packages:
        report[package] = installed_version(package) or "not installed"
    return report


class LessonEnvironmentError(RuntimeError):
    """The Jupyter kernel's environment cannot run the lesson as it is."""


#: Used only when lessonkit's own metadata cannot be read; pyproject.toml is the source.
_FALLBACK_REQUIRES_PYTHON = ">=3.11,<3.14"


def supported_pythons() -> list[str]:
    """The Python versions the lesson supports, e.g. ``['3.11', '3.12', '3.13']``.

    Read from lessonkit's ``Requires-Python`` (pyproject.toml's ``requires-python``), which
    must have the form ``>=3.X,<3.Y``.
    """
    try:
        spec = (
            metadata.metadata("lessonkit").get("Requires-Python")
            or _FALLBACK_REQUIRES_PYTHON
        )
    except metadata.PackageNotFoundError:
        spec = _FALLBACK_REQUIRES_PYTHON
    bounds = dict(part.strip().split("3.", 1) for part in spec.split(","))
    low, high = int(bounds[">="]), int(bounds["<"])
    return [f"3.{minor}" for minor in range(low, high)]


def python_problem(version_info: tuple[int, ...] | None = None) -> str | None:
    """One line saying that this Python is not supported, or None when it is."""
    major, minor = (version_info or sys.version_info)[:2]
    versions = supported_pythons()
    if f"{major}.{minor}" in versions:
        return None
    return (
        f"Python {major}.{minor} is not supported: the lesson supports Python "
        f"{', '.join(versions[:-1])} and {versions[-1]}. Create the lesson's environment with one "
        f"of them (Setup page), for example `python{versions[-1]} -m venv .venv`."
    )


def _import_name(package: str) -> str:
    return {"scikit-learn": "sklearn"}.get(package, package.replace("-", "_"))


def _major_minor(version: str) -> tuple[int, ...]:
    parts = []
    for piece in version.split(".")[:2]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)


def check_environment(pinned: dict[str, str]) -> None:
    """Check the kernel's packages against the lesson's pins before anything runs.

    Raises :class:`LessonEnvironmentError` with the fix when the Python version is not one the
    lesson supports, or when a package is missing, is older
    (by major.minor version) than the lesson's pin, or was upgraded after it was imported (a
    restart is needed). Prints one note when versions merely differ (a local label such as
    PyTorch's "+cpu" names a build of the same release, not another version). In the lesson's pinned
    environment it prints nothing and returns None.
    """
    problems, notes = [], []
    if python_problem():
        problems.append(python_problem())
    for package, wanted in pinned.items():
        have = installed_version(package)
        if have is None:
            problems.append(
                f"{package} is not installed for this kernel ({sys.executable}). Install the "
                "lesson's environment as the Setup page shows, then choose its kernel."
            )
            continue
        if _major_minor(have) < _major_minor(wanted):
            problems.append(
                f"{package} {have} is older than this lesson supports ({wanted}); "
                f"run `pip install {package}=={wanted}` (or install the lesson's environment) "
                "and restart the kernel."
            )
            continue
        module = sys.modules.get(_import_name(package))
        loaded = getattr(module, "__version__", None) if module else None
        if loaded is not None and loaded != have:
            problems.append(
                f"{package} {have} was installed after version {loaded} had been imported: "
                "restart the kernel (in Colab: Runtime > Restart session) and run the notebook "
                "again from the top."
            )
        elif (
            have.split("+")[0] != wanted
        ):  # "+cpu", "+cu126": another build of the same release
            notes.append(f"{package} {have} (lesson: {wanted})")
    if problems:
        raise LessonEnvironmentError(
            "\n".join(["This environment cannot run the lesson:", *problems])
        )
    if notes:
        print(
            "Note: some versions differ from the lesson's, so numbers may differ slightly from "
            "the ones on the lesson's pages: " + ", ".join(notes)
        )
