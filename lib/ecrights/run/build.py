"""The build: every chosen section executed (or served from the cache), then
claims.csv, run.json and the report, and a summary."""

from __future__ import annotations

import time
from pathlib import Path

from .. import paths, sections
from ..errors import SectionFailed
from ..params import resolve
from . import collect, lock, validation
from .progress import Progress, print_build_summary, print_failure
from .session import Session, describe_os_error, runtime_directory
from .tasks import Planned, build_tasks, section_parameters


def output_dir(args) -> Path:
    """--output-dir; else build/ for the Chinese edition, build/en/ for the
    English one, and a scenario (--params FILE) in <that>/scenarios/<name>/:
    exploring a scenario never overwrites the main report."""
    if args.output_dir:
        return args.output_dir.resolve()
    root = paths.default_build_dir()
    if args.lang != "zh":
        root = root / args.lang
    if getattr(args, "params", None) and not getattr(args, "sweep", None):
        root = root / "scenarios" / Path(args.params).stem
    return root.resolve()


def cache_root(out_dir: Path) -> Path:
    """The checkout's cache (paths.cache_dir) for every output directory, inside
    build/ or outside it (--output-dir /tmp/variant starts warm)."""
    return paths.cache_dir().resolve()


INTERRUPTED_SECTIONS = ("interrupted: sections that had finished are in place; running ones were stopped "
                        "(their partial notebooks are in failed/) and queued ones never started; claims.csv, "
                        "run.json and the report were not rewritten: run again to bring them up to date")
INTERRUPTED_REPORT = ("interrupted while the report was assembled: the sections, claims.csv and run.json are "
                      "in place, the previous report files were put back; run again to assemble the report")


def run_build(args, chosen: list[str], forced: set[str]) -> int:
    effective = resolve(chosen, scenario_file=args.params, overrides=args.overrides)
    if args.list:
        print_listing(effective)
        return 0
    out_dir = output_dir(args)
    if not args.no_report:  # a bad params/report.yaml stops the run before any kernel starts (exit 2)
        from ..report import front_matter

        front_matter.load(args.lang)
    pending = validation.begin(cache_root(out_dir))
    started = time.perf_counter()
    with runtime_directory() as runtime:
        planned = [Planned(name, section_parameters(effective[name]), out_dir) for name in chosen]
        tasks = build_tasks(planned, language=args.lang, cache_root=cache_root(out_dir), timeout=args.timeout,
                            forced=forced, runtime_dir=runtime)
        with Session(tasks, args, pending, report_alongside=not args.no_report) as session, \
                lock.exclusive(out_dir):
            print(f"building into {out_dir}" + (f" ({args.lang} edition)" if args.lang != "zh" else ""))
            if not args.no_report and len(session.hits) < len(tasks):  # sections will run: report alongside
                session.background = start_background_report(out_dir, effective, chosen, args)
            on_outcome = ((lambda o: session.background.section_ready(o.section, collect.section_entry(o, effective)))
                          if session.background else None)
            session.interrupted_message = INTERRUPTED_SECTIONS
            outcomes = session.execute(Progress(tasks, noun="section"), on_outcome)
            problem = None
            try:
                collect.write_claims_csv(out_dir, sections.names())
                collect.write_dated_csv(out_dir, sections.names())
                collect.write_run_record(out_dir, effective, outcomes, args)
                if not args.no_report:
                    session.interrupted_message = INTERRUPTED_REPORT
                    problem = write_report(out_dir, args, session.background)
            except OSError as exc:  # e.g. a full disk: what ran is still summarised below
                problem = exc
            print_build_summary(outcomes, time.perf_counter() - started, out_dir)
            for o in outcomes:
                if o.status == "failed":
                    print_failure(o)
    failed = [o for o in outcomes if o.status == "failed"]
    if isinstance(problem, OSError):
        raise OSError(problem.errno, f"{describe_os_error(problem)} (the outputs in place are the last good "
                                     "ones; free some space and run again)")
    if problem:
        raise SectionFailed(problem)
    if failed:
        raise SectionFailed(f"{len(failed)} section(s) failed: {', '.join(o.label for o in failed)}")
    return 0


def write_report(out_dir: Path, args, background) -> str | None:
    """The report, or why not (a bug in assembly must not hide the section results above)."""
    from .report_stage import write_report as write

    try:
        write(out_dir, args, background)
    except (OSError, KeyboardInterrupt):
        raise
    except Exception as exc:  # noqa: BLE001
        return f"report assembly failed: {type(exc).__name__}: {exc}"
    return None


def start_background_report(out_dir: Path, effective: dict, chosen: list[str], args):
    """A ReportBuilder fed each section as it lands in build/ (see report_stage.py);
    sections not run now are in build/ already (or absent) and go first."""
    from .report_stage import BackgroundReport

    background = BackgroundReport(out_dir, collect.run_record(out_dir, effective, [], args),
                                  include_code=args.include_code, write_pdf=not args.no_pdf, language=args.lang)
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
