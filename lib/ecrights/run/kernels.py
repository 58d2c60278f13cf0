"""Kernels started and warmed ahead, one at a time, in a worker process.

A notebook's kernel spends its first seconds starting and importing pandas,
matplotlib, scipy and the library — the same work for every section and every
sweep variant. A KernelPool starts the next kernel, and has it import what the
notebooks import (warm_imports), while the current notebook runs; the next
task takes it ready. Each kernel serves one notebook and is then shut down:
variants stay isolated (no state carried from one notebook to the next), and
the executed notebook is papermill's as before (engine.WarmEngine).

From the second kernel on, a kernel is a fork of a process that has already
imported all that (forkkernel.py): its start costs a fork and ipykernel's
set-up, not the imports again.

The pool works on its own thread with its own event loop (jupyter_client's
asyncio API); the warm kernel's manager is then handed to nbclient in the
worker's main thread, which opens its own client to it.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache

from .. import sections
from . import forkkernel
from .cache import notebook_imports
from .kernel_manager import ipc_kernel_manager

KERNEL_ARGUMENTS = ["--HistoryManager.hist_file=:memory:"]  # as nbclient starts its kernels: no history file
WARM_TIMEOUT = 120


@lru_cache(maxsize=None)
def warm_imports(names: tuple[str, ...] = ()) -> tuple[str, ...]:
    """What the notebooks of these sections (all when none is named) import, read from
    their code cells, plus pyplot (the figures import it): the modules a warm kernel has
    loaded. Only the sections a run executes: every other import costs each kernel time."""
    chosen = [sections.get(n) for n in names] if names else list(sections.SECTIONS.values())
    modules = set().union(*(notebook_imports(s.notebook) for s in chosen))
    return tuple(sorted(modules | {"matplotlib.pyplot"}))


def warm_code(names: tuple[str, ...]) -> str:
    # names from `from X import y` may be attributes, not modules: those are skipped
    return ("import importlib as _il\n"
            f"for _name in {list(names)!r}:\n"
            "    try:\n"
            "        _il.import_module(_name)\n"
            "    except ImportError:\n"
            "        pass\n"
            "del _il, _name\n")


@dataclass
class _Warm:
    km: object
    directory: str


class KernelPool:
    """One kernel kept started and warmed ahead (see the module's docstring)."""

    def __init__(self, runtime_dir: str, sections: tuple[str, ...] = (), kernel_name: str = "python3",
                 several: bool = False):
        self.runtime_dir = runtime_dir
        self.sections = tuple(sorted(sections))  # whose imports the kernels do ahead (all: ())
        self.kernel_name = kernel_name
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kernel-pool")
        self._loop: asyncio.AbstractEventLoop | None = None
        self._next: Future | None = None
        self._lock = threading.Lock()
        self._live: dict[int, _Warm] = {}  # id(km) -> kernel not yet shut down
        self.ahead = False  # take() starts the next kernel (set per task: will another task come?)
        self.failure = ""  # why the last kernel started ahead could not be used
        self._started = 0  # kernels started so far
        self.several = several
        forkkernel.preload(warm_imports(self.sections))  # before the forkserver starts
        if several:  # this process will run several notebooks: every kernel is a fork of the forkserver
            forkkernel.start_server()

    # -- on the pool's thread ---------------------------------------------------
    def _run(self, coroutine):
        if self._loop is None:
            self._loop = asyncio.new_event_loop()
        return self._loop.run_until_complete(coroutine)

    async def _start(self) -> _Warm:
        os.makedirs(self.runtime_dir, mode=0o700, exist_ok=True)
        directory = tempfile.mkdtemp(prefix="k", dir=self.runtime_dir)
        # a process that runs one notebook launches its kernel as usual: it gains nothing from a
        # forkserver, which must import everything before its first fork. One that runs several
        # forks every kernel, the first too: launching it as usual would import everything a
        # second time, beside the forkserver, on the same cores (forkkernel.py)
        forked, self._started = self.several or self._started > 0, self._started + 1
        km = ipc_kernel_manager(directory, forked=forked)(kernel_name=self.kernel_name)
        warm = _Warm(km, directory)
        with self._lock:
            self._live[id(km)] = warm
        await km.start_kernel(extra_arguments=list(KERNEL_ARGUMENTS), cwd=directory)
        await self._execute(km, warm_code(warm_imports(self.sections)))
        return warm

    async def _execute(self, km, code: str) -> None:
        """Run code silently (no output, no execution count, no history)."""
        kc = km.client()
        kc.start_channels()
        try:
            await kc.wait_for_ready(timeout=WARM_TIMEOUT)
            msg_id = kc.execute(code, silent=True, store_history=False)
            while True:
                reply = await kc.get_shell_msg(timeout=WARM_TIMEOUT)
                if reply["parent_header"].get("msg_id") == msg_id:
                    break
            if reply["content"].get("status") != "ok":
                raise RuntimeError(f"warming a kernel failed: {reply['content'].get('evalue', '')}")
        finally:
            kc.stop_channels()

    def _prepare(self, warm: _Warm, cwd: str) -> None:
        self._run(self._execute(warm.km, f"import os as _os\n_os.chdir({os.path.abspath(cwd)!r})\ndel _os\n"))

    # -- in the worker --------------------------------------------------------------
    def warm_next(self) -> None:
        """Start (and warm) the kernel the next task will take."""
        if self._next is None:
            self._next = self._thread.submit(lambda: self._run(self._start()))

    def take(self, cwd: str):
        """The warm kernel's manager, its working directory moved to `cwd`; None if
        there is none, or it failed to start (the caller starts a kernel itself)."""
        future, self._next = self._next, None
        self.failure = ""
        if future is None:
            return None
        try:
            warm = future.result()
            self._thread.submit(self._prepare, warm, cwd).result()
        except Exception as exc:  # noqa: BLE001 - a kernel that did not start: the task starts its own
            self.failure = f"{type(exc).__name__}: {exc}"  # said in the section's log (engine.WarmEngine)
            self._discard_all()
            warm = None
        if self.ahead:
            self.warm_next()  # warms while this notebook runs
        return None if warm is None else warm.km

    def release(self, km) -> None:
        """After the notebook: its kernel is gone (nbclient shut it down); kill it if
        not, and remove its connection file and sockets."""
        with self._lock:
            warm = self._live.pop(id(km), None)
        if warm is not None:
            _kill(warm)

    def _discard_all(self) -> None:
        with self._lock:
            live, self._live = list(self._live.values()), {}
        for warm in live:
            _kill(warm)

    def close(self) -> None:
        """Shut down the kernel kept ahead (and any other still alive)."""
        future, self._next = self._next, None
        if future is not None:
            future.cancel()
        self._thread.shutdown(wait=False, cancel_futures=True)
        self._discard_all()

    def kill_now(self) -> None:
        """From a signal handler: the kernels' processes killed, nothing awaited, and the
        forkserver's temporary directory removed (the process exits without its finalizers)."""
        for warm in list(self._live.values()):
            _kill(warm)
        forkkernel.remove_temporary_files()


def _kill(warm: _Warm) -> None:
    provisioner = getattr(warm.km, "provisioner", None)
    process = getattr(provisioner, "process", None)
    if process is not None and process.poll() is None:
        process.kill()
        try:
            process.wait(5)
        except Exception:  # noqa: BLE001
            pass
    shutil.rmtree(warm.directory, ignore_errors=True)
