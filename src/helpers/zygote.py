"""The kernel zygote: one process per build that loads what a report's kernel needs, once, and
forks each kernel from itself when a worker asks for one.

A kernel started the usual way is a new interpreter that imports IPython, ipykernel, pandas,
Matplotlib and the helpers (about a second of CPU) before the notebook's first cell can run, and
each edition's kernel pays it again. The build starts this process next to its workers, while it
checks the data (it starts no kernel: it imports, then reads and types the fact base, which a
kernel uses only for the files the checks then proved as they were read), and the kernels are
forked from it after the checks passed, with everything loaded.

Run as `python [the kernel's interpreter flags] -m helpers.zygote FD PARENT_PID`, FD a Unix socket
the build bound and listens on (so that a worker can connect before this process is up: it
waits instead of being refused), at a Linux abstract address. It answers only processes of its
own user. A request
is one JSON line: the kernel's command line, environment, working folder and stderr file, as
jupyter_client would have started it. It is refused (the worker then starts its kernel the
usual way) unless the command is this interpreter running `-m ipykernel_launcher` and the
environment is the one this process started with, apart from `PER_KERNEL` variables: a module
loaded here may have read any other variable. Answer: `{"pid": N}`, or `{"refused": why}`; when
the kernel exits, `{"exit": code}` on the same connection. A worker that hangs up (it died) has
its kernel killed.

The zygote never starts a thread, so that forking it is safe. It dies with the build
(PR_SET_PDEATHSIG), and its kernels die with it.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib.util
import json
import os
import select
import signal
import socket
import struct
import sys
import traceback

from helpers.paths import KNOWN_SHA256, PROVEN_FILES

# set for each kernel by jupyter_client and by the build; read by no module at import time
PER_KERNEL = frozenset({"JPY_PARENT_PID", "JPY_SESSION_NAME", PROVEN_FILES, KNOWN_SHA256})
# what the report's kernel imports (helpers.report loads pandas, Matplotlib and the charts)
PRELOAD = ("ipykernel.kernelapp", "ipykernel.ipkernel", "helpers.report")
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
PR_SET_PDEATHSIG, PR_SET_NAME = 1, 15  # <linux/prctl.h>
REQUEST_TIMEOUT = 10.0  # seconds a worker has to send its request once connected
REAP_EVERY = 0.2  # seconds between looks for kernels that exited


def _prctl(option: int, value: int | bytes) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(option, value, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl failed")


def interpreter_prefix(argv: list[str]) -> list[str] | None:
    """The interpreter and its flags in a kernel's command line `python [flags] -m
    ipykernel_launcher ...`; None for any other kind of command."""
    if "-m" not in argv:
        return None
    at = argv.index("-m")
    if argv[at + 1 : at + 2] != ["ipykernel_launcher"]:
        return None
    return argv[:at]


class Zygote:
    def __init__(self, listener: socket.socket) -> None:
        self.started_env = dict(os.environ)
        self.pid, self.cwd = os.getpid(), os.getcwd()
        self.prefix = sys.orig_argv[: sys.orig_argv.index("-m")]
        self.listener = listener
        # a kernel's exit wakes the loop at once (its worker waits for it to stop a run)
        self.wakeup, wakeup_in = socket.socketpair()
        wakeup_in.setblocking(False)
        self._wakeup_in = wakeup_in
        signal.signal(signal.SIGCHLD, lambda signum, frame: None)
        signal.set_wakeup_fd(wakeup_in.fileno(), warn_on_full_buffer=False)
        self.kernels: dict[int, socket.socket | None] = {}  # kernel pid -> its worker
        self.added_env: dict[str, str] = {}

    def preload(self) -> None:
        # ipykernel sets this variable when it starts, unless set; Matplotlib reads it when
        # imported, which is here, before any kernel started
        os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)
        # NumPy's OpenBLAS starts a thread per core when loaded, and a process with threads is
        # not safe to fork. One thread: the report's sums and transforms are small.
        blas = [name for name in BLAS_THREADS if name not in os.environ]
        os.environ.update(dict.fromkeys(blas, "1"))
        for name in PRELOAD:
            importlib.import_module(name)
        for name in blas:  # read once, when loaded: not left to what the kernels start
            del os.environ[name]
        self.added_env = {k: v for k, v in os.environ.items() if k not in self.started_env}
        # the fact base, read and typed once for every kernel; a kernel takes a table only if
        # the build's checks then proved its file as it was read here (helpers.data)
        with contextlib.suppress(Exception):
            from helpers.data import warm_fact_base

            warm_fact_base()

    def serve(self) -> None:
        while True:
            watched = [self.listener, self.wakeup]
            watched += [conn for conn in self.kernels.values() if conn is not None]
            readable, _, _ = select.select(watched, [], [], REAP_EVERY)
            for conn in readable:
                if conn is self.listener:
                    self._answer()
                elif conn is self.wakeup:
                    self.wakeup.recv(4096)
                else:
                    self._hung_up(conn)
            self._reap()

    def _answer(self) -> None:
        conn, _ = self.listener.accept()
        creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
        _, uid, _ = struct.unpack("3i", creds)
        if uid != os.getuid():
            conn.close()
            return
        try:
            conn.settimeout(REQUEST_TIMEOUT)
            request = json.loads(conn.makefile("rb").readline())
            conn.settimeout(None)
            why = self._refusal(request)
            if why:
                conn.sendall(json.dumps({"refused": why}).encode() + b"\n")
                conn.close()
                return
            pid = self._fork(request)
            conn.sendall(json.dumps({"pid": pid}).encode() + b"\n")
        except (OSError, ValueError, TypeError, KeyError):
            conn.close()
            return
        self.kernels[pid] = conn

    def _refusal(self, request: dict) -> str | None:
        threads = len(os.listdir("/proc/self/task"))
        if threads > 1:  # a library loaded here started one: forking would not be safe
            return f"the zygote runs {threads} threads"
        argv = request["argv"]
        if interpreter_prefix(argv) != self.prefix:
            return f"not a kernel of this interpreter: {argv[:4]}"
        env = request["env"]
        differs = sorted(
            key
            for key in set(env) | set(self.started_env)
            if key not in PER_KERNEL and env.get(key) != self.started_env.get(key)
        )
        if differs:
            return f"environment differs in {', '.join(differs[:5])}"
        return None

    def _fork(self, request: dict) -> int:
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                code = self._become_kernel(request)
            except SystemExit as end:
                code = end.code if isinstance(end.code, int) else 0
            except BaseException:
                traceback.print_exc()
            finally:
                os._exit(code)
        return pid

    def _become_kernel(self, request: dict) -> int:
        """In the forked child: set up as jupyter_client sets up a kernel process, then run
        ipykernel as `python -m ipykernel_launcher` does."""
        signal.set_wakeup_fd(-1)  # the zygote's, not a kernel's
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.setsid()  # its own session, as jupyter_client starts kernels (interrupts go to it)
        _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # dies with the zygote
        if os.getppid() != self.pid:  # the zygote died before that took effect
            return 1
        _prctl(PR_SET_NAME, b"ai-war-kernel")
        null = os.open(os.devnull, os.O_RDWR)
        stderr = os.open(request["stderr"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        os.dup2(null, 0)
        os.dup2(null, 1)
        os.dup2(stderr, 2)
        os.closerange(3, os.sysconf("SC_OPEN_MAX"))  # the listener, the workers' connections
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update({**self.added_env, **request["env"]})
        argv = request["argv"]
        launcher = importlib.util.find_spec("ipykernel_launcher").origin
        sys.argv = [launcher, *argv[argv.index("ipykernel_launcher") + 1 :]]
        if sys.path and sys.path[0] in ("", self.cwd):  # as ipykernel_launcher does
            del sys.path[0]
        from ipykernel.kernelapp import IPKernelApp

        # the trait's default was read from the environment when ipykernel was imported here
        parent = int(request["env"].get("JPY_PARENT_PID") or 0)
        IPKernelApp.launch_instance(parent_handle=parent)
        return 0

    def _hung_up(self, conn: socket.socket) -> None:
        with contextlib.suppress(OSError):
            if conn.recv(1):
                return  # nothing is expected from a worker after its request
        for pid, worker in self.kernels.items():
            if worker is conn:
                # its process group (what it started), and itself: a kernel forked a moment ago
                # may not have made its group yet (its pid is not reused before it is reaped here)
                with contextlib.suppress(OSError):
                    os.killpg(pid, signal.SIGKILL)
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
                self.kernels[pid] = None
        conn.close()

    def _reap(self) -> None:
        while self.kernels:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            conn = self.kernels.pop(pid, None)
            if conn is not None:
                with contextlib.suppress(OSError):
                    code = os.waitstatus_to_exitcode(status)
                    conn.sendall(json.dumps({"exit": code}).encode() + b"\n")
                conn.close()


def listening(address: str) -> socket.socket:
    """A socket listening at the abstract Unix address `address`, for a zygote to answer on."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind("\0" + address)
    listener.listen(16)
    return listener


def main(listener_fd: int, parent: int) -> None:
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # dies with the build
    if os.getppid() != parent:  # the build died before that took effect
        os._exit(1)
    zygote = Zygote(socket.socket(fileno=listener_fd))
    zygote.preload()
    zygote.serve()


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
