"""The kernel managers the runner uses: IPC sockets in a private directory, and (for the
warm pool) kernels forked from a preloaded process. Apart from engine.py so that a worker
can start its first kernel before importing papermill (executors._worker_main)."""

from __future__ import annotations

import os
import uuid

from jupyter_client import AsyncKernelManager

from .forkkernel import PROVISIONER_NAME


def ipc_kernel_manager(directory: str, forked: bool = False) -> type:
    """A kernel manager class whose kernels talk over IPC sockets rather than
    TCP ports (so ipykernel has no unencrypted TCP to warn about), with the
    connection file (it holds the kernel's key) and the sockets in
    `directory`: a private place that the runner removes, even when a worker
    was killed before its kernel could clean up. forked: its kernels are forked
    from the preloaded forkserver (forkkernel.py), named as the kernel spec's
    provisioner, jupyter_client's public way to choose how a kernel is launched."""

    class IPCKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.connection_file = os.path.join(directory, f"kernel-{uuid.uuid4().hex[:8]}.json")
            self.transport = "ipc"

        @property
        def kernel_spec(self):
            spec = super().kernel_spec
            if forked and spec is not None:
                spec.metadata = {**(spec.metadata or {}), "kernel_provisioner": {"provisioner_name": PROVISIONER_NAME}}
            return spec

    return IPCKernelManager
