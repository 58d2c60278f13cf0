"""Memoized pure steps, in a store that cannot execute.

    @memo
    def level_ranges(q: FlatQuestion, levels: np.ndarray) -> pd.DataFrame: ...

A call is keyed by a hash of its arguments and of the code it runs (the
function's module and everything that module imports within ecrights:
codehash.module_hash), so a variant that moves a late parameter reuses the
early steps' results, and an edit of the code computes them again.

The store is the checkout's cache, `build/cache/memo/<module.function>/`
(ECRIGHTS_MEMO_DIR overrides it; "off" disables the store), one entry per
call: `<key>.json` (the value's structure, plain JSON) and, when the value
holds arrays, `<key>.npz` (NumPy arrays, read with allow_pickle=False). No
pickle anywhere: nothing read from the store can run code, and any other file
found there (a planted .pkl) is never opened, and an entry is used only when it
carries an HMAC made with this user's cache key (run/trust.py), as the runner's
cache entries do: figures kept here (figstore.py) go into the report. Values a step may return: None,
bool, int, float, str, lists, tuples, dicts with string keys, NumPy arrays of
numbers, booleans or text, and DataFrames (index 0..n-1) whose columns are
such arrays or text (back in the same dtype, str or object). Anything else is
an error at the first call, not a silent miss.

An entry is written under a temporary name and renamed (the JSON last, as the
mark of a complete entry); an unreadable or partial entry is a miss and is
computed again.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import json
import os
import uuid
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from . import codehash, paths
from .run import trust

MEMO_ENV = "ECRIGHTS_MEMO_DIR"
FORMAT = 1


class Unstorable(TypeError):
    """A value (or argument) the memo store cannot hold without pickle."""


def store_dir() -> Path | None:
    env = os.environ.get(MEMO_ENV)
    if env == "off":
        return None
    return Path(env) if env else paths.cache_dir() / "memo"


# -- keys ---------------------------------------------------------------------

def _feed(h, value) -> None:
    """Hash a value by content and type (an argument of a memoized call)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        h.update(f"{type(value).__name__}:{value!r};".encode())
    elif isinstance(value, np.generic):
        _feed(h, value.item())
    elif isinstance(value, (list, tuple)):
        h.update(f"{type(value).__name__}[{len(value)}](".encode())
        for v in value:
            _feed(h, v)
        h.update(b")")
    elif isinstance(value, (set, frozenset)):
        _feed(h, sorted(value, key=repr))
    elif isinstance(value, dict):
        h.update(f"dict[{len(value)}](".encode())
        for k in sorted(value, key=repr):
            _feed(h, k)
            _feed(h, value[k])
        h.update(b")")
    elif isinstance(value, np.ndarray):
        if value.dtype.hasobject:
            _feed(h, value.tolist())
        else:
            h.update(f"ndarray:{value.dtype.str}:{value.shape};".encode())
            h.update(np.ascontiguousarray(value).tobytes())
    elif isinstance(value, (pd.DataFrame, pd.Series, pd.Index)):
        frame = value.to_frame() if isinstance(value, (pd.Series, pd.Index)) else value
        h.update(f"{type(value).__name__}:{list(map(str, frame.columns))}:{list(map(str, frame.dtypes))};".encode())
        h.update(pd.util.hash_pandas_object(frame, index=not isinstance(value, pd.Index)).to_numpy().tobytes())
    elif isinstance(value, (pd.Period, pd.Timestamp, pd.Timedelta)):
        h.update(f"{type(value).__name__}:{value};".encode())
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        h.update(f"{type(value).__module__}.{type(value).__qualname__}(".encode())
        for f in dataclasses.fields(value):
            _feed(h, f.name)
            _feed(h, getattr(value, f.name))
        h.update(b")")
    else:
        raise Unstorable(f"memo: cannot key an argument of type {type(value).__qualname__}")


def call_key(fn, args: tuple, kwargs: dict) -> str:
    h = hashlib.sha256(f"memo{FORMAT}:{fn.__module__}.{fn.__qualname__}:".encode())
    h.update(codehash.module_hash(fn.__module__).encode())
    _feed(h, list(args))
    _feed(h, dict(kwargs))
    return h.hexdigest()[:32]


# -- values -------------------------------------------------------------------

def _text_array(values) -> np.ndarray:
    out = np.asarray([str(v) for v in values])
    return out if len(out) else np.asarray([], dtype="<U1")


