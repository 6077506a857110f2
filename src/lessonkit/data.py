"""Find, verify and load the lesson's data files.

The loader looks for a file in a small, fixed list of folders, checks its SHA-256 checksum
against the value recorded here, and explains what to do when something is wrong:

* the file is missing                    -> :class:`DataFileMissingError`
* the file's checksum does not match     -> :class:`ChecksumMismatchError`
* the notebook runs in the wrong folder  -> :class:`WrongWorkingDirectoryError`

Two environment variables change where it looks:

``LESSON_DATA_DIR``
    a folder that holds the data files (searched first, and alone when set);
``LESSON_DATA_URL``
    a base URL to download missing files from (the first cell of every notebook sets it
    in Google Colab, where only the notebook itself is present). Downloads are verified too.
"""

from __future__ import annotations

import hashlib
import os
import urllib.error
import urllib.request
from pathlib import Path

import pandas as pd

#: The expected SHA-256 of every data file the lesson ships. ``data/SHA256SUMS`` holds the same
#: values in ``sha256sum`` format (a test checks that the two agree).
CHECKSUMS: dict[str, str] = {
    "penguins.csv": "f204db2c753b0937caac3cb35258562c14f073e4bbc76be24b4c51ce22767a93",
}

#: The manifest file that marks a folder as the lesson's data folder.
MANIFEST = "SHA256SUMS"

_GET_IT = (
    "To get it back: in a clone of the lesson, run `git checkout -- data/{name}`; "
    "or download the lesson again (see the Setup page)."
)


class LessonDataError(RuntimeError):
    """Base class: something is wrong with the lesson's data files."""


class DataFileMissingError(LessonDataError, FileNotFoundError):
    """The data file is not in any of the folders searched."""


class ChecksumMismatchError(LessonDataError):
    """The file exists but its contents differ from the published file."""


class WrongWorkingDirectoryError(LessonDataError, FileNotFoundError):
    """The code runs from a folder where the lesson's data folder cannot be found."""


def sha256(path: str | os.PathLike) -> str:
    """Return the hexadecimal SHA-256 digest of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _candidate_dirs(cwd: Path) -> list[Path]:
    explicit = os.environ.get("LESSON_DATA_DIR")
    if explicit:
        return [Path(explicit).expanduser()]
    # Notebooks run from notebooks/, scripts and tests from the lesson's top folder.
    return [cwd / "data", cwd.parent / "data"]


def _verify(
    path: Path, name: str, *, downloaded_from: str | None = None
) -> Path:
    expected = CHECKSUMS[name]
    actual = sha256(path)
    if actual != expected:
        origin = (
            f"downloaded from {downloaded_from}"
            if downloaded_from
            else f"at {path}"
        )
        raise ChecksumMismatchError(
            f"The file {origin} does not match the lesson's published copy of {name!r}.\n"
            f"  expected SHA-256: {expected}\n"
            f"  actual SHA-256:   {actual}\n"
            "It was changed or corrupted (an edit, a save from a spreadsheet program, an "
            "incomplete download). Results computed from it would not be comparable with the "
            "lesson's. " + _GET_IT.format(name=name)
        )
    return path


def _download(name: str, base_url: str, target_dir: Path) -> Path:
    url = base_url.rstrip("/") + "/" + name
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / name
    partial = target.with_suffix(target.suffix + ".part")
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (http/https only)
            partial.write_bytes(response.read())
    except (urllib.error.URLError, OSError, ValueError) as exc:
        partial.unlink(missing_ok=True)
        raise DataFileMissingError(
            f"Could not download {name!r} from {url}: {exc}.\n"
            "Check that this machine is online and that the address opens in a browser. "
            f"Or upload {name} yourself into {target_dir} (get it from the lesson's data/ "
            "folder) and run the cell again."
        ) from exc
    try:
        _verify(partial, name, downloaded_from=url)
    except ChecksumMismatchError:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(target)
    return target


def data_path(name: str, *, cwd: str | os.PathLike | None = None) -> Path:
    """Return the verified path of one of the lesson's data files.

    Raises a :class:`LessonDataError` subclass with an actionable message when the file is
    missing, has been changed, or cannot be found from the current working directory.
    """
    if name not in CHECKSUMS:
        raise KeyError(
            f"{name!r} is not one of the lesson's data files: {sorted(CHECKSUMS)}"
        )
    here = Path(cwd) if cwd is not None else Path.cwd()
    candidates = _candidate_dirs(here)
    for folder in candidates:
        if (folder / name).is_file():
            return _verify(folder / name, name)

    base_url = os.environ.get("LESSON_DATA_URL")
    if base_url:
        return _download(name, base_url, here / "data")

    searched = "\n".join(f"  - {folder.resolve()}" for folder in candidates)
    if os.environ.get("LESSON_DATA_DIR") or any(
        (d / MANIFEST).is_file() for d in candidates
    ):
        raise DataFileMissingError(
            f"The lesson's data file {name!r} is missing. Folders searched:\n{searched}\n"
            + _GET_IT.format(name=name)
        )
    raise WrongWorkingDirectoryError(
        f"Cannot find the lesson's data folder from the working directory {here.resolve()}.\n"
        f"Folders searched:\n{searched}\n"
        "The notebooks expect to run from the lesson's notebooks/ folder (next to data/). "
        "Open the notebook from there, or in Python run "
        "`os.chdir('/path/to/the/lesson/notebooks')`, or set the environment variable "
        "LESSON_DATA_DIR to the lesson's data folder."
    )


def load_penguins(*, cwd: str | os.PathLike | None = None) -> pd.DataFrame:
    """Load the Palmer penguins table (344 rows) after checking its checksum.

    Columns: species, island, bill_length_mm, bill_depth_mm, flipper_length_mm, body_mass_g,
    sex, year. Missing measurements are ``NaN``.
    """
    return pd.read_csv(data_path("penguins.csv", cwd=cwd))
