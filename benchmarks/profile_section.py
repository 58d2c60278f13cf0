#!/usr/bin/env python3
"""Where one section's time goes: its notebook's code cells run as a script,
each cell timed, and the whole under cProfile.

    .venv/bin/python benchmarks/profile_section.py index_trend [--set proactive_share=0.1] [--no-figures] [--top 25]

The first code cell after the parameters (the imports) is timed as "imports";
every other cell by its first line. Run in a fresh interpreter, like a kernel
(no kernel start or papermill: those are measured by `make bench`). Output
goes to a temporary directory; nothing in build/ is touched except the memo
store (build/cache/memo), which is what a variant would reuse: --cold empties
it first (into a temporary store, build/cache/memo untouched).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def code_cells(notebook: Path) -> list[tuple[list[str], str]]:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    return [(c["metadata"].get("tags", []), "".join(c["source"]))
            for c in nb["cells"] if c["cell_type"] == "code"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("section")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="a parameter (its value read as YAML)")
    parser.add_argument("--no-figures", action="store_true", help="draw_figures=False, as in a sweep variant")
    parser.add_argument("--cold", action="store_true", help="an empty memo store")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--cells-only", action="store_true",
                        help="CPU time per cell without cProfile (whose overhead inflates call-heavy code)")
    args = parser.parse_args()

    import contextlib
    import io

    import yaml

    from ecrights.run import build, validation

    # as in a run: the data validated once, notebooks reading the validated snapshot
    cache_root = build.cache_root(build.paths.default_build_dir())
    validation.finish(validation.begin(cache_root))
    t0 = time.process_time()
    out = tempfile.mkdtemp(prefix="ecrights-profile-")
    if args.cold:
        os.environ["ECRIGHTS_MEMO_DIR"] = str(Path(out) / "memo")
    namespace: dict = {"__name__": "__main__"}
    cells = code_cells(ROOT / "notebooks" / f"{args.section}.ipynb")
    timings: list[tuple[str, float]] = []
    profiler = cProfile.Profile()
    for i, (tags, source) in enumerate(cells):
        if "parameters" in tags:
            exec(compile(source, f"<{args.section}:parameters>", "exec"), namespace)
            for expr in args.set:
                key, value = expr.split("=", 1)
                namespace[key] = yaml.safe_load(value)
            namespace.update(output_dir=out, draw_figures=not args.no_figures,
                             validated_data=str(validation.snapshot_path(cache_root)))
            continue
        name = "imports + start (record, data)" if not timings else source.strip().splitlines()[0][:70]
        start = time.process_time()
        if not args.cells_only:
            profiler.enable()
        with contextlib.redirect_stdout(io.StringIO()):  # the cells' displays
            exec(compile(source, f"<{args.section}:cell {i}>", "exec"), namespace)
        if not args.cells_only:
            profiler.disable()
        timings.append((name, time.process_time() - start))
    total = time.process_time() - t0
    print(f"{args.section}: {total:.2f} CPU s in all (interpreter start not counted"
          + ("" if args.cells_only else "; under cProfile, which inflates call-heavy code") + "); by cell:")
    for name, seconds in sorted(timings, key=lambda t: -t[1]):
        if seconds >= 0.02:
            print(f"  {seconds:6.2f} s  {name}")
    if args.cells_only:
        return 0
    print()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.print_stats(r"ecrights|linprog|savefig|_find_and_load\b", args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
