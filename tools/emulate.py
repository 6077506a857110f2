"""Emulations of the hosted services learners open the notebooks on: Google Colab and Binder.

    python -m tools.emulate colab [NOTEBOOK ...]   # time each notebook's Colab set-up cell
    python -m tools.emulate colab --record         # ... and store the times for the site
    python -m tools.emulate binder                 # build a Binder-like environment, run a notebook

**Colab** (tools/emulations/colab): Colab's Python (3.13) with Colab's versions of what the
lesson touches (``requirements.txt``, from Colab's published package list), and a stand-in
``google.colab`` that Colab's kernel imports at start (it imports numpy, as the real one does).
The base environment (``.venv-colab``) is built once and reused while its inputs are unchanged;
each notebook gets a fresh session: a hard-linked copy of it (so installing into it leaves the
base untouched), an empty folder holding only the notebook, and a kernel that starts the way
Colab's does. The lesson's packages come from the package index and lessonkit from
``LESSON_REPOSITORY`` (here this repository's committed state), the data over HTTP.

**Binder** (tools/emulations/binder): repo2docker's server environment for ``runtime.txt``'s
Python at repo2docker's versions, then ``binder/`` applied as repo2docker applies it
(``pip install -r binder/requirements.txt``, then ``binder/postBuild``) in a clone of this
repository's committed state. A Jupyter server started from it runs a notebook through its REST
and kernel (WebSocket) API, as a browser would.

tests/hosted/test_colab.py and tests/hosted/test_binder.py check the behaviour; `make benchmark` records the
Colab times that the site's execution statistics page shows.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import hashlib
import http.server
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tools import notebooks, pythons

ROOT = Path(__file__).resolve().parents[1]
EMULATIONS = ROOT / "tools" / "emulations"
COLAB = EMULATIONS / "colab"
BINDER = EMULATIONS / "binder"
# The notebooks the Colab emulation runs: all but those with an extra. Episode 09's PyTorch is
# preinstalled on Colab as PyTorch's own CPU or CUDA build, which this emulation cannot install
# (PyTorch's index is not reachable from CI; the package index's build brings several GB of
# CUDA libraries). tests/hosted/test_colab.py checks episode 09's set-up cell there without PyTorch.
NOTEBOOKS = notebooks.lesson_notebooks(ROOT, extras=False)
SANITIZE = ROOT / "tests" / "nbval_sanitize.cfg"
#: Where `--record` writes the Colab times: a table between two markers on this page.
RECORD = ROOT / notebooks.STATS_PAGE
MARKERS = (
    "<!-- colab-times: start (python -m tools.emulate colab --record writes this table) -->",
    "<!-- colab-times: end -->",
)
COLAB_PYTHON = "3.13"
KERNEL = "colab-emulation"


def _run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(c) for c in cmd], capture_output=True, text=True, **kwargs
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(map(str, cmd))} failed:\n{(result.stdout + result.stderr)[-4000:]}"
        )
    return result


def _digest(*paths: Path) -> str:
    digest = hashlib.sha256()
    for path in paths:
        for file in sorted(
            p
            for p in ([path] if path.is_file() else path.rglob("*"))
            if p.is_file()
        ):
            if "__pycache__" not in file.parts:
                digest.update(
                    file.relative_to(ROOT).as_posix().encode()
                    + file.read_bytes()
                )
    return digest.hexdigest()


def _venv(path: Path, python: str, requirements: Path) -> Path:
    """A fresh virtual environment holding exactly ``requirements`` (installed by uv)."""
    shutil.rmtree(path, ignore_errors=True)
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never"}
    env.pop("VIRTUAL_ENV", None)
    _run(
        [
            pythons.uv(),
            "venv",
            "--quiet",
            "--no-config",
            "--python",
            python,
            path,
        ],
        env=env,
    )
    _run(
        [
            pythons.uv(),
            "pip",
            "install",
            "--quiet",
            "--no-config",
            "--no-deps",
            "--python",
            path / "bin" / "python",
            "-r",
            requirements,
        ],
        env=env,
    )
    return path


def _site_packages(venv: Path) -> Path:
    return next((venv / "lib").glob("python3.*/site-packages"))


def git_branch() -> str:
    """The branch checked out here: what LESSON_REPOSITORY names (``URL@BRANCH``) when this
    repository plays the published one (pip and git clone need a branch, not a commit)."""
    branch = _run(
        ["git", "rev-parse", "--abbrev-ref", "HEAD"], cwd=ROOT
    ).stdout.strip()
    if branch == "HEAD":
        raise RuntimeError(
            "The emulations install lessonkit from this repository's current branch: check out a branch (not a detached commit)."
        )
    return branch


# --------------------------------------------------------------------------------------------
# Data over HTTP (the published repository's raw files, played by this repository's data/)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


@contextlib.contextmanager
def serve_data():
    """Serve data/ on 127.0.0.1; yields its base URL (what LESSON_DATA_URL names)."""
    handler = functools.partial(_QuietHandler, directory=str(ROOT / "data"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


# --------------------------------------------------------------------------------------------
# Colab


def colab_base() -> Path:
    """`.venv-colab`: Colab's Python and package versions plus the stand-in google.colab
    (built once, by one process at a time; reused while its inputs are unchanged)."""
    with pythons._locked(ROOT / ".venv-colab.lock"):
        return _colab_base()


def _colab_base() -> Path:
    venv = ROOT / ".venv-colab"
    stamp = _digest(COLAB)
    if (venv / "emulation.stamp").is_file() and (
        venv / "emulation.stamp"
    ).read_text() == stamp:
        return venv
    try:
        python = pythons.find(COLAB_PYTHON)
    except SystemExit as stop:
        raise RuntimeError(str(stop)) from None
    _venv(venv, python, COLAB / "requirements.txt")
    shutil.copytree(
        COLAB / "google",
        _site_packages(venv) / "google",
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    (venv / "emulation.stamp").write_text(stamp)
    return venv


@dataclass
class ColabSession:
    folder: (
        Path  # the notebook's folder (Colab's /content): the notebook alone
    )
    runtime: Path  # this session's copy of the base environment
    jupyter: Path  # JUPYTER_PATH holding the session's kernel spec

    @property
    def python(self) -> Path:
        return self.runtime / "bin" / "python"

    def freeze(self) -> str:
        return _run([self.python, "-m", "pip", "freeze", "--all"]).stdout


def colab_session(
    notebook: Path, workdir: Path, **kernel_env: str
) -> ColabSession:
    """A fresh Colab-like session for ``notebook``, under ``workdir`` (an empty folder).

    ``kernel_env`` (LESSON_REPOSITORY, LESSON_BRANCH, LESSON_DATA_URL, PIP_* ...) is what the
    kernel sees on top of this process's environment."""
    base = colab_base()
    folder, runtime, jupyter = (
        workdir / "content",
        workdir / "runtime",
        workdir / "jupyter",
    )
    folder.mkdir(parents=True)
    shutil.copy(notebook, folder / notebook.name)
    # Hard links: pip replaces files (new inodes) rather than writing into them, so the base
    # stays as it is while this session installs what it likes.
    shutil.copytree(base, runtime, symlinks=True, copy_function=os.link)
    ipython = workdir / "ipython"
    shutil.copytree(COLAB / "ipython", ipython)
    spec = jupyter / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [
                    str(runtime / "bin" / "python"),
                    "-m",
                    "ipykernel_launcher",
                    "-f",
                    "{connection_file}",
                ],
                "display_name": "Python 3 (Colab emulation)",
                "language": "python",
                "env": {"IPYTHONDIR": str(ipython), **kernel_env},
            },
            indent=1,
        )
    )
    return ColabSession(folder, runtime, jupyter)


