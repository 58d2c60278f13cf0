"""The build: every chosen section executed (or served from the cache), then
claims.csv, run.json and the report, and a summary."""

from __future__ import annotations

import time
from pathlib import Path

from .. import params as params_mod
from .. import paths, sections
from ..errors import InputError, SectionFailed
from ..params import resolve
from ..report import front_matter
from . import collect, generation, lock, outdir, report_stage, signals, validation
from .progress import Progress, print_build_summary, print_failure
from .session import Session, describe_os_error, runtime_directory, stage
from .tasks import Planned, build_tasks, section_parameters


def output_dir(args) -> Path:
    """--output-dir; else build/ for the Chinese edition, build/en/ for the
    English one, and a scenario (--params FILE) in <that>/scenarios/<name>/:
    exploring a scenario never overwrites the main report."""
    if args.output_dir:
        return outdir.checked(args.output_dir)
    root = paths.default_build_dir()
    if args.lang != "zh":
        root = root / args.lang
    if getattr(args, "params", None) and not getattr(args, "sweep", None):
        root = root / "scenarios" / Path(args.params).stem
    return outdir.checked(root, "--params (its build directory)" if getattr(args, "params", None) else "build/")


def cache_root(out_dir: Path) -> Path:
    """The checkout's cache (paths.cache_dir) for every output directory, inside
    build/ or outside it (--output-dir /tmp/variant starts warm)."""
    return paths.cache_dir().resolve()


INTERRUPTED = ("interrupted: nothing of this run was published; {out} is the previous build, complete "
               "(its sections, claims.csv, run.json and report describe one run)")


def run_build(args, chosen: list[str], forced: set[str]) -> int:
    effective = resolve(chosen, scenario_file=args.params, overrides=args.overrides)
    if args.list:
        print_listing(effective)
        return 0
    out_dir = output_dir(args)
    if not args.no_report:  # a bad params/report.yaml stops the run before any kernel starts (exit 2)
        front_matter.load(args.lang)
        if args.include_sweeps is not None:  # a sweep the appendix cannot find: said before anything runs
            check_included(out_dir, args.include_sweeps)
    with stage("checking the data", cache_root(out_dir)):
        pending = validation.begin(cache_root(out_dir))
    started = time.perf_counter()
    gen = None
    try:
        with runtime_directory() as runtime:
            planned = [Planned(name, section_parameters(effective[name]), out_dir) for name in chosen]
            tasks = build_tasks(planned, language=args.lang, cache_root=cache_root(out_dir), timeout=args.timeout,
                                forced=forced, runtime_dir=runtime,
                                validated_data=validation.snapshot_path(cache_root(out_dir)))
            with Session(tasks, args, pending, report_alongside=not args.no_report) as session, \
                    lock.exclusive(out_dir):
                session.interrupted_message = INTERRUPTED.format(out=out_dir)
                with stage("starting a new generation", out_dir):
                    outdir.mark(out_dir)
                    generation.clean_leftovers(out_dir)
                    gen = session.publish_dir = generation.start(out_dir)
                print(f"building into {out_dir}" + (f" ({args.lang} edition)" if args.lang != "zh" else ""))
                if not args.no_report and len(session.hits) < len(tasks):  # sections will run: report alongside
                    session.background = start_background_report(gen, effective, chosen, args)
                on_outcome = ((lambda o: session.background.section_ready(o.section,
                                                                          collect.section_entry(o, effective)))
                              if session.background else None)
                with stage("running the sections", out_dir):
                    outcomes = session.execute(Progress(tasks, noun="section"), on_outcome)
                problem, report_times = None, {}
                try:
                    with stage("writing claims.csv, dated_statements.csv and run.json", gen):
                        collect.write_claims_csv(gen, sections.names())
                        collect.write_dated_csv(gen, sections.names())
                        collect.write_run_record(gen, effective, outcomes, args)
                    if args.no_report:
                        drop_report(gen)  # an earlier run's report would describe other results
                    else:
                        with stage("assembling the report", gen):
                            problem = write_report(gen, args, session.background, shown_as=out_dir,
                                                   times=report_times)
                        if problem:
                            drop_report(gen)
                    with signals.deferred(), stage("publishing the generation", out_dir):
                        generation.publish(out_dir, gen)  # a signal now waits for the swap to be done
                    gen = None
                except OSError as exc:  # e.g. a full disk: what ran is still summarised below
                    problem = exc
                print_build_summary(outcomes, time.perf_counter() - started, out_dir, report_times)
                for o in outcomes:
                    if o.status == "failed":
                        print_failure(o)
    finally:
        generation.discard(gen)  # not published: the current generation stays as it was
    failed = [o for o in outcomes if o.status == "failed"]
    if isinstance(problem, OSError):
        raise OSError(problem.errno, f"{describe_os_error(problem)} (nothing of this run was published: the "
                                     "outputs in place are the last good ones; free some space and run again)")
    if problem:
        raise SectionFailed(f"{problem} (published without a report)")
    if failed:
        raise SectionFailed(f"{len(failed)} {'section' if len(failed) == 1 else 'sections'} failed: "
                            f"{', '.join(o.label for o in failed)}")
    return 0


