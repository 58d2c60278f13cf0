"""Imported last by the kernels' forkserver (forkkernel.py), after the notebooks' modules.

- The code hashes of the modules whose steps are memoized (memo.py keys a call by its module's
  code), computed once here rather than in every kernel (parsing their imports takes a few
  tenths of a second). Per process, as memo computes them anyway: the code does not change
  during a run.
- The forkserver leaves without the interpreter's teardown: it holds nothing to flush, and
  freeing pandas, matplotlib and scipy takes most of a second, during which it still holds
  the runner's stdout (a caller reading the runner's output would wait for it). Registered
  last, the handler runs first when the forkserver exits; a forked kernel never runs it
  (multiprocessing ends a child with os._exit).
"""

import atexit
import os

from .. import codehash
from ..memo import MEMOIZED_MODULES

for _module in sorted(MEMOIZED_MODULES):
    codehash.module_hash(_module)

atexit.register(os._exit, 0)
