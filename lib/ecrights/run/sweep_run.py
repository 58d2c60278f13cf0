"""Running a sweep: every valid variant of a plan (run/sweep.py) executed as ordinary tasks into
build/sweeps/<name>/<variant_id>/, sharing the content-addressed cache; then its summary written
(run/sweep_summary.py) and printed.

`run_all.py --sweep FILE` and `--grid` reach run_sweep; `--sensitivity` (run/sensitivity.py) runs its
plans through execute_plan. The command line imports this module only when one of them is asked for.
"""

from __future__ import annotations

import time
from fnmatch import fnmatchcase
from pathlib import Path

from .. import sections
from ..errors import InputError, SectionFailed
from . import build, lock, outdir, validation
from .progress import Progress, print_failure
from .session import Session, runtime_directory
from .sweep import SweepPlan, load_sweep
from .sweep_plot import plot_summary
from .sweep_summary import print_summary_table, read_results, summary_rows, write_summary
from .tasks import Planned, build_tasks, section_parameters


def run_sweep(args, plan: SweepPlan | None = None) -> int:
    """Execute every valid variant of a sweep (each of its sections), then write and print its summary."""
    plan = plan or load_sweep(args.sweep)
    out_root = build.output_dir(args)
    for warning in unrecorded_by_default_build(plan, out_root):
        print(f"warning: {warning}")
    started = time.perf_counter()
    status, outcomes, table, summary, figure = execute_plan(args, plan, out_root / "sweeps" / plan.name, out_root)
    print()
    print_summary_table(plan, table)
    print(f"{len(plan.valid)} variant(s), {sum(s == 'failed' for s in status.values())} failed, "
          f"{sum(s == 'cached' for s in status.values())} from cache, {time.perf_counter() - started:.1f} s in all")
    for note in table.notes:
        print(f"note: {note}")
    print(f"summary: {summary} (columns: {summary.with_name('summary.columns.csv').name})"
          + (f"\nfigure: {figure}" if figure else ""))
    failed = [o for o in outcomes if o.status == "failed"]
    for o in failed:
        print_failure(o)
    if table.unmatched:
        raise InputError("\n".join(table.unmatched))
    if failed:
        raise SectionFailed(f"{len(failed)} variant(s) failed: {', '.join(o.label for o in failed)}")
    return 0


def unrecorded_by_default_build(plan: SweepPlan, out_root: Path) -> list[str]:
    """Exact outputs that only a declared pattern admits (lift_trend_jnu by lift_*) and that the build in
    out_root did not record: probably a typo, said before the variants run (the run still decides: an output
    no variant records is an error after it)."""
    out = []
    for o in plan.outputs:
        if o.pattern or o.key in sections.get(o.section).result_keys:
            continue
        payload = read_results(Path(out_root) / "results" / f"{o.section}.json")
        if payload is not None and o.key not in payload.get("results", {}):
            known = sorted(k for k in payload.get("results", {}) if fnmatchcase(k, o.key.split("_")[0] + "_*"))
            out.append(f"outputs: {o.name!r} is not among the results of the build in {out_root} "
                       f"(similar: {known[:8]}); if no variant records it the sweep exits with code 2")
    return out


def execute_plan(args, plan: SweepPlan, sweep_dir: Path, out_root: Path, noun: str = "sweep", figure: bool = True):
    """Run a plan's variants into sweep_dir/<variant>/ and write summary.csv (+ summary.png):
    (status by variant, outcomes, summary table, summary path, figure path or None)."""
    pending = validation.begin(build.cache_root(out_root))
    with runtime_directory() as runtime:
        planned = [Planned(s, section_parameters(model), sweep_dir / v.variant_id, v.variant_id)
                   for v in plan.valid for s, model in v.models.items()]
        tasks = build_tasks(planned, language=args.lang, cache_root=build.cache_root(out_root), timeout=args.timeout,
                            forced=args.force is not None, runtime_dir=runtime,
                            validated_data=validation.snapshot_path(build.cache_root(out_root)),
                            draw_figures=bool(getattr(args, "sweep_figures", False)))  # results only
        with Session(tasks, args, pending) as session, lock.exclusive(sweep_dir):
            outdir.mark(out_root)
            skipped = [v for v in plan.variants if not v.models]
            print(f"{noun} {plan.name}: {len(plan.valid)} variant(s) of {', '.join(plan.sections)} into {sweep_dir}"
                  + (f", {len(skipped)} invalid point(s) skipped (listed in summary.csv)" if skipped else ""))
            session.interrupted_message = ("interrupted: variants that had finished are in place, running ones "
                                           "were stopped and queued ones never started; summary.csv and "
                                           "summary.png were not rewritten")
            outcomes = session.execute(Progress(tasks, noun="variant" if len(plan.sections) == 1 else "task"))
            status = combined_status(plan, planned, outcomes)
            table = summary_rows(plan, sweep_dir, status, defaults_dir=out_root)
            summary = write_summary(plan, sweep_dir, status, table)
            drawn = plot_summary(plan, sweep_dir, table) if figure else None
    return status, outcomes, table, summary, drawn


def combined_status(plan: SweepPlan, planned, outcomes) -> dict[str, str]:
    """A variant's status over its sections: failed if any failed, cached if all were, else done."""
    by_variant: dict[str, list[str]] = {}
    for p, o in zip(planned, outcomes):
        by_variant.setdefault(p.variant, []).append(o.status)
    out = {}
    for v, statuses in by_variant.items():
        out[v] = ("failed" if "failed" in statuses else "cached" if all(s == "cached" for s in statuses)
                  else "done")
    return out
