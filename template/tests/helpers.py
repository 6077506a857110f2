"""Small helpers the tests share."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from mlproject.cli import main

PROJECT = Path(__file__).resolve().parents[1]  # the project's folder (with config.toml)


def cli(*args) -> int:
    """Run the command line in this process, as `python -m mlproject ARGS` would; return
    its exit status."""
    return main([str(a) for a in args])


def results(folder: Path) -> dict:
    return json.loads((folder / "results.json").read_text(encoding="utf-8"))


def edit(path: Path, old: str, new: str) -> None:
    """Replace text in a file. Fails if the text is not there: a test that changes nothing
    would pass for the wrong reason."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def renew(project: Path, csv: Path | None = None) -> None:
    """What a person does after a deliberate change to a raw file: record its checksum, then
    prepare the processed data again."""
    assert cli("checksum", csv or project / "data" / "raw" / "iris.csv") == 0
    assert cli("prepare", "--config", project / "config.toml") == 0


def change_data(project: Path, row: int, column: str, value: str, record: bool = True) -> None:
    """Write `value` into one cell of the raw CSV file, as text, exactly as a person might type
    it; with record=True, record its checksum and prepare the data again."""
    csv = project / "data" / "raw" / "iris.csv"
    table = pd.read_csv(csv, dtype=str, keep_default_na=False)
    table.loc[row, column] = value
    table.to_csv(csv, index=False)
    if record:
        renew(project)
