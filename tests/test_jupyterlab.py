"""The report notebook as an analyst meets it: opened and run in a real JupyterLab server.

The server is started on a free loopback port with a token; the test then does what the
JupyterLab page does: reads the notebook through the contents API, starts a session with the
notebook's kernel, and runs each code cell over the kernel's websocket.
"""

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import websocket

from helpers.build import KERNEL_NAME
from helpers.paths import PROJECT_ROOT
from helpers.report import PAGE_MIMETYPE
from helpers.report.sections import section_keys

JUPYTER = str(Path(sys.executable).with_name("jupyter"))
CELL_TIMEOUT = 120  # seconds for one cell, generous for a loaded CI machine


@dataclass
class Server:
    url: str
    token: str
    log: Path

    def api(self, method: str, path: str, body: dict | None = None) -> dict:
        request = urllib.request.Request(
            f"{self.url}{path}",
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read().decode()
        return json.loads(text) if text else {}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory) -> Iterator[Server]:
    home = tmp_path_factory.mktemp("jupyter")
    port, token = free_port(), secrets.token_hex(24)
    # the user's own Jupyter settings stay out of it; the project's kernel lives in .venv
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(home / "config"),
           "JUPYTER_RUNTIME_DIR": str(home / "runtime"), "JUPYTER_DATA_DIR": str(home / "data"),
           "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces")}  # fmt: skip
    command = [JUPYTER, "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
               "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
               f"--ServerApp.root_dir={PROJECT_ROOT}"]  # fmt: skip
    if os.geteuid() == 0:
        command.append("--allow-root")
    log = home / "server.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(command, env=env, stdout=sink, stderr=subprocess.STDOUT)
    server = Server(url=f"http://127.0.0.1:{port}", token=token, log=log)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                server.api("GET", "/api/status")
                break
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not start:\n{log.read_text()[-3000:]}")
                time.sleep(0.3)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def run_cell(channel: websocket.WebSocket, session: str, code: str) -> tuple[list[dict], dict]:
    """Execute `code`; the outputs it produced (iopub) and the kernel's reply (shell)."""
    msg_id = uuid.uuid4().hex
    channel.send(json.dumps({
        "header": {"msg_id": msg_id, "msg_type": "execute_request", "session": session,
                   "username": "test", "version": "5.3"},
        "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
        "content": {"code": code, "silent": False, "store_history": True,
                    "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
    }))  # fmt: skip
    outputs: list[dict] = []
    reply: dict = {}
    idle = False
    while not (idle and reply):
        message = json.loads(channel.recv())
        if message.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind = message["msg_type"]
        if kind == "execute_reply":
            reply = message["content"]
        elif kind == "status" and message["content"]["execution_state"] == "idle":
            idle = True
        elif kind in ("stream", "display_data", "execute_result", "error"):
            outputs.append({"output_type": kind, **message["content"]})
    return outputs, reply


def test_lab_serves_its_page_behind_the_token(jupyterlab):
    with urllib.request.urlopen(f"{jupyterlab.url}/lab?token={jupyterlab.token}") as response:
        assert response.status == 200 and "JupyterLab" in response.read().decode()
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{jupyterlab.url}/api/contents/notebooks")
    assert refused.value.code == 403


def test_the_report_notebook_runs_in_jupyterlab_with_the_project_kernel(jupyterlab):
    specs = jupyterlab.api("GET", "/api/kernelspecs")["kernelspecs"]
    assert KERNEL_NAME in specs
    model = jupyterlab.api("GET", "/api/contents/notebooks/report.ipynb?content=1")
    assert model["type"] == "notebook"
    notebook = model["content"]
    assert notebook["metadata"]["kernelspec"]["name"] == KERNEL_NAME
    session = jupyterlab.api("POST", "/api/sessions", {
        "path": "notebooks/report.ipynb", "name": "report.ipynb", "type": "notebook",
        "kernel": {"name": notebook["metadata"]["kernelspec"]["name"]},
    })  # fmt: skip
    assert session["kernel"]["name"] == KERNEL_NAME
    channel = websocket.create_connection(
        f"ws://127.0.0.1:{jupyterlab.url.rsplit(':', 1)[1]}/api/kernels/"
        f"{session['kernel']['id']}/channels?session_id={session['id']}",
        header=[f"Authorization: token {jupyterlab.token}"],
        timeout=CELL_TIMEOUT,
    )
    outputs: list[dict] = []
    try:
        for number, cell in enumerate(notebook["cells"]):
            if cell["cell_type"] != "code":
                continue
            cell_outputs, reply = run_cell(channel, session["id"], "".join(cell["source"]))
            assert reply["status"] == "ok", (number, reply, cell_outputs)
            outputs += cell_outputs
        folder, _ = run_cell(channel, session["id"], "import os; print(os.getcwd())")
    finally:
        channel.close()
        jupyterlab.api("DELETE", f"/api/sessions/{session['id']}")
    assert [o for o in outputs if o["output_type"] == "error"] == []
    assert [o for o in outputs if o.get("name") == "stderr"] == []  # no warning either
    shown = [o for o in outputs if PAGE_MIMETYPE not in o.get("data", {})]
    text = json.dumps(shown, ensure_ascii=False)
    assert "Données arrêtées au" in text  # the default parameters: French, all the data
    html = " ".join(o.get("data", {}).get("text/html", "") for o in shown)
    assert '<h2 id="money">L\u2019argent</h2>' in html and "The money" not in html  # French
    assert text.count("<svg") == 10  # every figure drawn in its section, desk and phone layouts
    headings = [o for o in shown if "<h2 " in o.get("data", {}).get("text/html", "")]
    assert len(headings) == len(section_keys())  # each section once, in one language
    assert folder[0]["text"].strip() == str(PROJECT_ROOT / "notebooks")  # as JupyterLab runs it
