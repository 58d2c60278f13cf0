"""Command line: `python run_all.py [options]` (also the `ecrights` script).

Parses, dispatches, and turns an error into its exit code in one place
(exit_code): 0 ok; 1 a section failed (the others still ran) or the system
failed (e.g. the disk is full); 2 bad input (parameters, data, manifest,
command line) — detected before any kernel starts; 130 / 143 interrupted
(SIGINT / SIGTERM).
"""

from __future__ import annotations

import argparse
import math
import os
import signal
import sys
from pathlib import Path

from .. import data as data_mod
from .. import params as params_mod
from .. import paths, sections
from ..errors import EcrightsError, InputError, Interrupted, SectionFailed
from ..i18n import LANGUAGES
from . import signals
from .session import describe_os_error

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2
EXIT_INTERRUPTED = 128 + signal.SIGINT  # the shell's code for Ctrl-C

# Bad input. data.DataError and params.ParameterError are listed until they
# derive from ecrights.errors.InputError (issue 13's restructure).
INPUT_ERRORS = (InputError, data_mod.DataError, params_mod.ParameterError)


def exit_code(exc: BaseException) -> int:
    """The one place where an error becomes an exit code."""
    if isinstance(exc, Interrupted):
        return 128 + int(exc.signum)
    if isinstance(exc, KeyboardInterrupt):
        return 128 + int(signals.received())
    if isinstance(exc, INPUT_ERRORS):
        return EXIT_BAD_INPUT
    if isinstance(exc, (SectionFailed, EcrightsError, OSError)):
        return EXIT_FAILED
    raise exc  # a bug: let Python show its traceback


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="run_all.py",
        description="Execute the section notebooks of the ecrights-2019 reproduction and build the report.",
        epilog="Exit codes: 0 ok; 1 a section failed, or the system did (e.g. a full disk); 2 bad input "
               "(nothing was run); 130 interrupted (Ctrl-C), 143 terminated (SIGTERM).")
    p.add_argument("--sections", nargs="+", metavar="NAME", help=f"run only these (default: all): {', '.join(sections.names())}")
    p.add_argument("--params", type=Path, metavar="FILE",
                   help="a named parameter set layered over params/defaults.yaml, e.g. params/scenarios/<name>.yaml; "
                        "its build goes to build/scenarios/<name>/ unless --output-dir is given")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="SECTION.KEY=VALUE",
                   help="override one parameter (repeatable), e.g. --set promotion_effects.window=3")
    p.add_argument("--list", action="store_true", help="list sections and their effective parameters, then exit")
    p.add_argument("--lang", choices=LANGUAGES, default="zh",
                   help="the edition's language: figure labels, tables, explanations (default zh)")
    p.add_argument("--output-dir", type=Path, default=None, metavar="DIR",
                   help="where to write outputs (default: build/; build/en/ with --lang en)")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, metavar="N", help="parallel workers (default: number of cores)")
    p.add_argument("--force", nargs="*", metavar="NAME", default=None,
                   help="re-execute even when cached: all sections, or only those named")
    p.add_argument("--timeout", type=int, default=600, metavar="SECONDS", help="per-cell timeout (default 600)")
    p.add_argument("--no-report", action="store_true",
                   help="skip assembling the reader's edition (build/report.*) and the audit (build/audit.*)")
    p.add_argument("--no-pdf", action="store_true", help="no PDF of the reader's edition (faster while iterating)")
    p.add_argument("--audit-pdf", action="store_true", help="also write the audit as PDF (build/audit.pdf; slow)")
    p.add_argument("--audit-docx", action="store_true", help="also write the audit for Word (build/audit.docx)")
    p.add_argument("--include-code", action="store_true", help="show the notebooks' code cells in the report")
    p.add_argument("--include-sweeps", nargs="*", metavar="NAME", default=None,
                   help="add an appendix with the sweeps in build/sweeps/ (all, or those named)")
    p.add_argument("--update-manifest", action="store_true",
                   help="rewrite data/MANIFEST.sha256 from data/ (listing what changed) and exit")
    p.add_argument("--allow-removal", action="store_true",
                   help="with --update-manifest: let it drop a file that a section declares it reads")
    p.add_argument("--compare", nargs=2, type=Path, metavar=("DIR_A", "DIR_B"),
                   help="what differs between two builds (parameters, results, claim statuses): printed, and "
                        "written as CSV and HTML into --output-dir (default build/compare/<A>-vs-<B>/)")
    p.add_argument("--sweep", type=Path, metavar="FILE", help="run a sweep (params/sweeps/<name>.yaml) instead of the report")
    p.add_argument("--sweep-figures", action="store_true",
                   help="draw every variant's figures too (a sweep tabulates results: by default its variants draw none)")
    p.add_argument("--grid", action="append", default=[], metavar="SECTION.KEY=V1,V2,...",
                   help="run a sweep over these values (repeatable: the cartesian product; shared.KEY for a "
                        "parameter several sections use), e.g. --grid index_trend.proactive_share=0.05,0.09,0.15")
    p.add_argument("--sensitivity", nargs="*", metavar="SECTION", default=None,
                   help="move each assumption alone across its declared plausible range and draw a tornado chart "
                        "per headline result, with a CSV, into build/sensitivity/<section>/ (all sections with "
                        "declared ranges, or those named)")
    p.add_argument("--executor", choices=["local", "dask"], default="local",
                   help="local worker processes (default) or a Dask distributed cluster")
    p.add_argument("--scheduler", metavar="ADDRESS", default=None,
                   help="with --executor dask: a scheduler address (default: a local cluster of --jobs workers)")
    p.add_argument("--scheduler-timeout", type=float, default=10, metavar="SECONDS",
                   help="with --scheduler: how long to try to reach it (default 10)")
    return p