@dataclass
class SetupRun:
    seconds: float  # the set-up cell's execution time
    error: (
        str | None
    )  # the error it stopped with (name: message), None when it passed
    text: str  # everything it printed


def run_setup_cell(session: ColabSession, notebook_name: str) -> SetupRun:
    """Start a kernel as Colab does (a new one: a restart) and run the notebook's set-up cell."""
    import nbformat
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    nb = nbformat.read(session.folder / notebook_name, as_version=4)
    nb.cells = [
        c
        for c in nb.cells
        if "lesson-setup" in c.get("metadata", {}).get("tags", [])
    ]
    specs = KernelSpecManager(kernel_dirs=[str(session.jupyter / "kernels")])
    manager = KernelManager(kernel_name=KERNEL, kernel_spec_manager=specs)
    client = NotebookClient(
        nb,
        km=manager,
        timeout=900,
        allow_errors=True,
        record_timing=True,
        resources={"metadata": {"path": str(session.folder)}},
    )
    try:
        client.execute()
    finally:  # a client given its kernel manager leaves the kernel running
        if manager.has_kernel:
            manager.shutdown_kernel(now=True)
    cell = nb.cells[0]
    seconds = notebooks.cell_seconds(cell)
    error, text = None, []
    for output in cell.outputs:
        if output.output_type == "error":
            error = f"{output.ename}: {output.evalue}"
            text.append("\n".join(output.traceback))
        elif output.output_type == "stream":
            text.append(output.text)
    return SetupRun(seconds, error, "\n".join(text))


