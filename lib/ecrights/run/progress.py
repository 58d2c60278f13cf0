"""What the runner prints while tasks run, and the summaries and failures after.

On a terminal: a progress bar (tqdm) with n/N, elapsed and time left, and one
line above it per finished task. Piped or redirected: plain lines, each with
n/N, and no terminal control codes (nor the ANSI colours of the kernels'
tracebacks).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from tqdm import tqdm

from ..claims import STATUSES
from .tasks import Outcome, Task

ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")


def is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def plain(text: str, stream) -> str:
    """Text without ANSI codes unless it goes to a terminal."""
    return text if is_terminal(stream) else ANSI_ESCAPE.sub("", text)


class Progress:
    def __init__(self, tasks: list[Task], noun: str = "section", stream=None):
        self.tasks = tasks
        self.noun = noun
        self.total = len(tasks)
        self.stream = stream or sys.stdout
        self.tty = is_terminal(self.stream)
        self.finished = 0
        self.running: list[str] = []
        self.bar = None

    def _plural(self, n: int) -> str:
        return f"{n} {self.noun}{'' if n == 1 else 's'}"

    def _line(self, text: str) -> None:
        if self.bar is not None:
            self.bar.write(text, file=self.stream)
        else:
            print(text, file=self.stream, flush=True)

    def begin(self, cached: int) -> None:
        to_run = self.total - cached
        self._line(f"{self._plural(self.total)}: {cached} from the cache, {to_run} to execute")
        if self.tty and to_run:
            # initial=cached: the time left is estimated from executed tasks only
            self.bar = tqdm(total=self.total, initial=0, file=self.stream, unit=self.noun, dynamic_ncols=True,
                            bar_format="{n_fmt}/{total_fmt} " + self.noun + "s |{bar:24}| "
                                       "{elapsed} elapsed, {remaining} left{postfix}")

    def executing(self, executor) -> None:
        where = getattr(executor, "where", None)
        if where:
            self._line(f"{executor.name}: {where} (tasks are shown as they finish)")

    def started(self, i: int) -> None:
        self.running.append(self.tasks[i].label)
        if self.bar is not None:
            self.bar.set_postfix_str("running " + ", ".join(self.running), refresh=True)
        else:
            self._line(f"[{self.finished:>{len(str(self.total))}}/{self.total}] running  {self.tasks[i].label}")

    def done(self, o: Outcome) -> None:
        self.finished += 1
        if o.label in self.running:
            self.running.remove(o.label)
        if o.status == "failed":
            cell = o.error.get("cell_index")
            where = f" in cell {cell}" if cell is not None else ""
            text = f"FAILED   {o.label} after {o.seconds:.1f} s ({o.error.get('kind')}{where}: " \
                   f"{o.error.get('exception')})"
        elif o.status == "cached":
            text = f"cached   {o.label} (unchanged; {o.seconds:.2f} s)"
        else:
            text = f"done     {o.label} in {o.seconds:.1f} s"
        self._line(f"[{self.finished:>{len(str(self.total))}}/{self.total}] {plain(text, self.stream)}")
        if self.bar is not None:
            if o.status == "cached":  # instant: not counted in the rate behind "time left"
                self.bar.n += 1
                self.bar.initial = getattr(self.bar, "initial", 0) + 1
                self.bar.refresh()
            else:
                self.bar.set_postfix_str(("running " + ", ".join(self.running)) if self.running else "",
                                         refresh=False)
                self.bar.update(1)
                self.bar.refresh()  # a task's end is rare: always show it

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def print_table(headers: list[str], rows: list[list[str]], stream=None) -> None:
    stream = stream or sys.stdout
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *rows)]
    for row in [headers, *rows]:
        print("  ".join(str(x).ljust(w) for x, w in zip(row, widths)).rstrip(), file=stream)


def claim_counts(out_dir: Path, section: str) -> dict[str, int]:
    path = Path(out_dir) / "results" / f"{section}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("claim_counts", {}) or {}
    except (OSError, ValueError):
        return {}


def _counts_text(counts: dict[str, int]) -> str:
    order = [s for s in STATUSES if counts.get(s)] + sorted(set(counts) - set(STATUSES))
    return ", ".join(f"{counts[s]} {s}" for s in order if counts.get(s))


def print_build_summary(outcomes: list[Outcome], seconds: float, out_dir: Path, report: dict | None = None) -> None:
    """One row per section: status, time, and its claim checks by status; then where the
    report's time went (report: ReportBuilder.seconds), by output."""
    print()
    rows, total = [], {}
    for o in outcomes:
        # a failed section's last good results stay in build/ (and in claims.csv): counted, and said so
        counts = claim_counts(out_dir, o.section)
        for k, v in counts.items():
            total[k] = total.get(k, 0) + v
        shown = _counts_text(counts)
        if o.status == "failed" and shown:
            shown = f"{shown} (last good build)"
        rows.append([o.label, o.status, f"{o.seconds:.1f}", shown or "-"])
    print_table(["section", "status", "seconds", "claims"], rows)
    print(f"{len(outcomes)} {'section' if len(outcomes) == 1 else 'sections'}, "
          f"{sum(o.status == 'failed' for o in outcomes)} failed, "
          f"{sum(o.status == 'cached' for o in outcomes)} from cache, {seconds:.1f} s in all")
    if total:
        print(f"claims: {_counts_text(total)}")
    if report:
        print(report_time_text(report))


def report_time_text(seconds: dict) -> str:
    """'report: reader's edition 9.1 s (HTML 1.0 s, PDF 7.0 s, Word 1.1 s); audit 3.2 s (HTML 3.2 s);
    audit prepared while sections ran 1.5 s (HTML 1.5 s)' — by document, then by output; what
    took no time left out."""
    def part(name: str, times: dict) -> str:
        shown = ", ".join(f"{k} {v:.1f} s" for k, v in times.items() if v >= 0.05)
        return f"{name} {sum(times.values()):.1f} s" + (f" ({shown})" if shown else "")

    names = {"reader": "reader's edition", "audit": "audit", "audit ahead": "audit prepared while sections ran"}
    return "report: " + "; ".join(part(names.get(k, k), v) for k, v in seconds.items()
                                  if k == "reader" or sum(v.values()) >= 0.05)


def print_failure(o: Outcome) -> None:
    e = o.error
    err = sys.stderr
    print(f"\n=== {o.label} failed: {e.get('kind')} ===", file=err)
    if e.get("cell_index") is not None:
        count = f" (execution count {e['execution_count']})" if e.get("execution_count") is not None else ""
        print(f"cell {e['cell_index']}{count}:", file=err)
        print("    " + "\n    ".join(str(e.get("source", "")).splitlines()), file=err)
    print(plain(str(e.get("exception", "")), err), file=err)
    if e.get("traceback"):
        print(plain(str(e["traceback"]), err), file=err)
    if o.failed_notebook:
        print(f"partially executed notebook kept at {o.failed_notebook}", file=err)
    print(f"log: {Path(o.out_dir) / 'logs' / (o.section + '.log')}", file=err)
