"""papermill's nbclient engine with what the runner needs, through papermill's
public extension points only.

Registered as the `ecrights` engine with papermill's public
`papermill_engines.register` when this module is imported. (Not through the
`papermill.engine` entry point: papermill loads entry points while it is
itself being imported, so a module that defines an engine by subclassing
papermill's and is imported before papermill would import itself half-way.)

It overrides `execute_managed_notebook`, the method papermill documents as the
one an engine implements, and adds to the nbclient engine:

- When execution stops with anything but a cell error (a dead kernel, a cell
  timeout, an interrupt), papermill marks every cell "completed" and keeps
  nothing. Here the cell that was running is marked failed (so the cells
  after it stay "pending") and the exception is re-raised as ExecutionStopped
  (or ExecutionInterrupted, still a KeyboardInterrupt), carrying the partial
  notebook and the running cell.
- Kernels over IPC sockets in a private directory (kernel_manager.ipc_kernel_manager).

A second engine, `ecrights-warm` (WarmEngine), runs the notebook in a kernel
that a KernelPool (kernels.py) started and warmed ahead, passed to nbclient
as its kernel manager (nbclient's public `km` argument).

The output notebook is written once, at the end: the runner calls
papermill.execute_notebook with the public `request_save_on_cell_execute=False`.
"""

from __future__ import annotations

from papermill.engines import NBClientEngine, papermill_engines

ENGINE_NAME = "ecrights"
WARM_ENGINE_NAME = "ecrights-warm"


class _Stopped:
    """Where execution stopped: the partial notebook and the cell that was running."""

    def _where(self, cause: BaseException, notebook, cell_index: int | None) -> None:
        self.cause = cause
        self.notebook = notebook
        self.cell_index = cell_index

    @property
    def source(self) -> str:
        return "" if self.cell_index is None else self.notebook.cells[self.cell_index].source

    @property
    def execution_count(self):
        return None if self.cell_index is None else self.notebook.cells[self.cell_index].get("execution_count")


class ExecutionStopped(_Stopped, Exception):
    """Execution ended by something other than a cell's own error (a dead kernel, a timeout)."""

    def __init__(self, cause: BaseException, notebook, cell_index: int | None):
        super().__init__(f"{type(cause).__name__}: {cause}")
        self._where(cause, notebook, cell_index)


class ExecutionInterrupted(_Stopped, KeyboardInterrupt):
    """Execution interrupted (SIGINT, or SIGTERM from the runner): still an interrupt."""

    def __init__(self, cause: BaseException, notebook, cell_index: int | None):
        super().__init__("interrupted")
        self._where(cause, notebook, cell_index)


def running_cell(nb_man) -> int | None:
    """The cell being executed when execution stopped: cells run in order, and
    papermill's manager marks each one as it starts (and, in a `finally`, as
    completed), so it is the last cell that is no longer pending."""
    started = [i for i, cell in enumerate(nb_man.nb.cells)
               if cell.metadata.get("papermill", {}).get("status") != nb_man.PENDING]
    return started[-1] if started else None


class EcrightsEngine(NBClientEngine):
    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):
        try:
            return cls.execute_in_kernel(nb_man, kernel_name, **kwargs)
        except BaseException as exc:
            index = running_cell(nb_man)
            if index is not None:
                nb_man.cell_exception(nb_man.nb.cells[index], cell_index=index, exception=exc)
            stopped = ExecutionInterrupted if isinstance(exc, KeyboardInterrupt) else ExecutionStopped
            raise stopped(exc, nb_man.nb, index) from exc

    @classmethod
    def execute_in_kernel(cls, nb_man, kernel_name, **kwargs):
        """papermill's nbclient engine: a kernel started for this notebook."""
        return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)


class WarmEngine(EcrightsEngine):
    """The same, in a kernel started and warmed ahead (kernels.KernelPool): one
    fresh kernel per notebook, its imports already done while the previous
    notebook ran. papermill still injects the parameters, runs every cell and
    writes the executed notebook; only the kernel start and the imports are
    taken off the notebook's time. Without a warm kernel (it failed to start),
    a kernel is started as by the nbclient engine."""

    @classmethod
    def execute_in_kernel(cls, nb_man, kernel_name, *, kernel_pool=None, kernel_cwd=".", log_output=False,
                          stdout_file=None, stderr_file=None, start_timeout=60, execution_timeout=None, **kwargs):
        warm = kernel_pool.take(kernel_cwd) if kernel_pool is not None else None
        if warm is None:
            if kernel_pool is not None and kernel_pool.failure:
                from papermill.log import logger

                logger.warning("the kernel started ahead could not be used (%s): starting one", kernel_pool.failure)
            return super().execute_in_kernel(nb_man, kernel_name, log_output=log_output, stdout_file=stdout_file,
                                             stderr_file=stderr_file, start_timeout=start_timeout,
                                             execution_timeout=execution_timeout, **kwargs)
        from papermill.clientwrap import PapermillNotebookClient
        from papermill.log import logger
        from papermill.utils import remove_args

        logger.info("executing in a kernel started ahead (its imports done)")
        kwargs = remove_args(["input_path", "timeout", "startup_timeout", "kernel_manager_class"], **kwargs)

        client = PapermillNotebookClient(nb_man, km=warm, timeout=execution_timeout, startup_timeout=start_timeout,
                                         kernel_name=kernel_name, log=logger, log_output=log_output,
                                         stdout_file=stdout_file, stderr_file=stderr_file, **kwargs)
        try:
            # cleanup_kc: the kernel is this notebook's alone; shut down (as `shutdown_kernel` says) after it
            return client.execute(cleanup_kc=True)
        finally:
            kernel_pool.release(warm)


papermill_engines.register(ENGINE_NAME, EcrightsEngine)
papermill_engines.register(WARM_ENGINE_NAME, WarmEngine)
