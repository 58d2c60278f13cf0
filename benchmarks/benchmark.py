#!/usr/bin/env python3
"""Side-by-side benchmark of the runner against naive papermill + nbconvert, and
issue 23's targets against the baseline commit.

    .venv/bin/python benchmarks/benchmark.py [--repeats 3] [--suite all|runner|issue23]

Suite `runner` measures, in one run on this machine, medians over --repeats:
  naive      each notebook with the papermill CLI, sequentially, then each
             exported with `jupyter nbconvert --to html`, one by one
  cold_no_pdf  run_all.py --no-pdf into an empty output dir: all sections + HTML report
  cold       run_all.py into an empty output dir (empty cache): all sections + HTML + PDF report
  warm       run_all.py again, nothing changed
  one_param  run_all.py after changing one parameter of one section
             (also records how many sections were re-executed)
  sweep_j1   a 16-variant sweep (params/sweeps/proactive_share.yaml), --jobs 1, cold
  sweep_j2   the same with --jobs 2, cold

Suite `issue23` (issue 23's targets; every cache empty: each measurement runs
in a fresh copy of the project — this working tree, and the baseline commit
BASELINE extracted with `git archive` — whose build/cache starts empty):
  base_sweep16_j2   the 16-variant proactive_share sweep, --jobs 2, at BASELINE
  sweep16_j2        the same now (variants without figures, warm kernels, memo)
  section_forced    one forced build of that section alone (--sections index_trend
                    --force --no-report), every cache empty
  one_param         after a full build: one parameter of one section changed
                    (--set promotion_effects.hac_maxlags=3), that section and the
                    reader's edition (HTML and PDF, and Word) published
  late_step         section time of a variant of a sweep that moves only a late step
                    (index_trend.flat_tolerance_points, four values, --jobs 1, after the
                    sweep above): the median of variants 2-4, and the first apart (it
                    waits for the run's first kernel to start)
Targets: sweep16_j2 ≤ 0.4 × base_sweep16_j2 and ≤ 3 × section_forced; one_param ≤ 10 s;
late_step ≤ 2 s.
Writes benchmarks/out/results.json and prints a Markdown table with ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
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
BASELINE = "ba23b91"  # the commit issue 23 was measured at
LATE_STEP_SWEEP = ("section: index_trend\ndescription: a late step only (the reading of 基本持平)\n"
                   "grid:\n  flat_tolerance_points: [0.5, 1.5, 2.0, 2.5]\noutputs: [proactive_flat_verdict]\n")
DONE = re.compile(r"\] done\s+(\S+) in ([0-9.]+) s")


def timed(cmd: list[str], cwd: Path = ROOT, env: dict | None = None) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env)
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


# --------------------------------------------------------------------------
# issue 23: a copy of a tree with its own library, caches empty
# --------------------------------------------------------------------------

def project_copy(dest: Path, commit: str | None = None) -> Path:
    """This working tree (commit None) or a commit, copied to dest without build/ (so every
    cache is empty), .venv or .git."""
    if commit:
        dest.mkdir(parents=True)
        archive = subprocess.run(["git", "archive", commit], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    else:
        shutil.copytree(ROOT, dest, ignore=shutil.ignore_patterns(".git", ".venv", "build", "out", "__pycache__",
                                                                  "*.egg-info", ".pytest_cache"))
    return dest


def run_in(copy: Path, *args: str) -> tuple[float, str]:
    """run_all.py of the copy, importing the copy's library (kernels too: PYTHONPATH is inherited)."""
    env = {k: v for k, v in os.environ.items() if k not in ("ECRIGHTS_ROOT", "ECRIGHTS_MEMO_DIR")}
    env["PYTHONPATH"] = str(copy / "lib")
    return timed([sys.executable, str(copy / "run_all.py"), *args], cwd=copy, env=env)


def section_times(text: str) -> dict[str, float]:
    return {label: float(seconds) for label, seconds in DONE.findall(text)}