def check_options(args) -> tuple[list[str], set[str]]:
    """Options that are wrong on their own; returns (sections chosen, sections forced)."""
    if args.jobs < 1:
        raise InputError(f"--jobs must be at least 1, got {args.jobs}")
    if args.scheduler and args.executor != "dask":
        raise InputError(f"--scheduler {args.scheduler} needs --executor dask (without it the run would "
                         "silently be local)")
    if not math.isfinite(args.scheduler_timeout) or args.scheduler_timeout <= 0:
        raise InputError(f"--scheduler-timeout must be a positive number of seconds, got {args.scheduler_timeout}")
    if args.timeout < 1:
        raise InputError(f"--timeout must be at least 1 second, got {args.timeout}")
    chosen = args.sections or sections.names()
    unknown = [s for s in chosen if s not in sections.SECTIONS]
    if unknown:
        raise InputError(f"unknown section(s) {unknown}; expected some of {sections.names()}")
    forced = set(chosen) if args.force == [] else set(args.force or [])
    if forced - set(sections.SECTIONS):
        raise InputError(f"--force names unknown section(s) {sorted(forced - set(sections.SECTIONS))}")
    return chosen, forced


def dispatch(args) -> int:
    if args.allow_removal and not args.update_manifest:
        raise InputError("--allow-removal goes with --update-manifest")
    if args.update_manifest:
        from . import manifest

        try:
            change = manifest.update(allow_removal=args.allow_removal)
        except data_mod.DataError as exc:
            raise data_mod.DataError(f"{exc}\nthe manifest was not updated") from None
        print(manifest.describe(change, paths.data_dir() / data_mod.MANIFEST_NAME))
        return EXIT_OK
    if args.compare:
        from .compare import run_compare

        return run_compare(*args.compare, output_dir=args.output_dir)
    chosen, forced = check_options(args)
    explorations = [flag for flag, on in (("--sweep", args.sweep), ("--grid", args.grid),
                                          ("--sensitivity", args.sensitivity is not None)) if on]
    if len(explorations) > 1:
        raise InputError(f"{' and '.join(explorations)}: one at a time")
    if (args.grid or args.sensitivity is not None) and not args.list:
        if args.params or args.overrides or args.sections:
            raise InputError("--params, --set and --sections do not apply to --grid or --sensitivity: they name "
                             "the sections and move the parameters themselves from params/defaults.yaml")
        if args.grid:
            from .sensitivity import grid_plan
            from .sweep_run import run_sweep

            return run_sweep(args, grid_plan(args.grid))
        from .sensitivity import run_sensitivity

        return run_sensitivity(args)
    if args.sweep and not args.list:
        from .sweep_run import run_sweep

        if args.params or args.overrides or args.sections:
            raise InputError("--params, --set and --sections do not apply to a sweep: its file names the section, "
                             "and fixed values go in its `base`")
        return run_sweep(args)
    from .build import run_build

    return run_build(args, chosen, forced)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    with signals.handled():
        try:
            return dispatch(args)
        except BaseException as exc:  # noqa: BLE001 - mapped to an exit code below
            if isinstance(exc, SystemExit):
                raise
            code = exit_code(exc)
            if isinstance(exc, (Interrupted, KeyboardInterrupt)):
                print(f"\n{str(exc) or 'interrupted before anything ran'}", file=sys.stderr)
            elif isinstance(exc, OSError):
                print(f"error: {describe_os_error(exc)}", file=sys.stderr)
            else:
                print(f"error: {exc}", file=sys.stderr)
            return code
