"""SIGINT and SIGTERM, handled alike: both raise KeyboardInterrupt in the main
thread, so one code path stops the workers and keeps the last good outputs;
the signal is remembered for the exit code (130 / 143).

While files are being moved into place, or while the runner is stopping, a
signal is only recorded (deferred): a publication is never cut in half, and a
second Ctrl-C does not interrupt the clean-up of the first.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager

HANDLED = (signal.SIGINT, signal.SIGTERM)

_received: int | None = None  # the first signal of this run
_pending: int | None = None  # a signal that arrived while deferred
_deferring = 0


def _handler(signum, frame) -> None:
    global _received, _pending
    _received = _received or signum
    if _deferring:
        _pending = signum
        return
    raise KeyboardInterrupt


def received() -> int:
    """The signal that interrupted this run (SIGINT for a KeyboardInterrupt from elsewhere)."""
    return _received or signal.SIGINT


@contextmanager
def handled():
    """Install the handlers for the duration of a command (main thread only)."""
    global _received, _pending, _deferring
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, _handler) for s in HANDLED}
    _received = _pending = None
    _deferring = 0
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)


@contextmanager
def deferred(reraise: bool = True):
    """Signals arriving inside are recorded and, with reraise, raised on leaving."""
    global _deferring, _pending
    _deferring += 1
    try:
        yield
    finally:
        _deferring -= 1
        if not _deferring and _pending is not None:
            _pending = None
            if reraise:
                raise KeyboardInterrupt
