"""How the build and the preview talk to their Jupyter kernels.

Loaded only by processes that run a kernel (a build's workers, the preview): it imports
jupyter_client.
"""

from __future__ import annotations

import math
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
