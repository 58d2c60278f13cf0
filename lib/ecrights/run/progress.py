"""What the runner prints while tasks run, and the summary and failures after."""

from __future__ import annotations

import sys
from pathlib import Path

from .tasks import Outcome, Task


class Progress:
    """One line per state change of a task."""

    def __init__(self, tasks: list[Task], noun: str = "section"):
        self.tasks = tasks
        self.noun = noun
        self.total = len(tasks)
        self.finished = 0

    def _line(self, text: str) -> None:
        print(text, flush=True)

    def queued(self) -> None:
        for t in self.tasks:
            self._line(f"  queued   {t.label}")

    def started(self, i: int, where: str = "") -> None:
        self._line(f"  running  {self.tasks[i].label}" + (f" ({where})" if where else ""))

    def done(self, o: Outcome) -> None:
        self.finished += 1
        if o.status == "failed":
            self._line(f"  FAILED   {o.label} after {o.seconds:.1f} s ({o.error.get('kind')}: "
                       f"{o.error.get('exception')})")
        elif o.status == "cached":
            self._line(f"  cached   {o.label} (unchanged; {o.seconds:.2f} s)")
        else:
            self._line(f"  done     {o.label} in {o.seconds:.1f} s")

    def close(self) -> None:
        pass


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
        count = f" (execution count {e['execution_count']})" if e.get("execution_count") is not None else ""
        print(f"cell {e['cell_index']}{count}:", file=sys.stderr)
        print("    " + "\n    ".join(str(e.get("source", "")).splitlines()), file=sys.stderr)
    print(e.get("exception", ""), file=sys.stderr)
    print(e.get("traceback", ""), file=sys.stderr)
    if o.failed_notebook:
        print(f"partially executed notebook kept at {o.failed_notebook}", file=sys.stderr)
    print(f"log: {Path(o.out_dir) / 'logs' / (o.section + '.log')}", file=sys.stderr)
