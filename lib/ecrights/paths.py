"""Where things are. The project root is found from this file (editable
install), or from ECRIGHTS_ROOT when the library is used from elsewhere."""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    env = os.environ.get("ECRIGHTS_ROOT")
    if env:
        return Path(env).resolve()
    return Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    return project_root() / "data"


def params_dir() -> Path:
    return project_root() / "params"


def notebooks_dir() -> Path:
    return project_root() / "notebooks"


def default_build_dir() -> Path:
    return project_root() / "build"


def cache_dir() -> Path:
    """The checkout's one cache (executed sections, validated data, memoized
    steps, font subsets), used by every build, edition, scenario and sweep,
    whatever its --output-dir: a variant built in /tmp reuses what build/ ran."""
    return default_build_dir() / "cache"