def drop_report(gen: Path) -> None:
    """Remove the report files from a generation (they would not describe it); the page
    count hints stay (a guess for laying out the next report, describing nothing)."""
    for path in [*report_stage.report_files(gen), gen / report_stage.REPORT_MARKER]:
        if not path.name.endswith(".pages.json"):
            path.unlink(missing_ok=True)
    if (gen / "sections").is_dir() and not any((gen / "sections").iterdir()):
        (gen / "sections").rmdir()


def write_report(out_dir: Path, args, background, shown_as: Path | None = None, times: dict | None = None
                 ) -> str | None:
    """The report, or why not (a bug in assembly must not hide the section results above);
    `times` receives the seconds spent on each output (for the summary)."""
    try:
        seconds = report_stage.write_report(out_dir, args, background, shown_as)
        if times is not None and seconds:
            times.update(seconds)
    except (OSError, KeyboardInterrupt):
        raise
    except Exception as exc:  # noqa: BLE001
        return f"report assembly failed: {type(exc).__name__}: {exc}"
    return None


def start_background_report(out_dir: Path, effective: dict, chosen: list[str], args):
    """A ReportBuilder fed each section as it lands in build/ (see report_stage.py);
    sections not run now are in build/ already (or absent) and go first."""
    background = report_stage.BackgroundReport(out_dir, collect.run_record(out_dir, effective, [], args),
                                               include_code=args.include_code,
                                               write_pdf=getattr(args, "audit_pdf", False),
                                               write_docx=getattr(args, "audit_docx", False), language=args.lang,
                                               reader_pdf=not args.no_pdf)
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
        shared = params_mod.shared_model().model_fields
        for key, value in params.model_dump().items():
            desc = model.model_fields[key].description or ""
            name = f"shared.{key}" if key in shared else key  # a shared one is set once, for every section using it
            print(f"  {name} = {value!r}    # {desc}")
        print()


def check_included(out_dir: Path, names: list[str]) -> None:
    """--include-sweeps: the appendix reads <out_dir>/sweeps/<name>/summary.csv. A named sweep not there is
    an error (exit 2) naming where it was looked for, where it is if elsewhere, and the command that builds
    it there; with no names, finding none there is said (the report has no sweep appendix then)."""
    root = Path(out_dir) / "sweeps"
    default = paths.default_build_dir().resolve() / "sweeps"
    option = "" if root.resolve() == default else f" --output-dir {out_dir}"
    if not names:
        if not any(root.glob("*/summary.csv")):
            print(f"note: --include-sweeps: no sweep summary in {root}; run e.g. `run_all.py --sweep "
                  f"params/sweeps/<name>.yaml{option}` first")
        return
    problems = []
    for name in names:
        if (root / name / "summary.csv").is_file():
            continue
        elsewhere = (f"; it is in {default / name} (built without --output-dir)"
                     if root.resolve() != default and (default / name / "summary.csv").is_file() else "")
        problems.append(f"--include-sweeps {name}: no {root / name / 'summary.csv'}{elsewhere}; build it there with "
                        f"`run_all.py --sweep params/sweeps/{name}.yaml{option}`")
    if problems:
        raise InputError("\n".join(problems))
