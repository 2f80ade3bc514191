"""The kernel manager the build uses: local IPC sockets instead of TCP.

A kernel on TCP without encryption logs a warning at every start (ipykernel 7); the build's
kernels run on this machine only, so Unix sockets serve, quietly and without open ports.
"""

from jupyter_client.manager import AsyncKernelManager
from traitlets import default


class IPCKernelManager(AsyncKernelManager):
    """An AsyncKernelManager whose default transport is 'ipc'."""

    @default("transport")
    def _default_transport(self) -> str:
        return "ipc"
