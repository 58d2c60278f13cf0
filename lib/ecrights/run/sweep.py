"""Sweeps: one section run over a grid (or list) of parameter values.

A sweep file (params/sweeps/<name>.yaml):

    section: index_trend
    description: what the sweep explores
    base: {language: en}            # optional: fixed values for every variant
    grid:                           # cartesian product …
      weight_dispute_rate: [0.1, 0.18, 0.3]
      weight_counterfeit_perception: [0.5, 0.82]
    variants:                       # … and/or an explicit list
      - {year_start: 2016, year_end: 2019}
    outputs: [implied_other_change] # results keys tabulated in the summary
    skip_invalid: true              # drop grid points the parameter model rejects (listed in the summary)

Every variant is validated against the section's parameter model before any
runs; each runs as an ordinary task into build/sweeps/<name>/<variant_id>/,
sharing the content-addressed cache, so a variant already computed (by an
earlier sweep or the main build) is not executed again.
"""

from __future__ import annotations

import csv
import hashlib
import itertools
import json
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .. import params as params_mod
from .. import sections
from ..params import ParameterError, load_yaml_mapping


class SweepSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    section: str
    description: str = ""
    base: dict = Field(default_factory=dict)
    grid: dict[str, list] = Field(default_factory=dict)
    variants: list[dict] = Field(default_factory=list)
    outputs: list[str] = Field(min_length=1)
    skip_invalid: bool = False


@dataclass
class Variant:
    variant_id: str
    overrides: dict
    params: object = None  # validated model instance
    error: str = ""


@dataclass
class SweepPlan:
    name: str
    spec: SweepSpec
    variants: list[Variant] = field(default_factory=list)

    @property
    def valid(self) -> list[Variant]:
        return [v for v in self.variants if v.params is not None]


def _variant_id(overrides: dict) -> str:
    text = json.dumps(overrides, sort_keys=True, ensure_ascii=False)
    slug = "_".join(f"{k}={v}" for k, v in sorted(overrides.items()))
    slug = "".join(c if c.isalnum() or c in "=._-" else "-" for c in slug)[:60]
    return f"{slug}-{hashlib.sha256(text.encode()).hexdigest()[:6]}"