def nbval_in_session(
    session: ColabSession, notebook_name: str, env: dict[str, str]
) -> subprocess.CompletedProcess:
    """nbval (stored outputs compared) on the notebook, in a new kernel of the session."""
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "--rootdir",
        str(session.folder),
        "--nbval",
        "--nbval-kernel-name",
        KERNEL,
        "--nbval-sanitize-with",
        str(SANITIZE),
        str(session.folder / notebook_name),
    ]
    env = {**env, "JUPYTER_PATH": str(session.jupyter)}
    return subprocess.run(
        cmd,
        cwd=session.folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def colab_sources(data_url: str) -> dict[str, str]:
    """Kernel variables that make this repository play the published one (the first cell
    installs lessonkit from ``git+LESSON_REPOSITORY``, i.e. ``URL@BRANCH``)."""
    return {
        "LESSON_REPOSITORY": f"{ROOT.as_uri()}@{git_branch()}",
        "LESSON_DATA_URL": data_url,
    }


def time_colab(notebooks: list[Path], cold_cache: bool = True) -> list[dict]:
    """For each notebook, in a fresh session (with an empty download cache, as a new Colab
    session has): the set-up cell before and after the restart it asks for."""
    rows = []
    with (
        serve_data() as data_url,
        tempfile.TemporaryDirectory(prefix="colab-") as tmp,
    ):
        for notebook in notebooks:
            workdir = Path(tmp) / notebook.stem
            cache = (
                {
                    "UV_CACHE_DIR": str(workdir / "uv-cache"),
                    "PIP_NO_CACHE_DIR": "1",
                }
                if cold_cache
                else {}
            )
            session = colab_session(
                notebook, workdir, **colab_sources(data_url), **cache
            )
            first = run_setup_cell(session, notebook.name)
            restarts, after = 0, first
            while (
                after.error
                and "Restart session" in after.error
                and restarts < 3
            ):
                restarts += 1
                after = run_setup_cell(session, notebook.name)
            rows.append(
                {
                    "notebook": notebook.name,
                    "first_run_s": first.seconds,
                    "restarts": restarts,
                    "after_restart_s": after.seconds,
                    "ok": after.error is None,
                }
            )
            print(
                f"{notebook.name:<36} set-up {first.seconds:5.1f} s, restarts {restarts}, "
                f"then {after.seconds:4.1f} s{'' if after.error is None else '  FAILED: ' + after.error}"
            )
    return rows


def colab_table(rows: list[dict]) -> str:
    lines = [
        f"Measured on {notebooks.machine()}, each notebook in a new emulated Colab session "
        f"(Python {COLAB_PYTHON}, Colab's packages, empty download cache).",
        "",
        "| notebook | set-up cell, first run (s) | restarts | set-up cell after the restart (s) | measured |",
        "|:--|--:|--:|--:|:--|",
    ]
    for row in rows:
        lines.append(
            f"| {row['notebook']} | {row['first_run_s']:.0f} | {int(row['restarts'])} | "
            f"{row['after_restart_s']:.1f} | {row['date']} |"
        )
    return "\n".join(lines)


def record_colab(rows: list[dict]) -> None:
    """Write the table between the markers of the execution statistics page: the rows
    measured now, and the recorded rows of the notebooks not measured now."""
    today = date.today().isoformat()
    rows = [{**row, "date": today} for row in rows]
    old = notebooks.recorded_rows(MARKERS, 5)
    keys = ["first_run_s", "restarts", "after_restart_s", "date"]
    notebooks.record_table(
        MARKERS, colab_table(notebooks.merged_rows(rows, old, keys))
    )


# --------------------------------------------------------------------------------------------
# Binder


def binder_python() -> str:
    runtime = (ROOT / "binder" / "runtime.txt").read_text().strip()
    return runtime.removeprefix("python-")


@dataclass
class BinderImage:
    repo: Path  # the repository as Binder checks it out (its committed state)
    venv: Path  # the one environment: server and kernel
    log: str  # what the build printed


def build_binder(workdir: Path) -> BinderImage:
    """Build the emulated image under ``workdir``: base environment, then binder/ applied."""
    try:
        python = pythons.find(binder_python())
    except SystemExit as stop:
        raise RuntimeError(str(stop)) from None
    repo = workdir / "repo"
    _run(["git", "clone", "--quiet", ROOT, repo])
    _run(
        [
            "git",
            "-C",
            repo,
            "checkout",
            "--quiet",
            _run(["git", "rev-parse", "HEAD"], cwd=ROOT).stdout.strip(),
        ]
    )
    venv = _venv(workdir / "srv", python, BINDER / "requirements.txt")
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("VIRTUAL_ENV", "LESSON_"))
    }
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    log = []
    # repo2docker's Python buildpack: `${KERNEL_PYTHON_PREFIX}/bin/pip install --no-cache-dir -r
    # binder/requirements.txt`, then postBuild from the repository's folder. (Here pip may use
    # its download cache: the same files, fetched faster.)
    steps = [
        [venv / "bin" / "pip", "install", "-r", "binder/requirements.txt"],
        ["bash", "binder/postBuild"],
    ]
    for step in steps:
        log.append(_run(step, cwd=repo, env=env).stdout)
    return BinderImage(repo, venv, "\n".join(log))


