"""Executing one notebook task in a worker process, and publishing it.

A task runs in a fresh staging directory (its own working directory, so
papermill's cwd handling is never shared between parallel runs). Only a
successful run is stored in the cache and then moved into place, file by
file with os.replace; a failed or interrupted run leaves the last good
outputs untouched and keeps its partial notebook in `<out>/failed/`.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
import traceback
import uuid
from pathlib import Path

from . import cache
from .tasks import Outcome, Task

OUTPUT_SUBDIRS = ("notebooks", "results", "figures")


def _log_handler(path: Path) -> logging.Handler:
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, mode="w", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    return handler


def _describe_error(exc: BaseException) -> dict:
    """Section-level error report: failing cell, its source, the exception."""
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        return {"kind": "cell error", "cell_index": exc.cell_index, "execution_count": exc.exec_count,
                "source": exc.source, "exception": f"{exc.ename}: {exc.evalue}",
                "traceback": "\n".join(exc.traceback)}
    name = type(exc).__name__
    kind = {"DeadKernelError": "kernel died", "CellTimeoutError": "cell timed out",
            "TimeoutError": "cell timed out"}.get(name, "runner error")
    return {"kind": kind, "cell_index": None, "source": "", "exception": f"{name}: {exc}",
            "traceback": "".join(traceback.format_exception(exc))}


_running = False  # a task is executing in this (worker) process
_terminated = False


def _on_terminate(signum, frame) -> None:
    """SIGTERM from stop_workers: a running task unwinds as if interrupted (its
    kernel is shut down, its staging directory removed), then the worker exits
    without taking the next task already queued for it; an idle worker just exits."""
    global _terminated
    _terminated = True
    if _running:
        raise KeyboardInterrupt
    os._exit(128 + signum)


def run_task(task: Task) -> Outcome:
    """Execute one task (the caller has already served cache hits), store the
    successful run in the cache and publish it."""
    global _running
    _running = True
    try:
        return _run_task(task)
    finally:
        _running = False
        if _terminated:
            os._exit(143)


def _run_task(task: Task) -> Outcome:
    start = time.perf_counter()
    out_dir = Path(task.out_dir)

    staging = out_dir / ".staging" / f"{task.section}-{uuid.uuid4().hex[:8]}"
    for sub in OUTPUT_SUBDIRS:
        (staging / sub).mkdir(parents=True, exist_ok=True)
    executed = staging / "notebooks" / f"{task.section}.ipynb"
    log_path = out_dir / "logs" / f"{task.section}.log"
    handler = _log_handler(log_path)
    logger = logging.getLogger("papermill")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        import papermill

        _register_engine()
        papermill.execute_notebook(
            task.notebook, str(executed),
            parameters={**task.parameters, "output_dir": str(staging)},
            cwd=str(staging), kernel_name="python3", progress_bar=False, engine_name=ENGINE_NAME,
            log_output=True, execution_timeout=task.timeout, start_timeout=120,
            # every output has arrived when the last cell ends: kill the kernel rather
            # than wait ~0.5 s for a graceful exit (history writes nobody reads)
            shutdown_kernel="immediate",
        )
        results_file = staging / "results" / f"{task.section}.json"
        if not results_file.is_file():
            raise RuntimeError(f"the notebook ran but wrote no {results_file.name} (its last cell must call record.save())")
        json.loads(results_file.read_text(encoding="utf-8"))
        _strip_volatile_metadata(executed)
        # every successful run refreshes its cache entry (a forced one too)
        cache.store(Path(task.cache_root), task.section, task.key, staging)
        _publish(staging, out_dir, task.section)
        shutil.rmtree(staging, ignore_errors=True)
        return Outcome(task.label, task.section, "done", time.perf_counter() - start, task.out_dir,
                       variant=task.variant)
    except BaseException as exc:  # noqa: BLE001 - report every failure, keep going
        error = _describe_error(exc)
        logger.error("section %s failed: %s\n%s", task.section, error["exception"], error["traceback"])
        failed = ""
        if executed.is_file():
            failed_dir = out_dir / "failed"
            failed_dir.mkdir(parents=True, exist_ok=True)
            failed = str(failed_dir / f"{task.section}.ipynb")
            os.replace(executed, failed)
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, KeyboardInterrupt):
            raise
        return Outcome(task.label, task.section, "failed", time.perf_counter() - start, task.out_dir,
                       error=error, failed_notebook=failed, variant=task.variant)
    finally:
        logger.removeHandler(handler)
        handler.close()


ENGINE_NAME = "ecrights"


def warm_up() -> None:
    """A worker's initializer: the imports every task needs (papermill and
    nbclient, ~1 s), done while the main process is still validating data.
    Ctrl-C is the main process's to handle: it stops the workers (stop_workers)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_terminate)
    import papermill  # noqa: F401

    _register_engine()


def _register_engine() -> None:
    """papermill's nbclient engine, writing the output notebook once when execution
    ends (success, failure, timeout or dead kernel) instead of at every cell start
    and end: ~50 serialisations of a notebook full of PNGs per section, which nobody
    reads while the run is short-lived and staged in its own directory."""
    from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines

    if ENGINE_NAME in papermill_engines._engines:
        return

    class FinalSaveManager(NotebookExecutionManager):
        final = False

        def save(self, **kwargs):
            if self.final:
                return super().save(**kwargs)
            return None

        def notebook_complete(self, **kwargs):
            self.final = True
            return super().notebook_complete(**kwargs)

    class FinalSaveEngine(NBClientEngine):
        @classmethod
        def execute_notebook(cls, nb, kernel_name, output_path=None, progress_bar=True, log_output=False,
                             autosave_cell_every=30, **kwargs):
            # papermill's Engine.execute_notebook, with the manager above
            nb_man = FinalSaveManager(nb, output_path=output_path, progress_bar=progress_bar,
                                      log_output=log_output, autosave_cell_every=autosave_cell_every)
            nb_man.notebook_start()
            try:
                cls.execute_managed_notebook(nb_man, kernel_name, log_output=log_output, **kwargs)
            finally:
                nb_man.cleanup_pbar()
                nb_man.notebook_complete()
            return nb_man.nb

    papermill_engines.register(ENGINE_NAME, FinalSaveEngine)


def _strip_volatile_metadata(path: Path) -> None:
    """Drop run timestamps and durations so identical runs give identical notebooks."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    pm = nb.get("metadata", {}).get("papermill", {})
    for key in ("start_time", "end_time", "duration", "input_path", "output_path"):
        pm.pop(key, None)
    for cell in nb.get("cells", []):
        meta = cell.get("metadata", {})
        meta.pop("execution", None)
        mpm = meta.get("papermill", {})
        for key in ("start_time", "end_time", "duration"):
            mpm.pop(key, None)
    path.write_text(json.dumps(nb, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def _publish(source: Path, out_dir: Path, section: str) -> None:
    """Move a finished run's files into place; drop this section's stale figures."""
    new_figures = {p.name for p in (source / "figures").glob("*")}
    figures_dir = out_dir / "figures"
    if figures_dir.is_dir():
        for old in figures_dir.glob(f"{section}-*"):
            if old.name not in new_figures:
                old.unlink()
    for sub in OUTPUT_SUBDIRS:
        (out_dir / sub).mkdir(parents=True, exist_ok=True)
        for item in sorted((source / sub).glob("*")):
            os.replace(item, out_dir / sub / item.name)
    stale_failure = out_dir / "failed" / f"{section}.ipynb"
    if stale_failure.exists():
        stale_failure.unlink()