def load_sweep(path: Path, defaults_file: Path | None = None) -> SweepPlan:
    """Read and validate a sweep file; every variant validated before any runs."""
    path = Path(path)
    raw = load_yaml_mapping(path)
    try:
        spec = SweepSpec(**raw)
    except ValidationError as exc:
        lines = [f"{path}: {'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
        raise ParameterError("invalid sweep file:\n  " + "\n  ".join(lines)) from None
    if spec.section not in sections.SECTIONS:
        raise ParameterError(f"{path}: section {spec.section!r} unknown; expected one of {sections.names()}")
    model = params_mod.MODELS[spec.section]
    for key in list(spec.grid) + [k for v in spec.variants for k in v] + list(spec.base):
        if key not in model.model_fields:
            raise ParameterError(f"{path}: {spec.section}.{key}: unknown parameter; expected one of "
                                 f"{sorted(model.model_fields)}")
    if not spec.grid and not spec.variants:
        raise ParameterError(f"{path}: a sweep needs a grid or a list of variants")

    combos: list[dict] = []
    if spec.grid:
        keys = list(spec.grid)
        combos += [dict(zip(keys, values)) for values in itertools.product(*(spec.grid[k] for k in keys))]
    combos += [dict(v) for v in spec.variants]

    base_values = params_mod.resolve([spec.section], defaults_file)[spec.section].model_dump()
    plan = SweepPlan(name=path.stem, spec=spec)
    for combo in combos:
        overrides = {**spec.base, **combo}
        variant = Variant(_variant_id(combo), overrides)
        try:
            variant.params = model(**{**base_values, **overrides})
        except ValidationError as exc:
            variant.error = "; ".join(e["msg"] for e in exc.errors())
            if not spec.skip_invalid:
                raise ParameterError(f"{path}: variant {combo} is invalid: {variant.error}") from None
        plan.variants.append(variant)
    return plan


def write_summary(plan: SweepPlan, sweep_dir: Path, outcomes: dict[str, str]) -> Path:
    """summary.csv: one row per variant — its parameters, status and outputs."""
    keys = sorted({k for v in plan.variants for k in v.overrides})
    path = sweep_dir / "summary.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["variant_id", *keys, "status", *plan.spec.outputs, "note"])
        for v in plan.variants:
            values = [""] * len(plan.spec.outputs)
            status = outcomes.get(v.variant_id, "invalid" if v.error else "not run")
            results_file = sweep_dir / v.variant_id / "results" / f"{plan.spec.section}.json"
            if v.params is not None and results_file.is_file():
                results = json.loads(results_file.read_text(encoding="utf-8"))["results"]
                values = [results.get(k, {}).get("value", "") for k in plan.spec.outputs]
            writer.writerow([v.variant_id, *[json.dumps(v.overrides.get(k), ensure_ascii=False) for k in keys],
                             status, *["" if x is None else x for x in values], v.error])
    return path


def plot_summary(plan: SweepPlan, sweep_dir: Path) -> Path | None:
    """Key outputs across the grid: one panel per output, over the first swept
    parameter, one line per value of the second (if any)."""
    import pandas as pd

    from ..plotting import new_figure, save

    summary = pd.read_csv(sweep_dir / "summary.csv", dtype=str, keep_default_na=False)
    summary = summary[summary["status"].isin(["done", "cached"])]
    swept = list(plan.spec.grid) or sorted({k for v in plan.spec.variants for k in v})
    if summary.empty or not swept:
        return None
    x = swept[0]
    summary["_x"] = summary[x].map(lambda t: str(json.loads(t)))
    order = {v: i for i, v in enumerate(dict.fromkeys(str(v) for v in plan.spec.grid.get(x, [])))}
    summary["_order"] = summary["_x"].map(lambda v: order.get(v, len(order)))
    n = len(plan.spec.outputs)
    fig, first = new_figure(4.2 * n, 3.6)
    first.remove()
    for i, output in enumerate(plan.spec.outputs):
        ax = fig.add_subplot(1, n, i + 1)
        groups = summary.groupby(swept[1]) if len(swept) > 1 else [(None, summary)]
        for key, grp in groups:
            grp = grp.sort_values("_order")
            ax.plot(grp["_x"], pd.to_numeric(grp[output], errors="coerce"), marker="o",
                    label=None if key is None else f"{swept[1]}={json.loads(key)}")
        ax.set_xlabel(x, fontsize=8)
        ax.set_title(output, fontsize=9)
        ax.tick_params(labelsize=7)
        if len(swept) > 1:
            ax.legend(fontsize=7)
    fig.suptitle(f"sweep {plan.name}: {plan.spec.section} (assumed parameters varied)", fontsize=10)
    return save(fig, sweep_dir / "summary.png")


def run_sweep(args) -> int:
    """Execute every valid variant of a sweep and write its summary."""
    import signal
    import time

    from ..errors import Interrupted, SectionFailed
    from . import build, validation
    from .progress import Progress, print_failure, print_summary
    from .tasks import Planned, build_tasks, section_parameters

    plan = load_sweep(args.sweep)
    out_root = build.output_dir(args)
    pending = validation.begin(build.cache_root(out_root))
    sweep_dir = out_root / "sweeps" / plan.name
    section = sections.get(plan.spec.section)
    planned = [Planned(section.name, section_parameters(v.params), sweep_dir / v.variant_id, v.variant_id)
               for v in plan.valid]
    tasks = build_tasks(planned, language=args.lang, cache_root=build.cache_root(out_root), timeout=args.timeout,
                        forced=args.force is not None)
    executor = None
    try:
        hits, executor = build.start(tasks, args, pending)
        sweep_dir.mkdir(parents=True, exist_ok=True)
        skipped = [v for v in plan.variants if v.params is None]
        print(f"sweep {plan.name}: {len(tasks)} variant(s) of {section.name}"
              + (f", {len(skipped)} invalid grid point(s) skipped" if skipped else ""))
        started = time.perf_counter()
        outcomes = build.execute(tasks, hits, executor, Progress(tasks, noun="variant"))
    except KeyboardInterrupt:
        build.stop(tasks, executor)
        raise Interrupted(signal.SIGINT, "interrupted: variants that had finished are in place; running ones "
                                         "were stopped and queued ones never started; the summary was not "
                                         "rewritten") from None
    except BaseException:
        build.stop(tasks, executor)
        raise
    status = {v.variant_id: o.status for v, o in zip(plan.valid, outcomes)}
    summary = write_summary(plan, sweep_dir, status)
    figure = plot_summary(plan, sweep_dir)
    print_summary(outcomes, time.perf_counter() - started)
    print(f"summary: {summary}" + (f"\nfigure: {figure}" if figure else ""))
    failed = [o for o in outcomes if o.status == "failed"]
    for o in failed:
        print_failure(o)
    if failed:
        raise SectionFailed(f"{len(failed)} variant(s) failed: {', '.join(o.label for o in failed)}")
    return 0
