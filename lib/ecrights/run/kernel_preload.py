"""Imported first by the kernels' forkserver (forkkernel.py): the inline matplotlib backend,
set as ipykernel sets it when a kernel starts, before matplotlib is imported and reads it."""

import os

if not os.environ.get("MPLBACKEND"):
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
