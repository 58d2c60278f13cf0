"""Command line: `python run_all.py [options]` (also the `ecrights` script).

Exit codes: 0 every section succeeded; 1 a section failed (the others still
ran); 2 bad input (parameters, data, manifest, section names) — detected
before any kernel starts; 130 interrupted (Ctrl-C: running sections stopped,
earlier outputs unchanged).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from multiprocessing import get_context
from pathlib import Path

from .. import data as data_mod
from .. import paths, sections
from .. import text as text_mod
from ..params import ParameterError, resolve
from . import cache, collect
from .execute import Outcome, Task, run_task

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2
EXIT_INTERRUPTED = 130  # the shell's code for Ctrl-C


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="run_all.py",
        description="Execute the section notebooks of the ecrights-2019 reproduction and build the report.",
        epilog="Exit codes: 0 ok, 1 a section failed, 2 bad input (nothing was run), 130 interrupted.")
    p.add_argument("--sections", nargs="+", metavar="NAME", help=f"run only these (default: all): {', '.join(sections.names())}")
    p.add_argument("--params", type=Path, metavar="FILE", help="a named parameter set layered over params/defaults.yaml, e.g. params/scenarios/<name>.yaml")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="SECTION.KEY=VALUE",
                   help="override one parameter (repeatable), e.g. --set promotion_effects.window=3")
    p.add_argument("--list", action="store_true", help="list sections and their effective parameters, then exit")
    p.add_argument("--output-dir", type=Path, default=None, metavar="DIR", help="where to write outputs (default: build/)")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, metavar="N", help="parallel workers (default: number of cores)")
    p.add_argument("--force", nargs="*", metavar="NAME", default=None,
                   help="re-execute even when cached: all sections, or only those named")
    p.add_argument("--timeout", type=int, default=600, metavar="SECONDS", help="per-cell timeout (default 600)")
    p.add_argument("--no-report", action="store_true", help="skip assembling build/report.html and report.pdf")
    p.add_argument("--no-pdf", action="store_true", help="assemble the HTML report only (faster while iterating)")
    p.add_argument("--include-code", action="store_true", help="show the notebooks' code cells in the report")
    p.add_argument("--include-sweeps", nargs="*", metavar="NAME", default=None,
                   help="add an appendix with the sweeps in build/sweeps/ (all, or those named)")
    p.add_argument("--update-manifest", action="store_true", help="rewrite data/MANIFEST.sha256 from data/ and exit")
    p.add_argument("--sweep", type=Path, metavar="FILE", help="run a sweep (params/sweeps/<name>.yaml) instead of the report")
    p.add_argument("--executor", choices=["local", "dask"], default="local",
                   help="local worker processes (default) or a Dask distributed cluster")
    p.add_argument("--scheduler", metavar="ADDRESS", default=None,
                   help="with --executor dask: a scheduler address (default: a local cluster of --jobs workers)")
    return p


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.update_manifest:
        try:  # never record checksums of data that does not validate
            load_all_data()
        except data_mod.DataError as exc:
            return _fail(f"{exc}\nthe manifest was not updated")
        path = data_mod.write_manifest()
        print(f"wrote {path}")
        return EXIT_OK
    if args.jobs < 1:
        return _fail(f"--jobs must be at least 1, got {args.jobs}")

    chosen = args.sections or sections.names()
    unknown = [s for s in chosen if s not in sections.SECTIONS]
    if unknown:
        return _fail(f"unknown section(s) {unknown}; expected some of {sections.names()}")
    forced = set(chosen) if args.force == [] else set(args.force or [])
    if forced - set(sections.SECTIONS):
        return _fail(f"--force names unknown section(s) {sorted(forced - set(sections.SECTIONS))}")

    try:
        effective = resolve(chosen, scenario_file=args.params, overrides=args.overrides)
    except ParameterError as exc:
        return _fail(str(exc))

    if args.list:
        print_listing(effective)
        return EXIT_OK

    if args.sweep:
        from . import sweep as sweep_mod

        try:
            plan_ = sweep_mod.load_sweep(args.sweep)
            pending = begin_validation((args.output_dir or paths.default_build_dir()).resolve() / "cache")
        except (ParameterError, data_mod.DataError) as exc:
            return _fail(str(exc))
        return run_sweep(plan_, args, pending)

    out_dir = (args.output_dir or paths.default_build_dir()).resolve()
    try:
        pending = begin_validation(out_dir / "cache")
    except data_mod.DataError as exc:
        return _fail(str(exc))
    started = time.perf_counter()
    tasks = plan(chosen, effective, out_dir, forced, args.timeout)
    pool = background = None
    try:
        hits, pool = validate_while_workers_start(tasks, args, pending, report_alongside=not args.no_report)
        misses = len(tasks) - len(hits)
        if not args.no_report and misses:  # sections will run: prepare the report alongside them
            background = start_background_report(out_dir, effective, chosen, args)
        on_outcome = ((lambda o: background.section_ready(o.section, collect.section_entry(o, effective)))
                      if background else None)
        outcomes = execute(tasks, args.jobs, args.executor, args.scheduler, hits=hits, pool=pool,
                           on_outcome=on_outcome)
    except data_mod.DataError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return interrupted(tasks, pool, background)
    collect.write_claims_csv(out_dir, sections.names())
    collect.write_run_record(out_dir, effective, outcomes, args)
    failed = [o for o in outcomes if o.status == "failed"]
    if not args.no_report:
        try:
            write_report(out_dir, args, background)
        except Exception as exc:  # noqa: BLE001 - the report must not hide section results
            print(f"error: report assembly failed: {type(exc).__name__}: {exc}", file=sys.stderr)
            return EXIT_FAILED
    print_summary(outcomes, time.perf_counter() - started)
    for o in failed:
        print_failure(o)
    return EXIT_FAILED if failed else EXIT_OK


def interrupted(tasks: list[Task], pool, background=None) -> int:
    """Ctrl-C: stop everything started, keep every output already published."""
    if background is not None:
        background.cancel()
    stop_workers(pool, tasks)
    print("\ninterrupted: sections that had finished are in place; running ones were stopped (their partial "
          "notebooks are in failed/) and queued ones never started; claims.csv, run.json and the report "
          "were not rewritten: run again to bring them up to date", file=sys.stderr)
    return EXIT_INTERRUPTED


def start_background_report(out_dir: Path, effective: dict, chosen: list[str], args):
    """A ReportBuilder fed each section as it lands in build/ (see report_stage.py);
    sections not run now are in build/ already (or absent) and go first."""
    from .report_stage import BackgroundReport

    background = BackgroundReport(out_dir, collect.run_record(out_dir, effective, [], args),
                                  include_code=args.include_code, write_pdf=not args.no_pdf)
    previous = background.run.get("sections", {})
    for name in sections.names():
        if name not in chosen:
            background.section_ready(name, previous.get(name, {}))
    return background


def write_report(out_dir: Path, args, background=None) -> None:
    """report.html, report.pdf and sections/*.html, unless their inputs are unchanged."""
    digest = report_inputs_digest(out_dir, args.include_code, args.include_sweeps) + f" pdf={not args.no_pdf}"
    marker = out_dir / "report.inputs.sha256"
    outputs = [out_dir / "report.html"] + ([] if args.no_pdf else [out_dir / "report.pdf"])
    builder = background.builder() if background is not None else None  # waits for the background thread
    if marker.is_file() and marker.read_text() == digest and all(p.is_file() for p in outputs):
        print("report: unchanged (its inputs in build/ are the same)")
        return
    marker.unlink(missing_ok=True)
    if args.no_pdf:  # a PDF of an earlier build would no longer match the HTML
        (out_dir / "report.pdf").unlink(missing_ok=True)
    if builder is None:
        from ..report.assemble import ReportBuilder  # heavy (nbconvert, weasyprint): only when needed

        builder = ReportBuilder(out_dir, include_code=args.include_code, write_pdf=not args.no_pdf)
    for path in builder.finish(args.include_sweeps):
        print(f"report: {path}")
    marker.write_text(digest)


def load_all_data() -> None:
    """Load (and so validate) every data file; raises DataError."""
    data_mod.load_all()


def begin_validation(cache_root: Path) -> Path | None:
    """Manifest check always; full schema validation of data/ (finish_validation)
    unless this exact data (manifest digest) already passed with this validation
    code. This is the cheap half: check the manifest and point this run's kernels
    at the validated snapshot. Returns the marker still to be written (None: this data
    already passed)."""
    import hashlib

    manifest = data_mod.check_manifest()
    code = b"".join(p.read_bytes() for p in sorted(Path(data_mod.__file__).parent.glob("*.py"))) \
        + Path(text_mod.__file__).read_bytes()
    digest = hashlib.sha256(repr(sorted(manifest.items())).encode() + code).hexdigest()[:24]
    marker = cache_root / "validated" / digest
    # notebooks started by this run read the validated official table
    os.environ[data_mod.SNAPSHOT_ENV] = str(marker.parent)
    if marker.is_file() and any(marker.parent.glob(f"official-{data_mod.official_snapshot_key()}.pkl")):
        return None
    return marker


def finish_validation(marker: Path | None) -> None:
    """The full validation (raises DataError) and the snapshot, when still needed."""
    if marker is None:
        return
    load_all_data()
    data_mod.write_official_snapshot(marker.parent)
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text("validated\n")


def plan(chosen: list[str], effective: dict, out_dir: Path, forced: set[str], timeout: int,
         labels: dict[str, str] | None = None) -> list[Task]:
    lib_hash, env_hash = cache.library_hash(), cache.environment_hash()
    tasks = []
    for name in chosen:
        section = sections.get(name)
        parameters = effective[name].model_dump(mode="json")
        key = cache.task_key(section.notebook, parameters, section.data_files(), lib_hash, env_hash)
        tasks.append(Task(section=name, label=(labels or {}).get(name, name), notebook=str(section.notebook),
                          parameters=parameters, out_dir=str(out_dir),
                          cache_root=str(out_dir / "cache"), key=key, timeout=timeout,
                          use_cache=name not in forced))
    return tasks


def validate_while_workers_start(tasks: list[Task], args, pending: Path | None, *, report_alongside: bool = False):
    """Cache lookups, then worker processes started so that their imports
    overlap the data validation; raises DataError (the workers stopped).
    Returns the cache hits and the pool (None: run in this process).

    Workers run the tasks when several run in parallel, and whenever the report
    is prepared alongside (report_stage.py): its thread holds the GIL for
    seconds at a time, which would stall a notebook client in this process."""
    hits = lookup(tasks)
    misses = len(tasks) - len(hits)
    parallel = args.jobs > 1 and misses > 1
    pool = (start_workers(min(args.jobs, misses))
            if args.executor == "local" and misses and (parallel or report_alongside) else None)
    try:
        finish_validation(pending)
    except BaseException:  # bad data, or Ctrl-C
        stop_workers(pool, [])
        raise
    return hits, pool


def lookup(tasks: list[Task]) -> dict[int, Path]:
    """The cache entries (by task index) that can serve these tasks."""
    hits = {}
    for i, t in enumerate(tasks):
        entry = cache.lookup(Path(t.cache_root), t.section, t.key) if t.use_cache else None
        if entry is not None:
            hits[i] = entry
    return hits


def start_workers(n: int) -> ProcessPoolExecutor:
    """n spawned worker processes, started at once (not on first use) so that
    their imports overlap whatever the main process does next."""
    from .execute import warm_up

    pool = ProcessPoolExecutor(max_workers=n, mp_context=get_context("spawn"), initializer=warm_up)
    for _ in range(n):  # each submission while no worker is idle spawns one
        pool.submit(int)
    # kept for stop_workers: the executor forgets its processes once shut down
    pool.worker_processes = list((getattr(pool, "_processes", None) or {}).values())
    return pool


def execute(tasks: list[Task], jobs: int, executor: str = "local", scheduler: str | None = None, *,
            hits: dict[int, Path] | None = None, pool: ProcessPoolExecutor | None = None,
            on_outcome=None) -> list[Outcome]:
    """Run tasks, printing one line per state change. Cache hits are served
    here, in the main process; only misses start workers (or use `pool`).
    on_outcome(outcome) is called as each task's outputs are in place."""
    report = _reporter(on_outcome)
    for t in tasks:
        print(f"  queued   {t.label}", flush=True)
    hits = lookup(tasks) if hits is None else hits
    outcomes: dict[int, Outcome] = {}
    misses = []
    for i, t in enumerate(tasks):
        started = time.perf_counter()
        entry = hits.get(i)
        if entry is None:
            misses.append(i)
            continue
        cache.publish_from(entry, Path(t.out_dir), t.section)
        outcomes[i] = Outcome(t.label, t.section, "cached", time.perf_counter() - started, t.out_dir)
        report(outcomes[i])
    if misses and executor == "dask":
        outcomes.update(_execute_dask([tasks[i] for i in misses], misses, jobs, scheduler, report))
    elif misses and pool is None and (jobs == 1 or len(misses) == 1):
        for i in misses:
            print(f"  running  {tasks[i].label}", flush=True)
            outcomes[i] = run_task(tasks[i])
            report(outcomes[i])
    elif misses:
        outcomes.update(_execute_pool([tasks[i] for i in misses], misses, jobs, pool, report))
    elif pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)
    return [outcomes[i] for i in range(len(tasks))]


def _reporter(on_outcome):
    def report(o: Outcome) -> None:
        _print_outcome(o)
        if on_outcome is not None:
            on_outcome(o)
    return report


def _worker_died(t: Task, exc: BaseException) -> Outcome:
    return Outcome(t.label, t.section, "failed", 0.0, t.out_dir,
                   error={"kind": "worker died", "exception": repr(exc), "source": "", "traceback": "",
                          "cell_index": None})


def _execute_pool(tasks: list[Task], ids: list[int], jobs: int,
                  pool: ProcessPoolExecutor | None = None, report=None) -> dict[int, Outcome]:
    """Worker processes (spawned: each task has its own process and cwd)."""
    report = report or _reporter(None)
    out: dict[int, Outcome] = {}
    jobs = min(jobs, len(tasks))  # a pool passed in was started with this many workers
    pool = pool or start_workers(jobs)
    try:
        futures = {pool.submit(run_task, t): (i, t) for i, t in zip(ids, tasks)}
        for t in tasks[:jobs]:
            print(f"  running  {t.label}", flush=True)
        next_shown = min(jobs, len(tasks))
        pending = set(futures)
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                i, t = futures[fut]
                try:
                    out[i] = fut.result()
                except Exception as exc:  # noqa: BLE001 - a worker that died outright
                    out[i] = _worker_died(t, exc)
                report(out[i])
                if next_shown < len(tasks):
                    print(f"  running  {tasks[next_shown].label}", flush=True)
                    next_shown += 1
    except BaseException:  # Ctrl-C: nothing queued may start, nothing running may publish
        stop_workers(pool, tasks)
        raise
    pool.shutdown(wait=True)
    return out


def stop_workers(pool: ProcessPoolExecutor | None, tasks: list[Task]) -> None:
    """Cancel what is queued, kill the workers (their kernels exit with them) and
    remove the staging directories of the tasks they were running: outputs
    already published stay as they are."""
    import shutil

    if pool is None:
        return
    processes = getattr(pool, "worker_processes", [])
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in processes:
        proc.terminate()  # a worker shuts its kernel down and cleans up (execute._on_terminate)
    for proc in processes:
        proc.join(timeout=15)
        if proc.is_alive():
            proc.kill()
    for t in tasks:
        for staging in (Path(t.out_dir) / ".staging").glob(f"{t.section}-*"):
            shutil.rmtree(staging, ignore_errors=True)


def _execute_dask(tasks: list[Task], ids: list[int], jobs: int, scheduler: str | None,
                  report=None) -> dict[int, Outcome]:
    """A Dask distributed cluster: a local one of `jobs` single-threaded worker
    processes, or the scheduler at `scheduler` (its workers must see this
    project's files at the same paths and have the same environment)."""
    from distributed import Client, LocalCluster, as_completed

    report = report or _reporter(None)
    out: dict[int, Outcome] = {}
    cluster = None if scheduler else LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                                                   dashboard_address=None)
    with Client(scheduler or cluster) as client:
        futures = client.map(run_task, tasks, pure=False)
        where = scheduler or f"local cluster of {jobs} workers"
        for t in tasks:
            print(f"  running  {t.label} (dask: {where})", flush=True)
        by_key = {f.key: (i, t) for f, i, t in zip(futures, ids, tasks)}
        for fut in as_completed(futures):
            i, t = by_key[fut.key]
            try:
                out[i] = fut.result()
            except Exception as exc:  # noqa: BLE001
                out[i] = _worker_died(t, exc)
            report(out[i])
    if cluster is not None:
        cluster.close()
    return out


def run_sweep(plan_, args, pending: Path | None = None) -> int:
    """Execute every valid variant of a sweep and write its summary
    (pending: the data validation begun by the caller, see begin_validation)."""
    from . import sweep as sweep_mod

    out_root = (args.output_dir or paths.default_build_dir()).resolve()
    sweep_dir = out_root / "sweeps" / plan_.name
    section = sections.get(plan_.spec.section)
    lib_hash, env_hash = cache.library_hash(), cache.environment_hash()
    forced = args.force is not None
    tasks = []
    for v in plan_.valid:
        parameters = v.params.model_dump(mode="json")
        key = cache.task_key(section.notebook, parameters, section.data_files(), lib_hash, env_hash)
        tasks.append(Task(section=section.name, label=f"{section.name}[{v.variant_id}]", notebook=str(section.notebook),
                          parameters=parameters, out_dir=str(sweep_dir / v.variant_id),
                          cache_root=str(out_root / "cache"), key=key, timeout=args.timeout, use_cache=not forced))
    pool = None
    try:
        hits, pool = validate_while_workers_start(tasks, args, pending)
    except data_mod.DataError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return interrupted(tasks, pool)
    sweep_dir.mkdir(parents=True, exist_ok=True)
    skipped = [v for v in plan_.variants if v.params is None]
    print(f"sweep {plan_.name}: {len(tasks)} variant(s) of {section.name}"
          + (f", {len(skipped)} invalid grid point(s) skipped" if skipped else ""))
    started = time.perf_counter()
    try:
        outcomes = execute(tasks, args.jobs, args.executor, args.scheduler, hits=hits, pool=pool)
    except KeyboardInterrupt:
        return interrupted(tasks, pool)
    status = {v.variant_id: o.status for v, o in zip(plan_.valid, outcomes)}
    summary = sweep_mod.write_summary(plan_, sweep_dir, status)
    figure = sweep_mod.plot_summary(plan_, sweep_dir)
    print_summary(outcomes, time.perf_counter() - started)
    print(f"summary: {summary}" + (f"\nfigure: {figure}" if figure else ""))
    failed = [o for o in outcomes if o.status == "failed"]
    for o in failed:
        print_failure(o)
    return EXIT_FAILED if failed else EXIT_OK


def report_inputs_digest(out_dir: Path, include_code: bool, include_sweeps: list[str] | None = None) -> str:
    """What the report is made of: results, executed notebooks, claims, the
    parameter set and commit (run.json without its timestamps)."""
    import hashlib
    import json

    h = hashlib.sha256(f"include_code={include_code} include_sweeps={include_sweeps}".encode())
    if include_sweeps is not None:
        for path in sorted((out_dir / "sweeps").glob("*/summary.*")):
            h.update(path.as_posix().encode() + path.read_bytes())
    for sub, pattern in (("results", "*.json"), ("notebooks", "*.ipynb"), (".", "claims.csv")):
        for path in sorted((out_dir / sub).glob(pattern)):
            h.update(path.name.encode() + path.read_bytes())
    run = out_dir / "run.json"
    if run.is_file():
        record = json.loads(run.read_text(encoding="utf-8"))
        record.pop("built_at", None)
        for section in record.get("sections", {}).values():
            section.pop("seconds", None)
            section.pop("status", None)
        h.update(json.dumps(record, sort_keys=True).encode())
    report_pkg = Path(__file__).resolve().parents[1] / "report"
    for path in sorted(report_pkg.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".css", ".j2"):
            h.update(path.read_bytes())
    return h.hexdigest()


