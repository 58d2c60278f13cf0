"""Where tasks execute, behind one small interface and a registry.

An executor is created before the data validation ends, so that its workers
start (and import papermill) meanwhile:

    executor = get("local")(jobs=2)      # workers start now
    executor.run(tasks, on_start, on_done)
    executor.close()                     # or stop(): kill everything started

- `inline`: in this process, one task after another (one task, or --jobs 1).
- `local`:  worker processes of our own (multiprocessing, spawned: each task
            has its own process and working directory; we hold the processes, so
            stop() can end them and their kernels).

Both run each notebook in a fresh kernel started and warmed ahead
(kernels.KernelPool): the first while the data is validated, the next while
a notebook runs, when another task will follow.
- `dask`:   a Dask distributed cluster, local or at --scheduler.
"""

from __future__ import annotations

import multiprocessing
import time
from collections import deque
from collections.abc import Callable
from multiprocessing.connection import wait

from ..errors import InputError
from .execute import close_kernel_pool, run_task, use_kernel_pool, warm_up, worker_signals
from .tasks import Outcome, Task

OnStart = Callable[[int], None]
OnDone = Callable[[int, Outcome], None]

EXECUTORS: dict[str, type] = {}


def register(name: str):
    def add(cls):
        EXECUTORS[name] = cls
        cls.name = name
        return cls
    return add


def get(name: str) -> type:
    if name not in EXECUTORS:
        raise InputError(f"unknown executor {name!r}; expected one of {sorted(EXECUTORS)}")
    return EXECUTORS[name]


def worker_died(t: Task, why: str) -> Outcome:
    return Outcome(t.label, t.section, "failed", 0.0, t.out_dir, variant=t.variant,
                   error={"kind": "worker died", "exception": why, "source": "", "traceback": "",
                          "cell_index": None})


@register("inline")
class InlineExecutor:
    """In this process: no start-up cost; Ctrl-C reaches the running task directly."""

    def __init__(self, jobs: int = 1, runtime_dir: str = "", sections: tuple[str, ...] = (), **_):
        self.jobs = 1
        if runtime_dir:
            use_kernel_pool(runtime_dir, sections)

    def run(self, tasks: dict[int, Task], on_start: OnStart, on_done: OnDone) -> None:
        for n, (i, t) in enumerate(tasks.items()):
            on_start(i)
            on_done(i, run_task(t, warm_next=n + 1 < len(tasks)))

    def close(self) -> None:
        close_kernel_pool()

    def stop(self) -> None:
        close_kernel_pool()


def _worker_main(conn, runtime_dir: str = "", sections: tuple[str, ...] = ()) -> None:
    """A worker process: take a task (and whether to warm a kernel for another),
    send back its outcome, until told to stop (None)."""
    worker_signals()
    if runtime_dir:  # first: its kernel starts (in other processes) while papermill is imported here
        use_kernel_pool(runtime_dir, sections)
    warm_up()
    try:
        while True:
            try:
                message = conn.recv()
            except EOFError:  # the runner is gone
                return
            if message is None:
                return
            task, warm_next = message
            conn.send(run_task(task, warm_next))
    finally:
        close_kernel_pool()


class _Worker:
    def __init__(self, ctx, runtime_dir: str = "", sections: tuple[str, ...] = ()):
        self.conn, child = ctx.Pipe()
        # not daemonic: a daemonic process may not start processes, and a worker's kernels are
        # processes it starts (forkkernel.py); it ends with the runner all the same: close() and
        # stop() end it, and it stops by itself when orphaned (execute._stop_when_orphaned)
        self.process = ctx.Process(target=_worker_main, args=(child, runtime_dir, sections), daemon=False,
                                   name="ecrights-worker")
        self.process.start()
        child.close()
        self.task: int | None = None
        self.warming = bool(runtime_dir)  # a kernel is being started for its next task


