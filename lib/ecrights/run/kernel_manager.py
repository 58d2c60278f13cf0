"""The kernel managers the runner uses: IPC sockets in a private directory, and (for the
warm pool) kernels forked from a preloaded process. Apart from engine.py so that a worker
can start its first kernel before importing papermill (executors._worker_main)."""

from __future__ import annotations

import os
import time
import uuid
from queue import Empty

from jupyter_client import AsyncKernelManager, protocol_version_info
from jupyter_client.asynchronous import AsyncKernelClient
from traitlets import DottedObjectName, Type

from .forkkernel import PROVISIONER_NAME


class ReadyClient(AsyncKernelClient):
    """jupyter_client's asynchronous client, ready as soon as it provably is.

    jupyter_client's wait_for_ready takes the kernel as ready after its kernel_info reply and
    then 0.2 s without an IOPub message (a subscriber may connect late and miss messages, so
    it waits for silence): 0.2 s of every notebook's run, most of a small sweep variant's
    fixed cost. Here the proof is the IOPub 'idle' status of our own kernel_info request:
    once it has arrived, IOPub is connected and nothing of the request is still to come."""

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            msg_id = self.kernel_info()
            if await self._replied(msg_id, deadline) and await self._idle(msg_id, deadline):
                return
            if not await self.is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")

    async def _replied(self, msg_id: str, deadline: float) -> bool:
        while time.monotonic() < deadline:
            try:
                msg = await self.get_shell_msg(timeout=1)
            except Empty:
                return False
            if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "kernel_info_reply":
                # as jupyter_client does with the reply: talk the kernel's protocol version
                major = int(msg["content"]["protocol_version"].split(".")[0])
                if major != protocol_version_info[0]:
                    self.session.adapt_version = major
                return True
        return False

    async def _idle(self, msg_id: str, deadline: float) -> bool:
        """Its 'idle' status on IOPub (within a second: missed, if IOPub connected after it)."""
        until = min(deadline, time.monotonic() + 1.0)
        while time.monotonic() < until:
            try:
                msg = await self.get_iopub_msg(timeout=max(0.0, until - time.monotonic()))
            except Empty:
                return False
            if (msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status"
                    and msg["content"].get("execution_state") == "idle"):
                return True
        return False


def ipc_kernel_manager(directory: str, forked: bool = False) -> type:
    """A kernel manager class whose kernels talk over IPC sockets rather than
    TCP ports (so ipykernel has no unencrypted TCP to warn about), with the
    connection file (it holds the kernel's key) and the sockets in
    `directory`: a private place that the runner removes, even when a worker
    was killed before its kernel could clean up. forked: its kernels are forked
    from the preloaded forkserver (forkkernel.py), named as the kernel spec's
    provisioner, jupyter_client's public way to choose how a kernel is launched."""

    class IPCKernelManager(AsyncKernelManager):
        client_class = DottedObjectName(f"{__name__}.ReadyClient")
        client_factory = Type(ReadyClient, klass=AsyncKernelClient)

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
