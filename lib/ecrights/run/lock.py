"""One run per output directory, so that run.json always describes the outputs
beside it: a second run exits with code 2 naming the run that holds the
directory. The lock is an OS file lock (filelock): it is released when its
process ends, however it ends, so a crashed run never blocks the next one."""

from __future__ import annotations

import json
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from ..errors import InputError

LOCK_NAME = ".run.lock"
HOLDER_NAME = ".run.lock.json"  # who holds it (the lock file itself is truncated by each contender)


def _holder(directory: Path) -> str:
    try:
        h = json.loads((directory / HOLDER_NAME).read_text(encoding="utf-8"))
        return f"pid {h['pid']}, started {h['started']}: {h['command']}"
    except (OSError, ValueError, KeyError, TypeError):
        return "a run that has not said who it is yet"


@contextmanager
def exclusive(directory: Path):
    """Hold `directory` for this run; raise InputError if another run holds it."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(directory / LOCK_NAME), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise InputError(f"another run is using {directory} ({_holder(directory)}); wait for it to finish, "
                         "or give this run another --output-dir") from None
    holder = directory / HOLDER_NAME
    try:
        holder.write_text(json.dumps({"pid": os.getpid(), "started": time.strftime("%Y-%m-%d %H:%M:%S"),
                                      "command": " ".join(["run_all.py", *sys.argv[1:]])}), encoding="utf-8")
    except OSError:
        pass  # only a courtesy to the next contender
    try:
        yield
    finally:
        holder.unlink(missing_ok=True)
        lock.release()