def _print_outcome(o: Outcome) -> None:
    if o.status == "failed":
        print(f"  FAILED   {o.label} after {o.seconds:.1f} s ({o.error.get('kind')}: {o.error.get('exception')})", flush=True)
    elif o.status == "cached":
        print(f"  cached   {o.label} (unchanged; {o.seconds:.2f} s)", flush=True)
    else:
        print(f"  done     {o.label} in {o.seconds:.1f} s", flush=True)


def print_summary(outcomes: list[Outcome], seconds: float) -> None:
    print()
    print(f"{'section':<28} {'status':<8} {'seconds':>8}")
    for o in outcomes:
        print(f"{o.label:<28} {o.status:<8} {o.seconds:>8.1f}")
    print(f"{len(outcomes)} section(s), {sum(o.status == 'failed' for o in outcomes)} failed, "
          f"{sum(o.status == 'cached' for o in outcomes)} from cache, {seconds:.1f} s in all")


def print_failure(o: Outcome) -> None:
    e = o.error
    print(f"\n=== {o.label} failed: {e.get('kind')} ===", file=sys.stderr)
    if e.get("cell_index") is not None:
        print(f"cell {e['cell_index']} (execution count {e.get('execution_count')}):", file=sys.stderr)
        print("    " + "\n    ".join(str(e.get("source", "")).splitlines()), file=sys.stderr)
    print(e.get("exception", ""), file=sys.stderr)
    print(e.get("traceback", ""), file=sys.stderr)
    if o.failed_notebook:
        print(f"partially executed notebook kept at {o.failed_notebook}", file=sys.stderr)
    print(f"log: {Path(o.out_dir) / 'logs' / (o.section + '.log')}", file=sys.stderr)


def print_listing(effective: dict) -> None:
    for name, params in effective.items():
        section = sections.get(name)
        print(f"{name}  ({section.report_section} {section.title_zh} — {section.title_en})")
        print(f"  notebook: {section.notebook.relative_to(paths.project_root())}")
        model = type(params)
        for key, value in params.model_dump().items():
            desc = model.model_fields[key].description or ""
            print(f"  {key} = {value!r}    # {desc}")
        print()
