"""A notebook opened where the lesson's data cannot be found says what went wrong and what to do.

(The runs of every notebook alone in an empty folder, fetching data over HTTP as in Colab, are
in tests/hosted/test_colab.py; the runs on every supported Python are `make pythons`.)
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from tools import emulate

ROOT = Path(__file__).resolve().parents[2]

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))


def _run_alone(tmp_path: Path, monkeypatch, **env: str) -> str:
    """Execute the first notebook alone in an empty folder; return the error it stops with."""
    for key in ("LESSON_DATA_URL", "LESSON_DATA_DIR"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    nb = nbformat.read(NOTEBOOKS[0], as_version=4)
    client = NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    with pytest.raises(CellExecutionError) as info:
        client.execute()
    return str(info.value)


def test_unreachable_data_source_gives_a_clear_error(tmp_path, monkeypatch):
    url = f"http://127.0.0.1:{emulate.free_port()}/data"
    message = _run_alone(tmp_path, monkeypatch, LESSON_DATA_URL=url)
    assert "DataFileMissingError" in message
    assert (
        f"Could not download 'penguins.csv' from {url}/penguins.csv" in message
    )
    assert "Check that this machine is online" in message
    assert not (tmp_path / "data" / "penguins.csv").exists()


def test_no_data_source_says_where_to_run_from(tmp_path, monkeypatch):
    message = _run_alone(tmp_path, monkeypatch)
    assert "WrongWorkingDirectoryError" in message
    assert "notebooks/ folder" in message and "LESSON_DATA_DIR" in message
