"""Imported last by the kernels' forkserver (forkkernel.py), after the notebooks' modules.

- The code hashes of the modules whose steps are memoized (memo.py keys a call by its module's
  code), computed once here rather than in every kernel (parsing their imports takes a few
  tenths of a second). Per process, as memo computes them anyway: the code does not change
  during a run.
- What every notebook reads whatever its parameters, read once here: pandera (imported by the
  loaders when they validate: a few tenths of a second), the claims ledger (validated once
  while its file is unchanged: data.load_claims) and the texts of every section. A kernel
  forked from here finds them done. Bad data is not reported here: the notebook that reads
  it meets the error itself, with its message.
- The forkserver leaves without the interpreter's teardown: it holds nothing to flush, and
  freeing pandas, matplotlib and scipy takes most of a second, during which it still holds
  the runner's stdout (a caller reading the runner's output would wait for it). Registered
  last, the handler runs first when the forkserver exits; a forked kernel never runs it
  (multiprocessing ends a child with os._exit).
"""

import atexit
import contextlib
import importlib
import os

from .. import codehash, data, i18n, sections
from ..memo import MEMOIZED_MODULES

for _module in sorted(MEMOIZED_MODULES):
    codehash.module_hash(_module)

with contextlib.suppress(ImportError):  # (an ImportError here would make multiprocessing skip this module)
    importlib.import_module("pandera.pandas")  # once, not by each kernel's first validation
with contextlib.suppress(Exception):
    data.load_claims()
for _path in [i18n.SHARED_TEXTS, *(i18n.section_texts_path(name) for name in sections.names())]:
    with contextlib.suppress(Exception):
        i18n.load_texts(_path)

atexit.register(os._exit, 0)
