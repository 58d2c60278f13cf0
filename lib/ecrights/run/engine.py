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
- Kernels over IPC sockets in a private directory (ipc_kernel_manager).

The output notebook is written once, at the end: the runner calls
papermill.execute_notebook with the public `request_save_on_cell_execute=False`.
"""

from __future__ import annotations

from papermill.engines import NBClientEngine, papermill_engines

ENGINE_NAME = "ecrights"


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
            return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)
        except BaseException as exc:
            index = running_cell(nb_man)
            if index is not None:
                nb_man.cell_exception(nb_man.nb.cells[index], cell_index=index, exception=exc)
            stopped = ExecutionInterrupted if isinstance(exc, KeyboardInterrupt) else ExecutionStopped
            raise stopped(exc, nb_man.nb, index) from exc


papermill_engines.register(ENGINE_NAME, EcrightsEngine)


def ipc_kernel_manager(directory: str) -> type:
    """A kernel manager class whose kernels talk over IPC sockets rather than
    TCP ports (so ipykernel has no unencrypted TCP to warn about), with the
    connection file (it holds the kernel's key) and the sockets in
    `directory`: a private place that the runner removes, even when a worker
    was killed before its kernel could clean up."""
    import os
    import uuid

    from jupyter_client import AsyncKernelManager

    class IPCKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.connection_file = os.path.join(directory, f"kernel-{uuid.uuid4().hex[:8]}.json")
            self.transport = "ipc"

    return IPCKernelManager
