"""The notebooks work the ways learners open them, and give the same outputs everywhere.

* **Standalone** (as in Colab, where only the .ipynb is present): each notebook is copied alone
  into an empty folder and must pass nbval there, fetching its data over HTTP from a server on
  loopback (``LESSON_DATA_URL``) and verifying the checksum; a notebook that needs more of the
  lesson (the capstone's template) clones it from ``LESSON_REPOSITORY``, here this repository.
* **No data source**: the error a learner sees says what went wrong and what to do.
* **Determinism**: nbval passes with different thread counts, hash seeds and CI markers. The
  standalone run uses one thread, ``PYTHONHASHSEED=0`` and no CI variables (as on a laptop);
  the run on the newest supported Python (tests/test_pythons.py) uses two threads, another
  hash seed and ``CI=true`` (tools such as pytest and Hypothesis change their reports on CI
  servers); the runs on the other Pythons are a third.

The standalone runs start together (one per core at a time) when the first test of this module
needs one; each test then waits for its own.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
from conftest import clean_env
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
SANITIZE = ROOT / "tests" / "nbval_sanitize.cfg"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output clean
        pass


@pytest.fixture(scope="module")
def data_server():
    """Serve the lesson's data/ folder on 127.0.0.1 (a stand-in for the published repository)."""
    handler = functools.partial(_QuietHandler, directory=str(ROOT / "data"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()





def _nbval(notebook: Path, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run nbval (full mode: stored outputs compared) on one notebook in a fresh process."""
    cmd = [
        sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(cwd),
        "--nbval", "--nbval-current-env", "--nbval-sanitize-with", str(SANITIZE), str(notebook),
    ]  # fmt: skip
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def _report(result: subprocess.CompletedProcess) -> str:
    return (result.stdout + result.stderr)[-6000:]


@pytest.fixture(scope="module")
def runs(tmp_path_factory, data_server):
    """Start every notebook run of this module at once, as many at a time as there are cores.

    Returns {(kind, notebook name): (folder, future of the finished process)}.
    """
    # The published repository is played by this one: data over HTTP, and a clone (for the
    # notebooks that need more than data, such as the capstone's template) from its git history.
    alone = clean_env(LESSON_DATA_URL=data_server, LESSON_REPOSITORY=ROOT.as_uri(), OMP_NUM_THREADS="1", PYTHONHASHSEED="0")
    pool = ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2))
    jobs = {}
    for notebook in NOTEBOOKS:
        folder = tmp_path_factory.mktemp(f"alone-{notebook.stem}")
        shutil.copy(notebook, folder / notebook.name)
        jobs["alone", notebook.name] = (folder, pool.submit(_nbval, folder / notebook.name, folder, alone))
    yield jobs
    pool.shutdown(wait=True)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_alone_with_downloaded_data(notebook, runs):
    folder, future = runs["alone", notebook.name]
    result = future.result()
    assert result.returncode == 0, _report(result)
    # Data was fetched into the notebook's folder, and only what the lesson publishes.
    fetched = sorted(p.name for p in (folder / "data").glob("*")) if (folder / "data").exists() else []
    assert set(fetched) <= {p.name for p in (ROOT / "data").glob("*")}


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run_alone(tmp_path: Path, monkeypatch, **env: str) -> str:
    """Execute the first notebook alone in an empty folder; return the error it stops with."""
    for key in ("LESSON_DATA_URL", "LESSON_DATA_DIR"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    nb = nbformat.read(NOTEBOOKS[0], as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}})  # fmt: skip
    with pytest.raises(CellExecutionError) as info:
        client.execute()
    return str(info.value)


def test_unreachable_data_source_gives_a_clear_error(tmp_path, monkeypatch):
    url = f"http://127.0.0.1:{_closed_port()}/data"
    message = _run_alone(tmp_path, monkeypatch, LESSON_DATA_URL=url)
    assert "DataFileMissingError" in message
    assert f"Could not download 'penguins.csv' from {url}/penguins.csv" in message
    assert "Check that this machine is online" in message
    assert not (tmp_path / "data" / "penguins.csv").exists()


def test_no_data_source_says_where_to_run_from(tmp_path, monkeypatch):
    message = _run_alone(tmp_path, monkeypatch)
    assert "WrongWorkingDirectoryError" in message
    assert "notebooks/ folder" in message and "LESSON_DATA_DIR" in message
