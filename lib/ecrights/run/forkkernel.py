"""Kernels forked from a process that has already imported what the notebooks import.

A kernel started the usual way (`python -m ipykernel_launcher -f …`) spends about
two seconds of CPU importing pandas, matplotlib, scipy and the library before a
notebook's first cell can use them: in a sweep, the same two seconds per variant,
most of a variant's cost. Here a multiprocessing *forkserver* (one per process
that runs notebooks) imports them once (`preload`), and each kernel is a fork of
it that then starts ipykernel on the connection file jupyter_client wrote. Each
kernel is still a process of its own, used for one notebook and shut down:
variants stay isolated (a fork of a process that has only imported modules
carries no state from another notebook).

It plugs in through jupyter_client's public extension point, a kernel
provisioner (registered under the `jupyter_client.kernel_provisioners` entry
point in pyproject.toml as `ecrights-fork`), chosen by the kernel managers of
the warm pool (kernels.py). A command the forkserver cannot run as asked (another
Python, not ipykernel) is launched the usual way.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.util
import os
import shutil
import subprocess
import sys

from jupyter_client.provisioning import LocalProvisioner

PROVISIONER_NAME = "ecrights-fork"
PRELOAD_FIRST = "ecrights.run.kernel_preload"  # sets what ipykernel sets before matplotlib is imported
PRELOAD_LAST = "ecrights.run.kernel_preloaded"  # what the imported modules let us compute ahead
KERNEL_MODULES = ("ipykernel.kernelapp", "ipykernel.ipkernel", "matplotlib_inline.backend_inline")


def context():
    return multiprocessing.get_context("forkserver")


_temporary: str | None = None  # multiprocessing's temporary directory, once the forkserver has used it


def _note_temporary() -> None:
    global _temporary
    _temporary = multiprocessing.util.get_temp_dir()  # made by now: the forkserver's socket is in it


def remove_temporary_files() -> None:
    """multiprocessing keeps the forkserver's socket in a temporary directory (pymp-…) that it
    removes only when this process exits normally; a worker stopped by the runner exits at once
    (execute._on_terminate), after calling this."""
    if _temporary:
        shutil.rmtree(_temporary, ignore_errors=True)


def preload(modules: tuple[str, ...]) -> None:
    """What the forkserver imports before its first fork (it starts with the first kernel,
    so this must come first; a module that fails to import is skipped by multiprocessing).
    `__main__`: the runner's main module (run_all.py), imported once there; otherwise every
    kernel would import it again, as multiprocessing prepares a child (so, as for any
    multiprocessing program, a main script runs its work under `if __name__ == "__main__"`)."""
    context().set_forkserver_preload(["__main__", PRELOAD_FIRST, *KERNEL_MODULES, *modules, PRELOAD_LAST])


def start_server() -> None:
    """Start the forkserver now (its imports take seconds), ahead of the first fork: when a
    process will run several notebooks, the second kernel need not wait for them."""
    from multiprocessing import forkserver  # noqa: PLC0415 - the forkserver start method's own module

    forkserver.ensure_running()
    _note_temporary()


def _kernel_main(argv: list[str], cwd: str, env: dict[str, str]) -> None:
    """In the forked child: what `python -m ipykernel_launcher ARGV` does, in `cwd` with `env`."""
    os.setsid()  # its own session, as jupyter_client starts kernels: a terminal's Ctrl-C is the runner's
    # only stdin, stdout and stderr, as a kernel jupyter_client starts (Popen's close_fds): the
    # descriptors multiprocessing hands a child keep the forkserver alive while the child lives,
    # and the forkserver keeps the kernel alive (its parent, watched: ipykernel's parent poller):
    # a runner killed outright would leave both running. Without them, the forkserver ends with
    # the runner, and the kernel with the forkserver.
    os.closerange(3, os.sysconf("SC_OPEN_MAX"))
    sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115 - this process's stdin until it exits
    os.environ.clear()
    os.environ.update(env)
    try:
        os.chdir(cwd)
    except FileNotFoundError:  # its directory is gone: the run ended (removing it) while this kernel was forked
        os._exit(1)  # quietly: the pool, if still waiting, sees a kernel that died and says so
    from ipykernel import kernelapp  # noqa: PLC0415 - preloaded: already in sys.modules

    # what jupyter_client's launcher passes as JPY_PARENT_PID, which ipykernel read when the forkserver
    # imported it: the kernel ends if its parent (the forkserver) goes, and prints no console banner
    kernelapp.launch_new_instance(argv=[*argv, f"--IPKernelApp.parent_handle={os.getppid()}"])


class ForkedProcess:
    """The few Popen methods jupyter_client's LocalProvisioner uses, for a kernel forked by
    the forkserver (multiprocessing tracks it: its exit code, kill, terminate)."""

    stdin = stdout = stderr = None

    def __init__(self, process):
        self._process = process
        self.pid = process.pid

    def poll(self) -> int | None:
        return self._process.exitcode

    def wait(self, timeout: float | None = None) -> int | None:
        self._process.join(timeout)
        if self._process.exitcode is None:
            raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout)
        return self._process.exitcode

    def send_signal(self, signum: int) -> None:
        if self._process.exitcode is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self._process.kill()

    def terminate(self) -> None:
        self._process.terminate()


def ipykernel_arguments(cmd: list[str]) -> list[str] | None:
    """The ipykernel arguments of `python [-X…] -m ipykernel_launcher ARGS`, when that Python is
    this one (the forkserver runs this interpreter); None for any other command. -X options
    (ipykernel's spec adds -Xfrozen_modules=off, for debuggers) do not change what runs."""
    try:
        at = cmd.index("-m")
    except ValueError:
        return None
    if cmd[at + 1:at + 2] != ["ipykernel_launcher"] or not all(o.startswith("-X") for o in cmd[1:at]):
        return None
    try:
        same = os.path.samefile(cmd[0], sys.executable)
    except OSError:
        return None
    return list(cmd[at + 2:]) if same else None


class ForkProvisioner(LocalProvisioner):
    """LocalProvisioner whose kernels are forked from the preloaded forkserver."""

    async def launch_kernel(self, cmd: list[str], **kwargs):
        argv = ipykernel_arguments(cmd)
        if argv is None:
            return await super().launch_kernel(cmd, **kwargs)
        env = {str(k): str(v) for k, v in (kwargs.get("env") or os.environ).items()}
        cwd = str(kwargs.get("cwd") or os.getcwd())
        # daemonic: a kernel left running when its process exits is ended with it, never waited for
        process = context().Process(target=_kernel_main, args=(argv, cwd, env), daemon=True, name="ecrights-kernel")
        process.start()
        _note_temporary()
        self.process = ForkedProcess(process)
        self.pid = process.pid
        self.pgid = None  # its own session; signals go to the kernel itself (a group id read now could race setsid)
        self.cwd = cwd
        return self.connection_info
