"""The Setup page is what a learner runs: its Option 1, as written, works.

The test takes the commands of Option 1 from learners/setup.md and runs them in an empty
folder, with two substitutions only: the clone address is this repository (its committed
state, as a learner's clone would be), and `python3` is a supported Python *other* than the
one running the tests (the newest such). The page's set-up check must end with "All good".
Then the page's last command starts JupyterLab, headless, and notebook 01 runs through the
server's REST and kernel (WebSocket) API, as the browser would run it: every cell, including the
hidden claim checks, must finish without an error, in a kernel of the new environment.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from conftest import clean_env

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import pythons  # noqa: E402

NOTEBOOK = "01-why-reproducibility.ipynb"


def option_1_commands(setup_page: Path) -> list[str]:
    """The lines of Option 1's first bash block, comments removed."""
    text = setup_page.read_text(encoding="utf-8")
    section = text.split("## Option 1", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```bash\n(.*?)```", section, re.S).group(1)
    lines = [line.split("  #", 1)[0].strip() for line in block.splitlines()]
    return [line for line in lines if line]


def test_option_1_names_the_steps_the_test_relies_on():
    commands = option_1_commands(ROOT / "learners" / "setup.md")
    assert commands[0].startswith("git clone ") and commands[1].startswith("cd ")
    assert "python3 -m venv .venv" in commands and "source .venv/bin/activate" in commands
    assert "python -m pip install -r requirements.txt" in commands
    assert "python -m lessonkit.check" in commands
    assert commands[-1] == "jupyter lab notebooks/"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def _run_through_server(base: str, token: str, path: str) -> list[str]:
    """Open a session on ``path`` and execute its code cells over the kernel's WebSocket.

    Returns the errors (empty when every cell ran); the first cell prints the kernel's Python."""
    from tornado.httpclient import AsyncHTTPClient, HTTPRequest
    from tornado.websocket import websocket_connect

    http = AsyncHTTPClient()
    headers = {"Authorization": f"token {token}"}
    model = json.loads((await http.fetch(f"{base}/api/contents/{path}", headers=headers)).body)
    cells = [c for c in model["content"]["cells"] if c["cell_type"] == "code"]
    body = json.dumps({"path": path, "type": "notebook", "name": "", "kernel": {"name": "python3"}})
    session = json.loads((await http.fetch(f"{base}/api/sessions", method="POST", headers=headers, body=body)).body)
    kernel = session["kernel"]["id"]
    url = base.replace("http", "ws", 1) + f"/api/kernels/{kernel}/channels?session_id={session['id']}"
    socket_ = await websocket_connect(HTTPRequest(url, headers=headers))
    errors, printed = [], []
    sources = ["import sys; print(sys.executable)"] + [c["source"] for c in cells]
    for index, source in enumerate(sources):
        msg_id = uuid.uuid4().hex
        socket_.write_message(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "session": session["id"],
                       "username": "learner", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell",
            "content": {"code": source, "silent": False, "store_history": True,
                        "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
        }))  # fmt: skip
        while True:
            message = json.loads(await asyncio.wait_for(socket_.read_message(), timeout=300))
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = message["msg_type"]
            if kind == "stream" and index == 0:
                printed.append(message["content"]["text"])
            elif kind == "error":
                errors.append(f"cell {index}: {message['content']['ename']}: {message['content']['evalue']}")
            elif kind == "execute_reply":
                break
        if errors:
            break
    socket_.close()
    await http.fetch(f"{base}/api/sessions/{session['id']}", method="DELETE", headers=headers)
    return errors if errors else [f"kernel python: {''.join(printed).strip()}"]


def test_option_1_as_written_runs_a_notebook_in_jupyterlab(tmp_path):
    here = f"{sys.version_info[0]}.{sys.version_info[1]}"
    other = [v for v in pythons.supported() if v != here][-1]
    try:
        python = pythons.find(other)
    except SystemExit as stop:
        pytest.fail(str(stop), pytrace=False)
    shims = tmp_path / "bin"
    shims.mkdir()
    (shims / "python3").symlink_to(python)
    env = {k: v for k, v in clean_env().items() if not k.startswith("JUPYTER")}
    env["PATH"] = f"{shims}{os.pathsep}{env['PATH']}"
    env["HOME"] = str(tmp_path / "home")  # no settings of ours leak in; the pip cache stays shared
    env.setdefault("PIP_CACHE_DIR", str(Path.home() / ".cache" / "pip"))

    commands = option_1_commands(ROOT / "learners" / "setup.md")
    address = commands[0].split()[2]
    folder = commands[1].split()[1]
    # The published address, played by this repository under the same name (so that the clone
    # lands in the folder the page's `cd` names).
    published = tmp_path / "published" / address.rstrip("/").rsplit("/", 1)[1]
    published.parent.mkdir()
    published.symlink_to(ROOT)
    install = [commands[0].replace(address, str(published)), *commands[1:-1]]
    learner = tmp_path / "learner"
    learner.mkdir()
    result = subprocess.run(["bash", "-euo", "pipefail", "-c", "\n".join(install)], cwd=learner, env=env,
                            capture_output=True, text=True, timeout=1500)  # fmt: skip
    report = (result.stdout + result.stderr)[-5000:]
    assert result.returncode == 0, report
    assert "All good: you are ready for the lesson." in result.stdout, report

    port, token = _free_port(), secrets.token_hex(16)
    # Headless, on loopback, with a known token; as root (CI machines), JupyterLab also needs
    # --allow-root, which a learner's own account does not.
    start = (f"source .venv/bin/activate\n{commands[-1]} --no-browser --ServerApp.ip=127.0.0.1 "
             f"--ServerApp.port={port} --IdentityProvider.token={token}"
             + (" --allow-root" if hasattr(os, "geteuid") and os.geteuid() == 0 else ""))  # fmt: skip
    log = tmp_path / "jupyterlab.log"
    with log.open("w") as sink:
        server = subprocess.Popen(["bash", "-c", start], cwd=learner / folder, env=env, stdout=sink,
                                  stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        from urllib.request import urlopen

        deadline = time.monotonic() + 120
        while True:
            try:
                with urlopen(f"{base}/api/status?token={token}", timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("JupyterLab did not start:\n" + log.read_text()[-3000:], pytrace=False)
                time.sleep(1)
        outcome = asyncio.run(_run_through_server(base, token, NOTEBOOK))
    finally:
        if server.poll() is None:
            os.killpg(server.pid, 15)
            server.wait(timeout=30)
    assert len(outcome) == 1 and outcome[0].startswith("kernel python: "), "\n".join(outcome)
    kernel_python = Path(outcome[0].removeprefix("kernel python: "))
    assert kernel_python.parent == learner / folder / ".venv" / "bin", kernel_python
    version = subprocess.run([str(kernel_python), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                             capture_output=True, text=True).stdout.strip()  # fmt: skip
    assert version == other
