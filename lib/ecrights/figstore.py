"""Print figures memoized by what they are drawn from.

Laying out and saving a print figure (plotting.save_print: SVG and a 300 ppi PNG, checked
for print) is most of a section's time, and a parameter that a figure does not draw leaves it
the same. So a figure function decorated with `@stored_figure`

    @stored_figure
    def placebo_figure(changes: pd.DataFrame, ..., language: str) -> tuple[Figure, pd.DataFrame]: ...

is keyed, in a section's run (notebook.start calls use_store), like a memoized step (memo.call_key: its arguments by content, the code of its
module and of what that imports, matplotlib's version): a call whose key was saved before
returns a StoredFigure (the saved SVG and PNG bytes) with the drawn data, and
SectionRecord.figure writes those bytes instead of drawing again. A new key returns the
matplotlib figure as before; when the record saves it, its files are stored under that key.
Arguments the store cannot key (memo.Unstorable) mean no memo: the figure is drawn.

The store is the memo store's (JSON and .npz, never pickle; entries signed: memo.py), so a
figure found there was drawn by this user's run from the same inputs and code, and passed
print_problems then.
"""

from __future__ import annotations

import functools
import weakref
from dataclasses import dataclass
from importlib import metadata

import numpy as np
import pandas as pd

from . import memo

_pending: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # figure → (directory, key, drawn)
_in_use = False  # set by a section's run (notebook.start): a figure function called elsewhere draws


def use_store(on: bool = True) -> None:
    """Figures of this process come from and go to the store (a notebook's run: notebook.start);
    otherwise (a test, a script exploring a figure) a figure function always draws its figure.
    A run without figures (a sweep variant: SectionRecord.draw_figures False) saves none, so it
    calls use_store(False): keying a figure by its inputs would cost time for nothing."""
    global _in_use
    _in_use = on


@dataclass(frozen=True)
class StoredFigure:
    """A figure's files as saved when it was first drawn."""
    svg: bytes
    png: bytes


def stored_figure(fn):
    """Memoize a figure function returning (figure, drawn data) (see the module's docstring)."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        root = memo.store_dir()
        if root is None or not _in_use:
            return fn(*args, **kwargs)
        try:
            key = memo.call_key(fn, (*args, f"matplotlib {metadata.version('matplotlib')}"), kwargs)
        except memo.Unstorable:
            return fn(*args, **kwargs)
        directory = root / f"figure.{fn.__module__}.{fn.__qualname__}"
        try:
            value = memo.read_entry(directory, key)
            return StoredFigure(value["svg"].encode("utf-8"), value["png"].tobytes()), value["drawn"]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pass  # a miss, or an entry that cannot be read: drawn again
        fig, drawn = fn(*args, **kwargs)
        _pending[fig] = (directory, key, drawn)
        return fig, drawn

    wrapper.uncached = fn
    return wrapper


def saved(fig, svg: bytes, png: bytes) -> None:
    """The record saved `fig` as these files: kept for the next call with the same key."""
    entry = _pending.pop(fig, None)
    if entry is None:
        return
    directory, key, drawn = entry
    frame = drawn if isinstance(drawn, pd.DataFrame) else pd.DataFrame(drawn)
    try:
        memo.write_entry(directory, key, {"svg": svg.decode("utf-8"), "png": np.frombuffer(png, dtype=np.uint8),
                                          "drawn": frame.reset_index(drop=True)})
    except memo.Unstorable:  # drawn data the store cannot hold: drawn again next time
        pass
