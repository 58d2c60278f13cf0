#!/usr/bin/env python3
"""Build the whole reproduction: every section notebook, claims, report.

    python run_all.py --help
"""
import os
import sys

if __name__ == "__main__":
    # imported here, not at the top: worker processes and the kernels' forkserver import this
    # file again as multiprocessing's main module, and the runner's imports (pandas, matplotlib;
    # ~0.5 s, measured) would delay each one's first kernel
    from ecrights.run.cli import main  # noqa: PLC0415

    code = main()
    # Everything is written, published and closed by now (workers joined, kernels shut down,
    # temporary directories removed): leave without the interpreter's teardown, which spends
    # most of a second freeing pandas, matplotlib and scipy — a tenth of a one-parameter rebuild.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
