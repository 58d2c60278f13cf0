"""pyproject.toml, environment.yml and requirements.lock name the same packages at the same versions."""

from __future__ import annotations

import re
import tomllib

import pytest
import yaml

from conftest import PROJECT_ROOT


def norm(name: str) -> str:
    """PEP 503 normalisation: case and runs of -, _ and . do not matter."""
    return re.sub(r"[-_.]+", "-", name.strip()).lower()


def _pin(spec: str, sep: str) -> tuple[str, str]:
    name, _, version = spec.partition(sep)
    assert version, f"{spec!r} is not pinned with {sep!r}"
    assert not re.search(r"[<>=!~*,;\s]", version.strip()), f"{spec!r} is not an exact pin"
    return norm(name), version.strip()


@pytest.fixture(scope="module")
def pyproject() -> dict[str, str]:
    deps = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    pins = dict(_pin(d, "==") for d in deps)
    assert len(pins) == len(deps), "a package is listed twice in pyproject.toml"
    return pins


@pytest.fixture(scope="module")
def environment() -> dict[str, str]:
    env = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8"))
    pins: dict[str, str] = {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            assert set(dep) == {"pip"}, f"unexpected entry in environment.yml: {dep}"
            items = [_pin(d, "==") for d in dep["pip"]]
        elif norm(dep.split("=")[0]) in ("python", "pip"):
            continue
        else:
            assert "==" not in dep, f"conda pins use a single '=': {dep!r}"
            items = [_pin(dep, "=")]
        for name, version in items:
            assert name not in pins, f"{name} is listed twice in environment.yml"
            pins[name] = version
    return pins


@pytest.fixture(scope="module")
def lock() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (PROJECT_ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        name, version = _pin(line, "==")
        assert name not in pins, f"{name} is listed twice in requirements.lock"
        pins[name] = version
    return pins


def test_pyproject_pins_are_not_empty(pyproject):
    for needed in ("papermill", "pandas", "pydantic", "pandera", "pytest"):
        assert needed in pyproject


def test_environment_yml_has_the_same_packages(pyproject, environment):
    assert sorted(environment) == sorted(pyproject)


def test_environment_yml_has_the_same_versions(pyproject, environment):
    differ = {n: (v, environment[n]) for n, v in pyproject.items() if environment.get(n) != v}
    assert not differ, f"pyproject.toml vs environment.yml: {differ}"


def test_every_top_level_pin_is_in_the_lock_at_the_same_version(pyproject, lock):
    missing = sorted(set(pyproject) - set(lock))
    assert not missing, f"in pyproject.toml but not in requirements.lock: {missing}"
    differ = {n: (v, lock[n]) for n, v in pyproject.items() if lock[n] != v}
    assert not differ, f"pyproject.toml vs requirements.lock: {differ}"


def test_environment_python_matches_requires_python():
    env = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8"))
    python = [d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python=")]
    assert len(python) == 1
    major_minor = tuple(int(x) for x in python[0].split("=")[1].split(".")[:2])
    requires = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["requires-python"]
    minimum = tuple(int(x) for x in requires.lstrip(">=").split(".")[:2])
    assert major_minor >= minimum


def test_norm():
    assert norm("OpenCC") == norm("opencc") == "opencc"
    assert norm("jupyter_server") == norm("Jupyter-Server") == norm("jupyter.server")
    assert norm("PyYAML") == "pyyaml"


def test_installed_versions_match_the_pins(pyproject):
    """The venv the tests run in is the pinned one (else `make test` re-installs it)."""
    from importlib import metadata

    differ = {}
    for name, version in pyproject.items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = None
        if installed != version:
            differ[name] = (version, installed)
    assert not differ, f"pinned vs installed: {differ}"
