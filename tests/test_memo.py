"""lib/ecrights/memo.py: memoized steps keyed by arguments and code, in a store that never unpickles."""

from __future__ import annotations

import json
import pickle

import numpy as np
import pandas as pd
import pytest

from ecrights import codehash, memo

CALLS: list[tuple] = []


@memo.memo
def step(a, b=1.0):
    CALLS.append((a, b))
    frame = pd.DataFrame({"month": ["2019-01", "2019-02"], "low": [a, -np.inf], "ok": [True, False],
                          "n": [1, 2], "note": pd.Series(["x", "y"], dtype=object)})
    return {"frame": frame, "path": np.array([a, b, np.nan]), "bounds": (float(a), None, "2020-02"),
            "names": ["x", "y"], "count": 3, "nan": float("nan")}


@pytest.fixture(autouse=True)
def store(tmp_path, monkeypatch):
    monkeypatch.setenv(memo.MEMO_ENV, str(tmp_path / "memo"))
    CALLS.clear()
    return tmp_path / "memo"


def _same(a, b):
    assert type(a) is type(b)
    if isinstance(a, dict):
        assert a.keys() == b.keys()
        for k in a:
            _same(a[k], b[k])
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            _same(x, y)
    elif isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b, check_exact=True)
    elif isinstance(a, np.ndarray):
        np.testing.assert_array_equal(a, b)
        assert a.dtype == b.dtype
    elif isinstance(a, float) and np.isnan(a):
        assert np.isnan(b)
    else:
        assert a == b


def test_a_second_call_reads_the_store_and_returns_the_same_value(store):
    first = step(0.1 + 0.2)
    second = step(0.1 + 0.2)
    assert CALLS == [(0.1 + 0.2, 1.0)]
    _same(first, second)
    _same(first, step.uncached(0.1 + 0.2))  # what the store returns is what the function returns
    assert first["bounds"][0] == 0.1 + 0.2  # floats exact, not rounded
    step(0.3)
    step(0.1 + 0.2, b=2.0)
    assert len(CALLS) == 4  # other arguments: computed


def test_the_store_holds_json_and_npz_only_and_never_unpickles(store, monkeypatch):
    step(1.0)
    files = [p for p in store.rglob("*") if p.is_file()]
    assert files and {p.suffix for p in files} <= {".json", ".npz"}
    for npz in store.rglob("*.npz"):
        with np.load(npz, allow_pickle=False) as arrays:  # would raise on a pickled member
            assert all(arrays[name].dtype != object for name in arrays.files)

    # a planted pickle beside the entry, and an entry whose arrays are pickled objects:
    # neither is ever unpickled (the first is never opened, the second is a miss)
    loaded = []
    monkeypatch.setattr(pickle, "loads", lambda *a, **k: loaded.append(a) or None)
    monkeypatch.setattr(pickle, "load", lambda *a, **k: loaded.append(a) or None)
    entry, = store.rglob("*.json")
    (entry.with_suffix(".pkl")).write_bytes(pickle.dumps({"planted": True}))
    step(1.0)
    assert len(CALLS) == 1
    np.savez(entry.with_suffix(".npz"), a0=np.array([{"evil": 1}], dtype=object))
    again = step(1.0)
    assert len(CALLS) == 2 and loaded == []
    _same(again, step.uncached(1.0))


def test_the_key_follows_the_code(monkeypatch):
    key = memo.call_key(step, (1.0,), {})
    assert memo.call_key(step, (1.0,), {}) == key
    monkeypatch.setattr(codehash, "module_hash", lambda module: "another version of the module")
    assert memo.call_key(step, (1.0,), {}) != key


def test_module_hash_covers_the_modules_it_imports():
    files = {p.relative_to(codehash.ROOT).as_posix()
             for p in codehash.closure({"ecrights.sections.index_trend.admissible"})}
    assert {"sections/index_trend/admissible.py", "memo.py", "codehash.py", "paths.py"} <= files
    assert "sections/index_trend/analysis.py" not in files


def test_arguments_are_keyed_by_content():
    frame = pd.DataFrame({"a": [1.0, 2.0]})
    key = memo.call_key(step, (frame,), {})
    assert memo.call_key(step, (frame.copy(),), {}) == key
    assert memo.call_key(step, (frame.assign(a=[1.0, 2.5]),), {}) != key
    assert memo.call_key(step, (np.arange(3.0),), {}) != memo.call_key(step, (np.arange(3),), {})
    with pytest.raises(memo.Unstorable):
        memo.call_key(step, (object(),), {})


def test_values_it_cannot_store_without_pickle_are_an_error(store):
    @memo.memo
    def objects():
        return pd.DataFrame({"x": [{"a": 1}]})

    with pytest.raises(memo.Unstorable):
        objects()
    assert not list(store.rglob("*.json"))


def test_off_disables_the_store(store, monkeypatch):
    monkeypatch.setenv(memo.MEMO_ENV, "off")
    step(2.0)
    step(2.0)
    assert len(CALLS) == 2 and not store.exists()


def test_an_unreadable_entry_is_computed_again(store):
    step(3.0)
    entry, = store.rglob("*.json")
    entry.write_text("{not json", encoding="utf-8")
    step(3.0)
    assert len(CALLS) == 2
    assert json.loads(entry.read_text(encoding="utf-8"))["format"] == memo.FORMAT