def pip_check(venv: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [venv / "bin" / "python", "-m", "pip", "check"],
        capture_output=True,
        text=True,
    )


# --------------------------------------------------------------------------------------------
# A Jupyter server, driven as a browser drives it


def free_port() -> int:
    """A loopback port where nothing listens: for a server to start, or a "no network" run."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def jupyter_server(command: str, cwd: Path, env: dict[str, str], log: Path):
    """Start ``command`` (a `jupyter lab`/`jupyter server` command line, run by bash) headless on
    loopback with a known token; yields (base URL, token); stops it afterwards."""
    from urllib.request import urlopen

    port, token = free_port(), secrets.token_hex(16)
    # As root (CI machines) the server also needs --allow-root, which a learner's account does not.
    root = (
        " --allow-root" if hasattr(os, "geteuid") and os.geteuid() == 0 else ""
    )
    line = (
        f"{command} --no-browser --ServerApp.ip=127.0.0.1 --ServerApp.port={port} "
        f"--IdentityProvider.token={token}{root}"
    )
    with log.open("w") as sink:
        server = subprocess.Popen(
            ["bash", "-c", line],
            cwd=cwd,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urlopen(f"{base}/api/status?token={token}", timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError(
                        "The Jupyter server did not start:\n"
                        + log.read_text()[-3000:]
                    ) from None
                time.sleep(1)
        yield base, token
    finally:
        if server.poll() is None:
            os.killpg(server.pid, 15)
            server.wait(timeout=30)


async def _run_through_server(base: str, token: str, path: str) -> list[str]:
    from tornado.httpclient import AsyncHTTPClient, HTTPRequest
    from tornado.websocket import websocket_connect

    http_client = AsyncHTTPClient()
    headers = {"Authorization": f"token {token}"}
    model = json.loads(
        (
            await http_client.fetch(
                f"{base}/api/contents/{path}", headers=headers
            )
        ).body
    )
    cells = [c for c in model["content"]["cells"] if c["cell_type"] == "code"]
    body = json.dumps(
        {
            "path": path,
            "type": "notebook",
            "name": "",
            "kernel": {"name": "python3"},
        }
    )
    session = json.loads(
        (
            await http_client.fetch(
                f"{base}/api/sessions",
                method="POST",
                headers=headers,
                body=body,
            )
        ).body
    )
    kernel = session["kernel"]["id"]
    url = (
        base.replace("http", "ws", 1)
        + f"/api/kernels/{kernel}/channels?session_id={session['id']}"
    )
    channel = await websocket_connect(HTTPRequest(url, headers=headers))
    errors, printed = [], []
    sources = ["import sys; print(sys.executable)"] + [
        c["source"] for c in cells
    ]
    for index, source in enumerate(sources):
        msg_id = uuid.uuid4().hex
        channel.write_message(
            json.dumps(
                {
                    "header": {
                        "msg_id": msg_id,
                        "msg_type": "execute_request",
                        "session": session["id"],
                        "username": "learner",
                        "version": "5.3",
                    },
                    "parent_header": {},
                    "metadata": {},
                    "channel": "shell",
                    "content": {
                        "code": source,
                        "silent": False,
                        "store_history": True,
                        "user_expressions": {},
                        "allow_stdin": False,
                        "stop_on_error": True,
                    },
                }
            )
        )
        # Done when the shell has replied and the kernel is idle again: the iopub "idle" status
        # comes after the cell's last output, while the reply (another channel) may come first.
        replied = idle = False
        while not (replied and idle):
            message = json.loads(
                await asyncio.wait_for(channel.read_message(), timeout=300)
            )
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = message["msg_type"]
            if kind == "stream" and index == 0:
                printed.append(message["content"]["text"])
            elif kind == "error":
                errors.append(
                    f"cell {index}: {message['content']['ename']}: {message['content']['evalue']}"
                )
            elif kind == "execute_reply":
                replied = True
            elif (
                kind == "status"
                and message["content"]["execution_state"] == "idle"
            ):
                idle = True
        if errors:
            break
    channel.close()
    await http_client.fetch(
        f"{base}/api/sessions/{session['id']}",
        method="DELETE",
        headers=headers,
    )
    return errors if errors else [f"kernel python: {''.join(printed).strip()}"]


def run_notebook_through_server(
    base: str, token: str, path: str
) -> tuple[list[str], Path | None]:
    """Execute every code cell of ``path`` (relative to the server's root) in a new kernel, as
    the browser would. Returns (errors, the kernel's Python); errors is empty when all ran."""
    outcome = asyncio.run(_run_through_server(base, token, path))
    if len(outcome) == 1 and outcome[0].startswith("kernel python: "):
        return [], Path(outcome[0].removeprefix("kernel python: "))
    return outcome, None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("service", choices=["colab", "binder"])
    parser.add_argument("notebooks", nargs="*")
    parser.add_argument(
        "--record",
        action="store_true",
        help=f"store the Colab times in {RECORD.relative_to(ROOT)}",
    )
    args = parser.parse_args(argv)
    if args.service == "colab":
        notebooks = [Path(n).resolve() for n in args.notebooks] or NOTEBOOKS
        rows = time_colab(notebooks)
        if args.record:
            record_colab(rows)
        return 0 if all(row["ok"] for row in rows) else 1
    with tempfile.TemporaryDirectory(prefix="binder-") as tmp:
        image = build_binder(Path(tmp))
        check = pip_check(image.venv)
        print(check.stdout.strip())
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("VIRTUAL_ENV", "LESSON_", "JUPYTER"))
        }
        env["PATH"] = f"{image.venv / 'bin'}{os.pathsep}{env['PATH']}"
        with jupyter_server(
            "jupyter lab", image.repo, env, Path(tmp) / "server.log"
        ) as (base, token):
            errors, python = run_notebook_through_server(
                base, token, f"notebooks/{NOTEBOOKS[0].name}"
            )
        print("\n".join(errors) or f"{NOTEBOOKS[0].name} ran in {python}")
        return 0 if check.returncode == 0 and not errors else 1


if __name__ == "__main__":
    sys.exit(main())
