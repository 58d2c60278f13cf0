"""Every notebook in notebooks/: stored clean, one parameters cell matching its model, registered."""

from __future__ import annotations

import ast
import json

import pytest

from conftest import PROJECT_ROOT
from ecrights import sections
from ecrights.params import MODELS

NOTEBOOKS = sorted((PROJECT_ROOT / "notebooks").glob("*.ipynb"))


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _source(cell) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def _parameter_cells(nb):
    return [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]


def _assigned_names(source: str) -> list[str]:
    names = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        else:
            raise AssertionError(f"the parameters cell holds more than plain assignments: {ast.dump(node)[:80]}")
        for target in targets:
            assert isinstance(target, ast.Name), f"not a plain name: {ast.unparse(target)}"
            names.append(target.id)
    return names


def test_there_are_notebooks():
    assert NOTEBOOKS, "notebooks/ holds no notebook"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_is_registered(path):
    assert path.stem in sections.SECTIONS, f"{path.name} has no entry in lib/ecrights/sections.py"
    assert sections.get(path.stem).notebook == path
    assert path.stem in MODELS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_without_outputs(path):
    nb = _load(path)
    assert nb["nbformat"] == 4
    dirty = [i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"
             and (c.get("outputs") or c.get("execution_count") is not None)]
    assert not dirty, f"{path.name}: cells {dirty} hold outputs or execution counts (clear them before committing)"
    assert "papermill" not in nb.get("metadata", {}), f"{path.name} is an executed copy (papermill metadata)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_one_parameters_cell_matching_the_model(path):
    nb = _load(path)
    cells = _parameter_cells(nb)
    assert len(cells) == 1, f"{path.name}: {len(cells)} cells tagged 'parameters'; expected exactly one"
    assert cells[0]["cell_type"] == "code"
    names = _assigned_names(_source(cells[0]))
    assert len(names) == len(set(names)), f"{path.name}: a parameter is assigned twice: {names}"
    expected = set(MODELS[path.stem].model_fields) | {"output_dir"}
    assert set(names) == expected, (f"{path.name}: parameters cell assigns {sorted(names)}; "
                                    f"the model has {sorted(expected)}")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_parameters_cell_values_are_valid_defaults(path):
    """The values in the cell (what JupyterLab runs with) pass the section's model."""
    from ecrights.params import from_namespace

    namespace: dict = {}
    exec(compile(_source(_parameter_cells(_load(path))[0]), str(path), "exec"), {}, namespace)
    assert namespace["output_dir"] is None
    from_namespace(path.stem, namespace)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_papermill_finds_the_parameters_cell(path):
    """papermill (what injects the parameters) finds the cell; it skips values spread over several
    lines (a dict literal), so only a subset is required of its inspection."""
    import papermill

    inferred = set(papermill.inspect_notebook(str(path)))
    assert "output_dir" in inferred
    assert inferred <= set(MODELS[path.stem].model_fields) | {"output_dir"}


@pytest.mark.parametrize("name", sections.names())
def test_registry_entry_has_its_notebook(name):
    section = sections.get(name)
    if not section.notebook.is_file():
        pytest.skip(f"notebooks/{name}.ipynb does not exist yet")
    assert section.params_model is MODELS[name]
    assert section.data, f"{name} declares no data files (the cache key would ignore data changes)"
    assert section.data_files(PROJECT_ROOT / "data"), f"{name}: none of its declared data files exists"
