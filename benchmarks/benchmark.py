#!/usr/bin/env python3
"""Side-by-side benchmark of the runner against naive papermill + nbconvert.

    .venv/bin/python benchmarks/benchmark.py [--repeats 3]

Measures, in one run on this machine, medians over --repeats:
  naive      each notebook with the papermill CLI, sequentially, then each
             exported with `jupyter nbconvert --to html`, one by one
  cold_no_pdf  run_all.py --no-pdf into an empty output dir: all sections + HTML report
  cold       run_all.py into an empty output dir (empty cache): all sections + HTML + PDF report
  warm       run_all.py again, nothing changed
  one_param  run_all.py after changing one parameter of one section
             (also records how many sections were re-executed)
  sweep_j1   a 16-variant sweep (params/sweeps/proactive_share.yaml), --jobs 1, cold
  sweep_j2   the same with --jobs 2, cold
Writes benchmarks/out/results.json and prints a Markdown table with ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SECTIONS = ["retail_growth", "promotion_effects", "index_trend", "industry_breakdown", "ai_anticounterfeit"]
SWEEP = ROOT / "params" / "sweeps" / "proactive_share.yaml"


def timed(cmd: list[str], cwd: Path = ROOT) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"benchmark step failed: {' '.join(cmd)}\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return seconds, proc.stdout


def naive(work: Path) -> float:
    start = time.perf_counter()
    for name in SECTIONS:
        subprocess.run([str(BIN / "papermill"), str(ROOT / "notebooks" / f"{name}.ipynb"), str(work / f"{name}.ipynb"),
                        "-p", "output_dir", str(work / "out"), "--no-progress-bar"],
                       cwd=work, check=True, capture_output=True)
    for name in SECTIONS:
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(work / f"{name}.ipynb")],
                       cwd=work, check=True, capture_output=True)
    return time.perf_counter() - start


def run_all(*args: str) -> tuple[float, str]:
    return timed([sys.executable, "run_all.py", *args])


def one_repeat(base: Path) -> dict:
    out: dict = {}
    work = base / "naive"
    work.mkdir()
    out["naive"] = naive(work)
    out["cold_no_pdf"], _ = run_all("--output-dir", str(base / "build-nopdf"), "--no-pdf")
    build = base / "build"
    out["cold"], _ = run_all("--output-dir", str(build))
    out["warm"], _ = run_all("--output-dir", str(build))
    out["one_param"], text = run_all("--output-dir", str(build), "--set", "promotion_effects.hac_maxlags=3")
    out["one_param_executed"] = sum(1 for line in text.splitlines() if "] done " in line)
    for jobs in (1, 2):
        out[f"sweep_j{jobs}"], _ = run_all("--sweep", str(SWEEP), "--output-dir", str(base / f"sweep{jobs}"),
                                           "--jobs", str(jobs))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out")
    args = parser.parse_args()
    runs = []
    for i in range(args.repeats):
        base = Path(tempfile.mkdtemp(prefix="ecrights-bench-"))
        try:
            runs.append(one_repeat(base))
        finally:
            shutil.rmtree(base, ignore_errors=True)
        print(f"repeat {i + 1}/{args.repeats}: " + ", ".join(f"{k} {v:.2f}" for k, v in runs[-1].items()), flush=True)
    keys = runs[0].keys()
    median = {k: statistics.median(r[k] for r in runs) for k in keys}
    ratios = {
        "cold / naive": median["cold"] / median["naive"],
        "cold without the PDF / naive": median["cold_no_pdf"] / median["naive"],
        "warm / cold": median["warm"] / median["cold"],
        "sweep jobs1 / jobs2 (speed-up)": median["sweep_j1"] / median["sweep_j2"],
        # the same ratios within each repeat (naive and cold, j1 and j2 ran minutes apart
        # on a machine whose speed drifts), then their median
        "cold / naive, median over repeats": statistics.median(r["cold"] / r["naive"] for r in runs),
        "sweep speed-up, median over repeats": statistics.median(r["sweep_j1"] / r["sweep_j2"] for r in runs),
    }
    machine = {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
               "processor": platform.processor() or platform.machine()}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps({"machine": machine, "repeats": runs, "median": median,
                                                       "ratios": ratios}, indent=1), encoding="utf-8")
    print(f"\nmachine: {machine}\n")
    print("| measurement | median (s) |\n|---|---|")
    for k, v in median.items():
        print(f"| {k} | {v:.2f} |" if not k.endswith("executed") else f"| {k} | {v:g} sections |")
    print("\n| ratio | value |\n|---|---|")
    for k, v in ratios.items():
        print(f"| {k} | {v:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
