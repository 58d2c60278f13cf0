"""Imported last by the kernels' forkserver (forkkernel.py), after the notebooks' modules: the
code hashes of the modules whose steps are memoized (memo.py keys a call by its module's code),
computed once here rather than in every kernel (parsing their imports takes a few tenths of a
second). Per process, as memo computes them anyway: the code does not change during a run."""

from .. import codehash
from ..memo import MEMOIZED_MODULES

for _module in sorted(MEMOIZED_MODULES):
    codehash.module_hash(_module)
