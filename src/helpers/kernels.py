"""How the build and the preview talk to their Jupyter kernels.

Loaded only by processes that run a kernel (a build's workers, the preview): it imports
jupyter_client.
"""

from __future__ import annotations

import json
import math
import os
import select
import signal
import socket
import subprocess
import time
from queue import Empty

from jupyter_client.asynchronous import AsyncKernelClient


class ReadyClient(AsyncKernelClient):
    """A kernel client that is ready once the kernel has answered and its IOPub is heard.

    jupyter_client's own `wait_for_ready` then reads IOPub until 0.2 s pass without a message,
    a pause every kernel start pays with both cores idle. What it would drain there (the status
    messages of the start-up and of the `kernel_info` request) needs no draining: nbclient and
    the preview read IOPub only for the messages whose parent is a request they sent.
    """

    async def _async_wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (math.inf if timeout is None else timeout)
        while True:
            request = self.kernel_info()
            try:
                reply = await self._async_recv_reply(request, timeout=1)
            except TimeoutError:
                reply = None
            if reply is not None:
                # a message on IOPub (the status of that request) says its socket is connected:
                # output published before that could be lost (ZeroMQ's late subscriber)
                try:
                    await self.iopub_channel.get_msg(timeout=0.2)
                except Empty:
                    pass
                else:
                    self._handle_kernel_info_reply(reply)
                    return
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout} s")

    wait_for_ready = _async_wait_for_ready


# The address of this build's kernel zygote (helpers.zygote), set in each worker by the build;
# None (the preview, a worker of no build): every kernel is started the usual way.
zygote_address: str | None = None
ZYGOTE_ANSWER_TIMEOUT = 30.0  # seconds; a zygote still loading answers when it is done


class ForkedKernel:
    """A kernel process the zygote forked, seen as the `subprocess.Popen` jupyter_client keeps of
    a kernel it started: its pid, `poll`, `wait` and signals. The zygote, its parent, says on
    the connection when it exited; signals go through a pidfd, which cannot reach another
    process that reused the pid."""

    stdin = stdout = stderr = None

    def __init__(self, connection: socket.socket, pid: int) -> None:
        self.connection, self.pid = connection, pid
        self.pidfd = os.pidfd_open(pid)
        self.returncode: int | None = None

    def poll(self) -> int | None:
        return self.wait(timeout=0, expired=False)

    def wait(self, timeout: float | None = None, expired: bool = True) -> int | None:
        if self.returncode is None:
            readable, _, _ = select.select([self.connection], [], [], timeout)
            if readable:
                answer = self.connection.recv(4096)
                # no answer: the zygote died, and its kernels with it (PR_SET_PDEATHSIG)
                self.returncode = json.loads(answer)["exit"] if answer else -signal.SIGKILL
                self.connection.close()
                os.close(self.pidfd)
            elif expired:
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout or 0)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.returncode is None:
            signal.pidfd_send_signal(self.pidfd, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


def fork_kernel(argv: list[str], env: dict[str, str], cwd: str, stderr: str) -> ForkedKernel:
    """A kernel forked by this build's zygote, started as `argv` would start it. Raises
    ZygoteRefused (or OSError) when the zygote cannot or will not fork it."""
    if zygote_address is None:
        raise ZygoteRefused("no zygote")
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.settimeout(ZYGOTE_ANSWER_TIMEOUT)
        connection.connect("\0" + zygote_address)
        request = {"argv": argv, "env": env, "cwd": cwd, "stderr": stderr}
        connection.sendall(json.dumps(request).encode() + b"\n")
        answer = b""
        while not answer.endswith(b"\n"):
            part = connection.recv(4096)
            if not part:
                raise ZygoteRefused("the zygote hung up")
            answer += part
        connection.settimeout(None)
        reply = json.loads(answer)
        if "pid" not in reply:
            raise ZygoteRefused(reply.get("refused", "no pid"))
        return ForkedKernel(connection, reply["pid"])
    except BaseException:
        connection.close()
        raise


class ZygoteRefused(RuntimeError):
    """The zygote did not fork a kernel; the worker starts it the usual way."""
