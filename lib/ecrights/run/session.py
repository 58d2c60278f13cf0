"""What a build and a sweep share: an executor started while the data is
validated, cache hits served and finished runs published by this (main)
process, and one way to stop — on Ctrl-C, SIGTERM or any error — that keeps
every output already published and leaves nothing half-written behind."""

from __future__ import annotations

import shutil
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from ..errors import Interrupted
from . import executors, publish, signals, validation
from .progress import Progress
from .tasks import Outcome, Task, cache_hits


def choose_executor(args, misses: int, report_alongside: bool = False, runtime_dir: str = "",
                    sections: tuple[str, ...] = ()):
    """An executor for `misses` tasks (None: nothing to execute) of these sections; runtime_dir:
    where their kernels (started ahead, executors.py) keep connection files and sockets.

    Worker processes run the tasks when several run in parallel, and whenever
    the report is prepared alongside (report_stage.py): its thread holds the
    GIL for seconds at a time, which would stall a notebook client in this process."""
    if not misses:
        if args.executor == "dask" and args.scheduler:  # nothing to send it, but a wrong address is still wrong
            executors.get("dask")(jobs=args.jobs, scheduler=args.scheduler,
                                  connect_timeout=args.scheduler_timeout).close()
        return None
    if args.executor == "dask":
        return executors.get("dask")(jobs=args.jobs, scheduler=args.scheduler,
                                     connect_timeout=args.scheduler_timeout)
    workers = min(args.jobs, misses)
    if workers == 1 and not report_alongside:
        return executors.get("inline")(runtime_dir=runtime_dir, sections=sections, tasks=misses)
    return executors.get("local")(jobs=workers, runtime_dir=runtime_dir, sections=sections, tasks=misses)


@contextmanager
def runtime_directory():
    """A private directory (mode 0700) for the kernels' connection files and
    IPC sockets of this run, removed at the end whatever happened to the
    workers and their kernels."""
    directory = tempfile.mkdtemp(prefix="ecrights-")
    try:
        yield directory
    finally:
        shutil.rmtree(directory, ignore_errors=True)


class Session:
    """Tasks on an executor. Use as a context manager around everything the
    run does after validation: on leaving with an exception the executor is
    stopped and staging directories removed; an interrupt becomes
    Interrupted(signal, message) with the message of the phase it came in."""

    def __init__(self, tasks: list[Task], args, pending: Path | None, *, report_alongside: bool = False):
        self.tasks = tasks
        self.publish_dir: Path | None = None  # where finished tasks are published (a build's new generation);
        # None: each task's own out_dir (a sweep's variants)
        self.background = None  # a BackgroundReport, if any (report_stage.py)
        # what an interrupt leaves; the caller says more as the run goes on
        self.interrupted_message = ("interrupted: what had finished is in place; running tasks were stopped "
                                    "(partial notebooks in failed/) and queued ones never started")
        self.hits = cache_hits(tasks)
        self.executor = choose_executor(args, len(tasks) - len(self.hits), report_alongside,
                                        tasks[0].runtime_dir if tasks else "",
                                        tuple(sorted({t.section for i, t in enumerate(tasks) if i not in self.hits})))
        try:
            validation.finish(pending)  # the workers' imports overlap this
        except BaseException:  # bad data, or Ctrl-C
            self.stop()
            raise

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, kind, exc, tb) -> None:
        if kind is None:
            return
        self.stop()
        if issubclass(kind, KeyboardInterrupt):
            raise Interrupted(signals.received(), self.interrupted_message) from None

    def stop(self) -> None:
        """Stop everything started; keep every output already published."""
        with signals.deferred(reraise=False):  # a second Ctrl-C does not cut the clean-up short
            if self.background is not None:
                self.background.cancel()
            if self.executor is not None:
                self.executor.stop()
                self.executor = None
            for t in self.tasks:
                for staging in (Path(t.out_dir) / ".staging").glob(f"{t.section}-*"):
                    shutil.rmtree(staging, ignore_errors=True)

    def execute(self, progress: Progress, on_outcome=None) -> list[Outcome]:
        """Serve cache hits here, run the misses on the executor; on_outcome(o)
        is called as each task's outputs are in place."""
        tasks = self.tasks
        outcomes: dict[int, Outcome] = {}

        def done(i: int, o: Outcome) -> None:
            began = time.perf_counter()
            try:
                with signals.deferred():  # a publication is never cut in half
                    target = self.publish_dir or Path(o.out_dir)
                    if o.staging:  # executed: published here, by the main process only
                        publish.publish_staged(Path(o.staging), target, o.section)
                    elif o.status == "cached":
                        publish.publish_from_cache(self.hits[i], target, o.section)
                        o.seconds = time.perf_counter() - began
            except OSError as exc:  # e.g. a full disk: this task failed, the others go on
                if o.staging:
                    shutil.rmtree(o.staging, ignore_errors=True)
                o = publishing_failed(o, exc)
            o.staging = ""
            outcomes[i] = o
            progress.done(o)
            if on_outcome is not None and o.status != "failed":
                on_outcome(o)

        progress.begin(len(self.hits))
        for i in self.hits:
            t = tasks[i]
            done(i, Outcome(t.label, t.section, "cached", 0.0, t.out_dir, variant=t.variant))
        misses = {i: t for i, t in enumerate(tasks) if i not in self.hits}
        if misses:
            progress.executing(self.executor)
            self.executor.run(misses, progress.started, done)
        if self.executor is not None:
            self.executor.close()
            self.executor = None
        progress.close()
        return [outcomes[i] for i in range(len(tasks))]


def publishing_failed(o: Outcome, exc: OSError) -> Outcome:
    return Outcome(o.label, o.section, "failed", o.seconds, o.out_dir, variant=o.variant,
                   error={"kind": "could not put the outputs in place", "cell_index": None, "source": "",
                          "exception": describe_os_error(exc), "traceback": ""})


def describe_os_error(exc: OSError) -> str:
    """'No space left on device: build/claims.csv (while writing claims.csv …)' rather than a repr."""
    text = f"{exc.strerror}: {exc.filename}" if exc.strerror and exc.filename else \
        exc.strerror or str(exc) or type(exc).__name__
    return text + (f" (while {exc.stage})" if getattr(exc, "stage", None) else "")


@contextmanager
def stage(name: str, where: Path):
    """An OSError inside names the stage and, if it does not already, a file (`where`)."""
    try:
        yield
    except OSError as exc:
        if getattr(exc, "stage", None):
            raise
        annotated = OSError(exc.errno, exc.strerror or str(exc) or type(exc).__name__, exc.filename or str(where))
        annotated.stage = name
        raise annotated from exc