def _encode(value, arrays: dict):
    """The value as JSON, its arrays moved to `arrays` (saved as .npy without pickle)."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float, np.integer, np.floating, np.bool_)):
        value = value.item() if isinstance(value, np.generic) else value
        if isinstance(value, float):
            return {"float": repr(value)}  # exact, nan and ±inf included
        return value
    if isinstance(value, list):
        return {"list": [_encode(v, arrays) for v in value]}
    if isinstance(value, tuple):
        return {"tuple": [_encode(v, arrays) for v in value]}
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise Unstorable("memo: a dict with keys other than str")
        return {"dict": {k: _encode(v, arrays) for k, v in value.items()}}
    if isinstance(value, np.ndarray):
        if value.dtype.hasobject:
            raise Unstorable("memo: an array of Python objects")
        name = f"a{len(arrays)}"
        arrays[name] = value
        return {"array": name}
    if isinstance(value, pd.DataFrame):
        if not isinstance(value.index, pd.RangeIndex) or value.index.start != 0 or value.index.step != 1:
            raise Unstorable("memo: a DataFrame with an index other than 0..n-1")
        columns = []
        for name in value.columns:
            col = value[name]
            if col.dtype == object or pd.api.types.is_string_dtype(col.dtype):
                if not all(isinstance(v, str) for v in col):
                    raise Unstorable(f"memo: DataFrame column {name!r} holds values other than str")
                columns.append({"name": name, "text": _encode(_text_array(col), arrays),
                                "dtype": "object" if col.dtype == object else "str"})
            elif isinstance(col.dtype, np.dtype) and col.dtype.kind in "biufM":
                columns.append({"name": name, "values": _encode(col.to_numpy(), arrays)})
            else:
                raise Unstorable(f"memo: DataFrame column {name!r} of dtype {col.dtype}")
        return {"frame": {"columns": columns, "rows": len(value)}}
    raise Unstorable(f"memo: cannot store a value of type {type(value).__qualname__}")


def _decode(node, arrays):
    if node is None or isinstance(node, (bool, int, str)):
        return node
    (kind, body), = node.items()
    if kind == "float":
        return float(body)
    if kind == "list":
        return [_decode(v, arrays) for v in body]
    if kind == "tuple":
        return tuple(_decode(v, arrays) for v in body)
    if kind == "dict":
        return {k: _decode(v, arrays) for k, v in body.items()}
    if kind == "array":
        return arrays[body]
    if kind == "frame":
        data = {}
        for col in body["columns"]:
            data[col["name"]] = (pd.Series(_decode(col["text"], arrays).astype(object), dtype=col["dtype"],
                                           index=pd.RangeIndex(body["rows"]))
                                 if "text" in col else _decode(col["values"], arrays))
        return pd.DataFrame(data, index=pd.RangeIndex(body["rows"]))
    raise ValueError(f"memo: unknown node {kind!r}")


def _signature(directory: Path, key: str, node_json: str, npz: bytes) -> str:
    return trust.sign(f"memo:{directory.name}/{key}", {"value": hashlib.sha256(node_json.encode()).hexdigest(),
                                                       "npz": hashlib.sha256(npz).hexdigest()})


def read_entry(directory: Path, key: str):
    """The stored value, or raise (a miss; also for figstore.py): JSON and .npz only, never pickle, and only an entry
    signed with this user's cache key (run/trust.py): a figure's SVG from here goes into the report."""
    structure = json.loads((directory / f"{key}.json").read_text(encoding="utf-8"))
    if structure.get("format") != FORMAT:
        raise ValueError("memo: another format")
    npz = (directory / f"{key}.npz").read_bytes() if structure.get("arrays") else b""
    if not trust.verifies(f"memo:{directory.name}/{key}",
                          {"value": hashlib.sha256(json.dumps(structure["value"]).encode()).hexdigest(),
                           "npz": hashlib.sha256(npz).hexdigest()}, structure.get("signature")):
        raise ValueError("memo: an entry not signed with this user's key")
    arrays = {}
    if structure.get("arrays"):
        with np.load(io.BytesIO(npz), allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
        if set(arrays) != set(structure["arrays"]):
            raise ValueError("memo: arrays missing")
    return _decode(structure["value"], arrays)


def write_entry(directory: Path, key: str, value):
    """Store the value; returns it as read back (a first run and a reuse see the same types)."""
    arrays: dict = {}
    node = _encode(value, arrays)  # Unstorable before anything is written
    stored = _decode(json.loads(json.dumps(node)), arrays)
    directory.mkdir(parents=True, exist_ok=True)
    tag = uuid.uuid4().hex[:8]
    tmp_json = directory / f".{key}.{tag}.json.tmp"
    tmp_npz = directory / f".{key}.{tag}.npz.tmp"
    try:
        npz = b""
        if arrays:
            buffer = io.BytesIO()
            np.savez(buffer, **arrays)  # .npy members: arrays of plain dtypes only (no object arrays)
            npz = buffer.getvalue()
            tmp_npz.write_bytes(npz)
            os.replace(tmp_npz, directory / f"{key}.npz")
        signature = _signature(directory, key, json.dumps(node), npz)
        tmp_json.write_text(json.dumps({"format": FORMAT, "arrays": sorted(arrays), "value": node,
                                        "signature": signature}), encoding="utf-8")
        os.replace(tmp_json, directory / f"{key}.json")
    except OSError:  # a store that cannot be written (read-only, full): the result is still returned
        tmp_json.unlink(missing_ok=True)
        tmp_npz.unlink(missing_ok=True)
    return stored


MEMOIZED_MODULES: set[str] = set()  # modules with a memoized step (their code hashes: computed ahead in a forkserver)


def memo(fn):
    """Memoize a pure function (see the module's docstring)."""
    MEMOIZED_MODULES.add(fn.__module__)
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        root = store_dir()
        if root is None:
            return fn(*args, **kwargs)
        key = call_key(fn, args, kwargs)
        directory = root / f"{fn.__module__}.{fn.__qualname__}"
        try:
            return read_entry(directory, key)
        except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile):
            pass  # a miss, or an entry that cannot be read: computed again
        return write_entry(directory, key, fn(*args, **kwargs))

    wrapper.uncached = fn
    return wrapper
