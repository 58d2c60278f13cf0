"""Executing one notebook task, in a worker process (or inline).

A task runs in a fresh staging directory (its own working directory, so
papermill's cwd handling is never shared between parallel runs). A
successful run is stored in the cache and left in its staging directory for
the runner's main process to publish (publish.py). A failed or interrupted
run leaves the last good outputs untouched and keeps its partial notebook and
its log in `<out>/failed/<UTC time>/` (an interrupted one leaves nothing).
"""

from __future__ import annotations

import errno
import json
import logging
import os
import re
import shutil
import tempfile
import time
import traceback
import uuid
from pathlib import Path

from . import cache
from .publish import LOG_SUBDIR, OUTPUT_SUBDIRS
from .tasks import Outcome, Task


SNAPSHOT_IN_STAGING = "validated/official.json"  # relative to the kernel's working directory
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")


class SectionLog(logging.FileHandler):
    """A section's log file: ANSI colour codes (the kernel's tracebacks carry
    them) stripped; and a write that fails (a full disk) ends the log quietly
    instead of printing "--- Logging error ---" for every later record."""

    broken = False

    def format(self, record: logging.LogRecord) -> str:
        return ANSI_ESCAPE.sub("", super().format(record))

    def emit(self, record: logging.LogRecord) -> None:
        if not self.broken:
            super().emit(record)

    def handleError(self, record: logging.LogRecord) -> None:
        self.broken = True


def _log_handler(path: Path) -> logging.Handler:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = SectionLog(path, mode="w", encoding="utf-8")
    except OSError:  # no log rather than no run; the failure itself is reported by the runner
        return logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    return handler


WRITE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO}


def _describe_error(exc: BaseException) -> dict:
    """Section-level error report: failing cell, its source, the exception."""
    from papermill.exceptions import PapermillExecutionError

    from .engine import ExecutionStopped

    if isinstance(exc, PapermillExecutionError):
        return {"kind": "cell error", "cell_index": exc.cell_index, "execution_count": exc.exec_count,
                "source": exc.source, "exception": f"{exc.ename}: {exc.evalue}",
                "traceback": "\n".join(exc.traceback)}
    cause = exc.cause if isinstance(exc, ExecutionStopped) else exc
    if isinstance(cause, OSError) and cause.errno in WRITE_ERRNOS:  # e.g. a full disk: the cause says it all
        where = f": {cause.filename}" if cause.filename else ""
        return {"kind": "could not write its outputs", "cell_index": None, "source": "",
                "exception": f"{cause.strerror or cause}{where}", "traceback": "",
                "log_traceback": "".join(traceback.format_exception(cause))}
    name = type(cause).__name__
    kind = {"DeadKernelError": "kernel died", "CellTimeoutError": "cell timed out",
            "TimeoutError": "cell timed out"}.get(name, "runner error")
    error = {"kind": kind, "cell_index": None, "source": "", "exception": f"{name}: {cause}",
             "traceback": "".join(traceback.format_exception(cause))}
    if isinstance(exc, ExecutionStopped) and exc.cell_index is not None:
        error.update(cell_index=exc.cell_index, execution_count=exc.execution_count, source=exc.source)
        if kind != "runner error":  # the cell says where; the runner's own stack says nothing more
            error["log_traceback"], error["traceback"] = error["traceback"], ""
    return error


FAILED_KEPT = 10  # failure evidence kept per section


def _keep_failure_evidence(exc: BaseException, executed: Path, log: Path, out_dir: Path, section: str) -> str:
    """The partial notebook and the log of a failed run, into failed/<UTC time>/
    (the notebook written whole or not at all); the last FAILED_KEPT per section
    stay, whatever later runs do. Returns the notebook's path ("" if none)."""
    import nbformat

    notebook = getattr(exc, "notebook", None)
    if notebook is None and executed.is_file():  # papermill wrote it, with its error marker
        try:
            notebook = nbformat.read(executed, as_version=4)
        except Exception:  # noqa: BLE001 - truncated (e.g. a full disk): not kept
            notebook = None
    when = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    folder = out_dir / "failed" / when
    if (folder / f"{section}.ipynb").exists() or (folder / f"{section}.log").exists():
        folder = folder.with_name(f"{when}-{uuid.uuid4().hex[:6]}")
    kept = ""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if log.is_file():
            shutil.copyfile(log, folder / f"{section}.log")
        if notebook is not None:
            failed = folder / f"{section}.ipynb"
            tmp = failed.with_name(f".{failed.name}.{uuid.uuid4().hex[:6]}.tmp")
            try:
                nbformat.write(notebook, tmp)
                os.replace(tmp, failed)
                kept = str(failed)
            finally:
                tmp.unlink(missing_ok=True)
        _prune_failures(out_dir / "failed", section)
    except OSError:
        pass  # a full disk: the failure is still reported by the runner
    return kept