def issue23_repeat(base: Path) -> dict:
    out: dict = {}
    sweep = ["--sweep", "params/sweeps/proactive_share.yaml", "--jobs", "2"]
    out["base_sweep16_j2"], _ = run_in(project_copy(base / "baseline-sweep", BASELINE), *sweep,
                                       "--output-dir", str(base / "o-base-sweep"))
    forced = project_copy(base / "forced")
    out["section_forced"], _ = run_in(forced, "--sections", "index_trend", "--force", "--no-report",
                                      "--output-dir", str(base / "o-forced"))
    now = project_copy(base / "sweep")
    out["sweep16_j2"], text = run_in(now, *sweep, "--output-dir", str(base / "o-sweep"))
    (now / "params" / "sweeps" / "late_step.yaml").write_text(LATE_STEP_SWEEP, encoding="utf-8")
    _, text = run_in(now, "--sweep", "params/sweeps/late_step.yaml", "--jobs", "1",
                     "--output-dir", str(base / "o-sweep"))
    times = list(section_times(text).values())  # in the order they finished (--jobs 1: the grid's)
    out["late_step_first"] = times[0]  # its kernel started while it waited: the run's fixed cost
    out["late_step"] = statistics.median(times[1:])  # a variant in a kernel started ahead
    full = project_copy(base / "full")
    out["full_build"], _ = run_in(full, "--output-dir", str(base / "o-full"))
    out["one_param"], text = run_in(full, "--output-dir", str(base / "o-full"), "--set",
                                    "promotion_effects.hac_maxlags=3")
    out["one_param_executed"] = len(section_times(text))
    return out


def issue23_ratios(m: dict) -> dict:
    return {"sweep16_j2 / base_sweep16_j2 (target ≤ 0.4)": m["sweep16_j2"] / m["base_sweep16_j2"],
            "sweep16_j2 / section_forced (target ≤ 3)": m["sweep16_j2"] / m["section_forced"],
            "one_param, s (target ≤ 10)": m["one_param"],
            "late_step section time, median of variants 2-4, s (target ≤ 2)": m["late_step"],
            "late_step section time, first variant (its kernel started while it waited), s": m["late_step_first"]}


def runner_ratios(median: dict, runs: list[dict]) -> dict:
    return {
        "cold / naive": median["cold"] / median["naive"],
        "cold without the PDF / naive": median["cold_no_pdf"] / median["naive"],
        "warm / cold": median["warm"] / median["cold"],
        "sweep jobs1 / jobs2 (speed-up)": median["sweep_j1"] / median["sweep_j2"],
        # the same ratios within each repeat (naive and cold, j1 and j2 ran minutes apart
        # on a machine whose speed drifts), then their median
        "cold / naive, median over repeats": statistics.median(r["cold"] / r["naive"] for r in runs),
        "sweep speed-up, median over repeats": statistics.median(r["sweep_j1"] / r["sweep_j2"] for r in runs),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--suite", choices=["all", "runner", "issue23"], default="all")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out")
    args = parser.parse_args()
    runs = []
    for i in range(args.repeats):
        base = Path(tempfile.mkdtemp(prefix="ecrights-bench-"))
        try:
            run = {}
            if args.suite in ("all", "runner"):
                run.update(one_repeat(base))
            if args.suite in ("all", "issue23"):
                run.update(issue23_repeat(base))
            runs.append(run)
        finally:
            shutil.rmtree(base, ignore_errors=True)
        print(f"repeat {i + 1}/{args.repeats}: " + ", ".join(f"{k} {v:.2f}" for k, v in runs[-1].items()), flush=True)
    keys = runs[0].keys()
    median = {k: statistics.median(r[k] for r in runs) for k in keys}
    ratios = {**(runner_ratios(median, runs) if "naive" in median else {}),
              **(issue23_ratios(median) if "sweep16_j2" in median else {})}
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
