"""The build: every chosen section executed (or served from the cache), then
claims.csv, run.json and the report. Also the part shared with sweeps:
starting an executor while the data is validated, and running tasks on it."""

from __future__ import annotations

import shutil
import signal
import time
from pathlib import Path

from .. import paths, sections
from ..errors import Interrupted, SectionFailed
from ..params import resolve
from . import collect, executors, publish, validation
from .progress import Progress, print_failure, print_summary
from .tasks import Outcome, Planned, Task, build_tasks, cache_hits, section_parameters


def choose_executor(args, misses: int, report_alongside: bool = False):
    """An executor for `misses` tasks (None: nothing to execute).

    Worker processes run the tasks when several run in parallel, and whenever
    the report is prepared alongside (report_stage.py): its thread holds the
    GIL for seconds at a time, which would stall a notebook client in this process."""
    if not misses:
        return None
    if args.executor == "dask":
        return executors.get("dask")(jobs=args.jobs, scheduler=args.scheduler,
                                     connect_timeout=args.scheduler_timeout)
    workers = min(args.jobs, misses)
    if workers == 1 and not report_alongside:
        return executors.get("inline")()
    return executors.get("local")(jobs=workers)


def start(tasks: list[Task], args, pending: Path | None, *, report_alongside: bool = False):
    """Cache lookups, then the executor started so that its workers' imports
    overlap the data validation. Returns (cache hits, executor or None);
    raises DataError (the workers stopped)."""
    hits = cache_hits(tasks)
    executor = choose_executor(args, len(tasks) - len(hits), report_alongside)
    try:
        validation.finish(pending)
    except BaseException:  # bad data, or Ctrl-C
        if executor is not None:
            executor.stop()
        raise
    return hits, executor


def execute(tasks: list[Task], hits: dict[int, Path], executor, progress: Progress,
            on_outcome=None) -> list[Outcome]:
    """Serve cache hits here, run the misses on the executor; on_outcome(o) is
    called as each task's outputs are in place."""
    outcomes: dict[int, Outcome] = {}

    def done(i: int, o: Outcome) -> None:
        if o.staging:  # executed: published here, by the main process only
            publish.publish_staged(Path(o.staging), Path(o.out_dir), o.section)
            o.staging = ""
        outcomes[i] = o
        progress.done(o)
        if on_outcome is not None:
            on_outcome(o)

    progress.queued()
    for i, entry in hits.items():
        t = tasks[i]
        began = time.perf_counter()
        publish.publish_from_cache(entry, Path(t.out_dir), t.section)
        done(i, Outcome(t.label, t.section, "cached", time.perf_counter() - began, t.out_dir, variant=t.variant))
    misses = {i: t for i, t in enumerate(tasks) if i not in hits}
    if misses and getattr(executor, "where", None):
        print(f"  {executor.name}: {executor.where}", flush=True)
    if misses:
        executor.run(misses, progress.started, done)
    if executor is not None:
        executor.close()
    progress.close()
    return [outcomes[i] for i in range(len(tasks))]


def remove_staging(tasks: list[Task]) -> None:
    for t in tasks:
        for staging in (Path(t.out_dir) / ".staging").glob(f"{t.section}-*"):
            shutil.rmtree(staging, ignore_errors=True)


INTERRUPTED_BUILD = ("interrupted: sections that had finished are in place; running ones were stopped (their "
                     "partial notebooks are in failed/) and queued ones never started; claims.csv, run.json and the "
                     "report were not rewritten: run again to bring them up to date")


def stop(tasks: list[Task], executor, background=None) -> None:
    """After an interrupt: stop everything started, keep every output already published."""
    if background is not None:
        background.cancel()
    if executor is not None:
        executor.stop()
    remove_staging(tasks)


def output_dir(args) -> Path:
    """--output-dir, else build/ for the Chinese edition and build/en/ for the English one."""
    if args.output_dir:
        return args.output_dir.resolve()
    root = paths.default_build_dir()
    return (root if args.lang == "zh" else root / args.lang).resolve()


def cache_root(out_dir: Path) -> Path:
    """build/cache for every output directory under build/ (editions, scenarios):
    one cache shared by them all; <dir>/cache for an output directory elsewhere."""
    root = paths.default_build_dir().resolve()
    return root / "cache" if out_dir == root or root in out_dir.parents else out_dir / "cache"


def run_build(args, chosen: list[str], forced: set[str]) -> int:
    effective = resolve(chosen, scenario_file=args.params, overrides=args.overrides)
    if args.list:
        print_listing(effective)
        return 0
    out_dir = output_dir(args)
    pending = validation.begin(cache_root(out_dir))
    started = time.perf_counter()
    planned = [Planned(name, section_parameters(effective[name]), out_dir) for name in chosen]
    tasks = build_tasks(planned, language=args.lang, cache_root=cache_root(out_dir), timeout=args.timeout,
                        forced=forced)
    executor = background = None
    try:
        hits, executor = start(tasks, args, pending, report_alongside=not args.no_report)
        if not args.no_report and len(hits) < len(tasks):  # sections will run: prepare the report alongside
            background = start_background_report(out_dir, effective, chosen, args)
        on_outcome = ((lambda o: background.section_ready(o.section, collect.section_entry(o, effective)))
                      if background else None)
        outcomes = execute(tasks, hits, executor, Progress(tasks), on_outcome)
    except KeyboardInterrupt:
        stop(tasks, executor, background)
        raise Interrupted(signal.SIGINT, INTERRUPTED_BUILD) from None
    except BaseException:
        stop(tasks, executor, background)
        raise
    collect.write_claims_csv(out_dir, sections.names())
    collect.write_run_record(out_dir, effective, outcomes, args)
    failed = [o for o in outcomes if o.status == "failed"]
    report_error = None
    if not args.no_report:
        from .report_stage import write_report

        try:
            write_report(out_dir, args, background)
        except KeyboardInterrupt:
            raise Interrupted(signal.SIGINT, "interrupted while the report was assembled: the sections, "
                              "claims.csv and run.json are in place; run again to assemble the report") from None
        except Exception as exc:  # noqa: BLE001 - the report must not hide section results
            report_error = f"report assembly failed: {type(exc).__name__}: {exc}"
    print_summary(outcomes, time.perf_counter() - started)
    for o in failed:
        print_failure(o)
    if report_error:
        raise SectionFailed(report_error)
    if failed:
        raise SectionFailed(f"{len(failed)} section(s) failed: {', '.join(o.label for o in failed)}")
    return 0


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
