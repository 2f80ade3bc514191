"""Kernels forked from the build's zygote (helpers.zygote) against kernels started the usual way.

Real kernels, real processes: a forked kernel must see what a kernel started as its own
interpreter sees (arguments, import path, folder, environment, Matplotlib's backend, IPython),
a zygote must refuse what it cannot fork faithfully (the build then starts the kernel the usual
way), and no kernel may outlive its worker or its zygote.
"""

import asyncio
import json
import os
import secrets
import signal
import subprocess
import time
from pathlib import Path

import psutil
import pytest

from helpers import build, kernels
from helpers.paths import DATA_DIR, NOTEBOOKS_DIR

pytestmark = pytest.mark.skipif(
    build.kernel_interpreter() is None, reason="the report's kernel is not installed"
)

# what a kernel sees of itself; the connection file's name and the pids are left out
PROBE = """
import json, os, sys
import matplotlib
from ipykernel.kernelapp import IPKernelApp
app = IPKernelApp.instance()
print(json.dumps({
    "argv": [os.path.basename(sys.argv[0]), *sys.argv[1:-1]],
    "path": sys.path,
    "cwd": os.getcwd(),
    "env": {k: v for k, v in os.environ.items() if k != "JPY_PARENT_PID"},
    "parent_handle": app.parent_handle == int(os.environ["JPY_PARENT_PID"]),
    "backend": matplotlib.get_backend(),
    "main": type(sys.modules["__main__"]).__name__,
    "shell": type(get_ipython()).__name__,
    "flags": str(sys.flags),
    "session": os.getsid(0) == os.getpid(),
}))
"""


@pytest.fixture
def zygote():
    """A zygote as a build starts one, its address set as in a build's worker; started by the
    test itself (`zygote()`), in the environment of the test's call (pytest names the test's
    phase in $PYTEST_CURRENT_TEST)."""
    started = []

    def start() -> subprocess.Popen:
        address = f"ai-war-zygote-{secrets.token_hex(8)}"
        started.append(build.start_zygote(address, DATA_DIR))
        assert started[-1] is not None
        kernels.zygote_address = address
        return started[-1]

    yield start
    kernels.zygote_address = None
    for process in started:
        process.kill()
        process.wait()


def kernel_env(**extra: str) -> dict[str, str]:
    return {**os.environ, "AI_WAR_DATA_DIR": str(DATA_DIR), **extra}


async def probe_kernel(folder: Path, env: dict[str, str]) -> tuple[dict, dict]:
    """Start a kernel with the build's kernel manager, run PROBE in it; what it printed, and how
    it was launched."""
    launch: dict = {}
    with (folder / "kernel-stderr").open("wb") as stderr:
        manager = build._kernel_manager_class(stderr, folder / "kernel.json", launch)
        km = manager(kernel_name=build.KERNEL_NAME)
        await km.start_kernel(cwd=str(NOTEBOOKS_DIR), env=env)
        kc = km.client()
        kc.start_channels()
        try:
            await kc.wait_for_ready(timeout=60)
            printed = []
            reply = await kc.execute_interactive(
                PROBE,
                timeout=60,
                output_hook=lambda msg: printed.append(msg["content"].get("text", "")),
            )
            assert reply["content"]["status"] == "ok", reply["content"]
        finally:
            kc.stop_channels()
            await km.shutdown_kernel(now=True)
    return json.loads("".join(printed)), launch


def test_a_forked_kernel_sees_what_a_kernel_of_its_own_sees(zygote, tmp_path):
    zygote()
    (tmp_path / "forked").mkdir()
    (tmp_path / "usual").mkdir()
    forked, forked_launch = asyncio.run(probe_kernel(tmp_path / "forked", kernel_env()))
    kernels.zygote_address = None  # a worker of no build: the usual way
    usual, usual_launch = asyncio.run(probe_kernel(tmp_path / "usual", kernel_env()))
    assert forked_launch == {"forked": True, "why": None}
    assert usual_launch == {"forked": False, "why": "ZygoteRefused: no zygote"}
    assert forked == usual
    assert forked["parent_handle"] and forked["session"]
    assert forked["backend"] == "module://matplotlib_inline.backend_inline"


def test_a_kernel_of_another_environment_is_started_the_usual_way(zygote, tmp_path):
    """A module the zygote loaded may have read any variable: a kernel that would see another
    value is not forked, and still runs."""
    zygote()
    seen, launch = asyncio.run(probe_kernel(tmp_path, kernel_env(AI_WAR_SOMETHING_ELSE="1")))
    assert launch["forked"] is False
    assert "AI_WAR_SOMETHING_ELSE" in launch["why"]
    assert seen["env"]["AI_WAR_SOMETHING_ELSE"] == "1"


def test_a_command_that_is_not_this_python_kernel_is_refused(zygote, tmp_path):
    zygote()
    with pytest.raises(kernels.ZygoteRefused, match="not a kernel of this interpreter"):
        kernels.fork_kernel(
            ["/bin/sh", "-c", "true"], kernel_env(), str(tmp_path), str(tmp_path / "err")
        )


def fork_one(folder: Path) -> kernels.ForkedKernel:
    argv = [*build.kernel_interpreter(), "-m", "ipykernel_launcher", "-f", str(folder / "k.json")]
    env = {**kernel_env(), "JPY_PARENT_PID": str(os.getpid())}
    return kernels.fork_kernel(argv, env, str(folder), str(folder / "stderr"))


def gone(pid: int, within: float = 10.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.05)
    return False


def test_a_kernel_whose_worker_hangs_up_is_killed(zygote, tmp_path):
    process = zygote()
    kernel = fork_one(tmp_path)
    assert psutil.Process(kernel.pid).ppid() == process.pid
    assert kernel.poll() is None
    kernel.connection.close()  # as when its worker dies
    assert gone(kernel.pid)


def test_the_kernels_die_with_their_zygote(zygote, tmp_path):
    process = zygote()
    kernel = fork_one(tmp_path)
    process.kill()
    process.wait()
    assert gone(kernel.pid)
    assert kernel.wait(timeout=10) == -signal.SIGKILL


def test_a_forked_kernel_is_waited_for_and_signalled_like_a_process(zygote, tmp_path):
    zygote()
    kernel = fork_one(tmp_path)
    with pytest.raises(Exception, match="timed out"):
        kernel.wait(timeout=0.1)
    kernel.kill()
    assert kernel.wait(timeout=10) == -signal.SIGKILL
    assert kernel.poll() == -signal.SIGKILL
    kernel.kill()  # a kernel that exited is not signalled again (its pid may be another's)