def _prune_failures(failed_root: Path, section: str) -> None:
    """Only the last FAILED_KEPT failures of a section stay (folder names sort by time)."""
    folders = sorted({p.parent for p in failed_root.glob(f"*/{section}.*")}, key=lambda p: p.name)
    for old in folders[:-FAILED_KEPT]:
        for path in old.glob(f"{section}.*"):
            path.unlink(missing_ok=True)
        if not any(old.iterdir()):
            old.rmdir()


_running = False  # a task is executing in this (worker) process
_terminated = False
_pool = None  # this process's KernelPool (kernels.py), if its tasks run in warm kernels


def use_kernel_pool(runtime_dir: str, sections: tuple[str, ...] = (), several: bool = False):
    """Run this process's tasks in kernels started and warmed ahead (with the imports of
    these sections' notebooks); the first starts now. several: this process will run more
    than one task (their kernels are forked: kernels.py)."""
    global _pool
    from .kernels import KernelPool

    if _pool is None:
        _pool = KernelPool(runtime_dir, sections, several=several)
    _pool.warm_next()
    return _pool


def close_kernel_pool() -> None:
    global _pool
    if _pool is not None:
        _pool.close()
        _pool = None


def _on_terminate(signum, frame) -> None:
    """SIGTERM from LocalExecutor.stop: a running task unwinds as if interrupted (its
    kernel is shut down, its staging directory removed), then the worker exits
    without taking the next task already queued for it; an idle worker just exits."""
    global _terminated
    _terminated = True
    if _running:
        raise KeyboardInterrupt
    if _pool is not None:
        _pool.kill_now()
    os._exit(128 + signum)


def run_task(task: Task, warm_next: bool = False) -> Outcome:
    """Execute one task (the caller has already served cache hits) and store
    the successful run in the cache; the caller publishes it from
    outcome.staging. warm_next: with a kernel pool, warm the kernel of a next
    task while this one runs (the caller knows whether one will come)."""
    global _running
    _running = True
    try:
        return _run_task(task, warm_next)
    finally:
        _running = False
        if _terminated:
            if _pool is not None:
                _pool.kill_now()
            os._exit(143)


def _run_task(task: Task, warm_next: bool = False) -> Outcome:
    start = time.perf_counter()
    out_dir = Path(task.out_dir)
    staging = out_dir / ".staging" / f"{task.section}-{uuid.uuid4().hex[:8]}"
    executed = staging / "notebooks" / f"{task.section}.ipynb"
    logger = logging.getLogger("papermill")
    logger.setLevel(logging.INFO)
    log = staging / LOG_SUBDIR / f"{task.section}.log"  # published with the run (failed: kept in failed/)
    handler = _log_handler(log)
    logger.addHandler(handler)
    kernel_dir = None
    try:
        for sub in OUTPUT_SUBDIRS:
            (staging / sub).mkdir(parents=True, exist_ok=True)
        kernel_dir = _kernel_directory(task)
        injected = {"language": task.language, "draw_figures": task.draw_figures, "output_dir": "."}
        if task.validated_data:  # a private copy, under a path that is the same in every run
            (staging / "validated").mkdir()
            shutil.copyfile(task.validated_data, staging / SNAPSHOT_IN_STAGING)
            injected["validated_data"] = SNAPSHOT_IN_STAGING
        import papermill

        from .engine import ENGINE_NAME, WARM_ENGINE_NAME  # registers the engines
        from .kernel_manager import ipc_kernel_manager

        if _pool is not None:
            _pool.ahead = warm_next
        papermill.execute_notebook(
            task.notebook, str(executed),
            # output_dir relative to the kernel's working directory (the staging
            # directory): no staging path in the executed notebook
            parameters={**task.parameters, **injected},
            # the kernel works in the staging directory (nbclient's `resources` path, or the warm
            # kernel's working directory); this process does not change its own (papermill's `cwd`
            # would): a kernel started meanwhile on the pool's thread would take it as its own,
            # and a staging directory is gone once its task is published
            resources={"metadata": {"path": str(staging)}}, kernel_name="python3", progress_bar=False,
            engine_name=ENGINE_NAME if _pool is None else WARM_ENGINE_NAME,
            log_output=True, execution_timeout=task.timeout, start_timeout=120,
            # the executed notebook is written once, at the end (or on a cell error):
            # not ~50 times per section, full of PNGs, while nobody reads it
            request_save_on_cell_execute=False,
            # every output has arrived when the last cell ends: kill the kernel rather
            # than wait ~0.5 s for a graceful exit (history writes nobody reads)
            shutdown_kernel="immediate",
            kernel_manager_class=ipc_kernel_manager(str(kernel_dir)),
            **({} if _pool is None else {"kernel_pool": _pool, "kernel_cwd": str(staging)}),
        )
        results_file = staging / "results" / f"{task.section}.json"
        if not results_file.is_file():
            raise RuntimeError(f"the notebook ran but wrote no {results_file.name} (its last cell must call record.save())")
        json.loads(results_file.read_text(encoding="utf-8"))
        _normalise(executed, staging)
        # every successful run refreshes its cache entry (a forced one too)
        cache.store(Path(task.cache_root), task.section, task.key, staging)
        return Outcome(task.label, task.section, "done", time.perf_counter() - start, task.out_dir,
                       variant=task.variant, staging=str(staging))
    except BaseException as exc:  # noqa: BLE001 - report every failure, keep going
        error = _describe_error(exc)
        logger.error("section %s failed: %s\n%s", task.section, error["exception"],
                     error.pop("log_traceback", error["traceback"]))
        if isinstance(exc, KeyboardInterrupt):  # stopped, not failed: no failure evidence
            shutil.rmtree(staging, ignore_errors=True)
            raise
        failed = _keep_failure_evidence(exc, executed, log, out_dir, task.section)
        shutil.rmtree(staging, ignore_errors=True)
        return Outcome(task.label, task.section, "failed", time.perf_counter() - start, task.out_dir,
                       error=error, failed_notebook=failed, variant=task.variant)
    finally:
        logger.removeHandler(handler)
        handler.close()
        if kernel_dir is not None:
            shutil.rmtree(kernel_dir, ignore_errors=True)