@register("local")
class LocalExecutor:
    """`jobs` spawned worker processes, started at once so that their imports
    overlap whatever the main process does next."""

    STOP_GRACE_SECONDS = 15  # a stopped worker shuts its kernel down; then it is killed

    def __init__(self, jobs: int, runtime_dir: str = "", sections: tuple[str, ...] = (), **_):
        self.jobs = jobs
        self.runtime_dir = runtime_dir
        self.sections = sections
        self._ctx = multiprocessing.get_context("spawn")
        self.workers = [_Worker(self._ctx, runtime_dir, sections) for _ in range(jobs)]

    def run(self, tasks: dict[int, Task], on_start: OnStart, on_done: OnDone) -> None:
        queue = deque(tasks)
        idle = list(self.workers)
        busy: list[_Worker] = []
        while queue or busy:
            while queue and idle:
                # a worker whose kernel is warm first; it warms the next while a task is still
                # queued (at the end, at most one kernel per other worker goes unused: cheaper
                # than a task waiting for a cold kernel)
                w = next((o for o in idle if o.warming), idle[0])
                idle.remove(w)
                w.task = queue.popleft()
                w.warming = bool(self.runtime_dir) and bool(queue)
                w.conn.send((tasks[w.task], w.warming))
                busy.append(w)
                on_start(w.task)
            ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy]))
            for w in list(busy):
                if not (w.conn in ready or w.process.sentinel in ready):
                    continue
                i, outcome = w.task, None
                try:
                    if w.conn.poll():
                        outcome = w.conn.recv()
                except (EOFError, OSError):
                    pass
                if outcome is None and w.process.is_alive():
                    continue  # woken without news: keep waiting
                busy.remove(w)
                w.task = None
                if outcome is None:  # the process ended without an answer
                    w.process.join(1)
                    outcome = worker_died(tasks[i], f"worker process exited with code {w.process.exitcode}")
                    self.workers.remove(w)
                    if queue:
                        w = _Worker(self._ctx, self.runtime_dir, self.sections)
                        self.workers.append(w)
                idle.append(w)
                on_done(i, outcome)

    def close(self) -> None:
        """Let idle workers exit."""
        for w in self.workers:
            try:
                w.conn.send(None)
            except (BrokenPipeError, OSError):
                pass
        for w in self.workers:
            w.process.join(5)
            if w.process.is_alive():
                w.process.kill()
        self.workers = []

    def stop(self) -> None:
        """Stop every worker: a running task unwinds (its kernel is shut down, its
        staging directory removed), then the worker exits; killed if it lingers."""
        for w in self.workers:
            if w.process.is_alive():
                w.process.terminate()
        deadline = time.monotonic() + self.STOP_GRACE_SECONDS
        for w in self.workers:
            w.process.join(max(0.0, deadline - time.monotonic()))
            if w.process.is_alive():
                w.process.kill()
                w.process.join()
        self.workers = []


@register("dask")
class DaskExecutor:
    """A Dask distributed cluster: a local one of `jobs` single-threaded worker
    processes, or the scheduler at `scheduler` (its workers must see this
    project's files at the same paths and have the same environment)."""

    def __init__(self, jobs: int, scheduler: str | None = None, connect_timeout: float = 10, **_):
        from distributed import Client, LocalCluster

        self.jobs = jobs
        self.scheduler = scheduler
        self.cluster = None
        if scheduler:
            try:
                self.client = Client(scheduler, timeout=connect_timeout)
            except (OSError, TimeoutError, ValueError) as exc:
                raise InputError(f"cannot reach the scheduler at {scheduler} (waited {connect_timeout:g} s: "
                                 f"{type(exc).__name__}: {exc})") from None
            self.where = scheduler
        else:
            self.cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                                        dashboard_address=None)
            self.client = Client(self.cluster)
            self.where = f"local cluster of {jobs} workers"
        self.futures = []

    def run(self, tasks: dict[int, Task], on_start: OnStart, on_done: OnDone) -> None:
        from distributed import as_completed

        ids = list(tasks)
        self.futures = self.client.map(run_task, [tasks[i] for i in ids], pure=False)
        by_key = {f.key: i for f, i in zip(self.futures, ids)}
        # on_start is not called: a submitted task may wait for a worker, and the
        # scheduler does not tell this client when it starts
        for fut in as_completed(self.futures):
            i = by_key[fut.key]
            try:
                outcome = fut.result()
            except Exception as exc:  # noqa: BLE001 - a worker that died outright
                outcome = worker_died(tasks[i], repr(exc))
            on_done(i, outcome)

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def stop(self) -> None:
        if self.futures:
            self.client.cancel(self.futures)
        self.close()