def _kernel_directory(task: Task) -> Path:
    """A private directory for this task's kernel connection file and sockets:
    inside the run's runtime directory (which the runner removes in any case),
    short enough for a Unix socket path."""
    root = Path(task.runtime_dir or tempfile.gettempdir())
    root.mkdir(mode=0o700, parents=True, exist_ok=True)  # on a Dask worker elsewhere, made here
    return Path(tempfile.mkdtemp(prefix="k", dir=root))


def _stop_when_orphaned(interval: float = 1.0) -> None:
    """A worker whose runner was killed (SIGKILL: no chance to stop it) stops too, as if
    stopped by the runner: its kernel shut down, no failure recorded. Left running, it
    would go on writing into an output directory the next run is already cleaning, and
    fail there: a failure of a section that did not fail."""
    import signal
    import threading

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="orphan-watch", daemon=True).start()


def worker_signals() -> None:
    """A worker's signals: Ctrl-C is the main process's to handle (it stops the workers:
    LocalExecutor.stop); SIGTERM unwinds a running task; a worker left orphaned stops."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_terminate)
    _stop_when_orphaned()


def warm_up() -> None:
    """A worker's imports every task needs (papermill and nbclient, ~1 s), done while the
    main process is still validating data and the worker's first kernel starts
    (executors._worker_main: after worker_signals and the kernel pool)."""
    import papermill  # noqa: F401

    from . import engine  # noqa: F401 - registers the engine


def _relative(value, prefixes: list[str]):
    """Text with the staging directory's path removed (lists of lines too)."""
    if isinstance(value, str):
        for prefix in prefixes:
            value = value.replace(prefix, "")
        return value
    if isinstance(value, list):
        return [_relative(v, prefixes) for v in value]
    return value


def _normalise(path: Path, staging: Path) -> None:
    """Identical runs give byte-identical notebooks: run timestamps, durations
    and paths dropped; the cell papermill injects gets a fixed id instead of a
    random one; the staging directory's path (a cell showing a saved file's
    path) made relative in outputs. Written whole, then renamed."""
    prefixes = sorted({f"{staging}/", f"{staging.resolve()}/"}, key=len, reverse=True)
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            for key in ("text", "evalue", "traceback"):
                if key in output:
                    output[key] = _relative(output[key], prefixes)
            for mime, value in output.get("data", {}).items():
                if mime.startswith("text/"):
                    output["data"][mime] = _relative(value, prefixes)
    pm = nb.get("metadata", {}).get("papermill", {})
    for key in ("start_time", "end_time", "duration", "input_path", "output_path"):
        pm.pop(key, None)
    for cell in nb.get("cells", []):
        meta = cell.get("metadata", {})
        meta.pop("execution", None)
        mpm = meta.get("papermill", {})
        for key in ("start_time", "end_time", "duration"):
            mpm.pop(key, None)
        if "injected-parameters" in meta.get("tags", []) and "id" in cell:
            cell["id"] = "injected-parameters"
    tmp = path.with_suffix(".ipynb.tmp")
    tmp.write_text(json.dumps(nb, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)
