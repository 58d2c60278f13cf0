"""Every notebook in notebooks/: stored clean, one parameters cell matching its model, registered."""

from __future__ import annotations

import ast
import json

import pytest

from conftest import PROJECT_ROOT
from ecrights import sections
from ecrights.params import BUILD_OPTIONS, MODELS

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
    assert path.stem in sections.SECTIONS, f"{path.name} has no entry in the section registry (lib/ecrights/sections/)"
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
    expected = set(MODELS[path.stem].model_fields) | set(BUILD_OPTIONS)
    assert set(names) == expected, (f"{path.name}: parameters cell assigns {sorted(names)}; "
                                    f"the model has {sorted(expected)}")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_parameters_cell_is_exactly_the_defaults(path):
    """The values in the cell (what JupyterLab runs with) are params/defaults.yaml's, resolved:
    a default lives once, and the cell is checked against it."""
    from ecrights.params import from_namespace, resolve

    namespace: dict = {}
    exec(compile(_source(_parameter_cells(_load(path))[0]), str(path), "exec"), {}, namespace)
    assert namespace["output_dir"] is None and namespace["validated_data"] is None and namespace["language"] == "zh"
    assert namespace["draw_figures"] is True
    cell = from_namespace(path.stem, namespace)
    defaults = resolve([path.stem])[path.stem]
    assert cell == defaults, (f"{path.name}: the parameters cell differs from params/defaults.yaml: "
                              f"{ {k: (v, getattr(defaults, k)) for k, v in cell if getattr(defaults, k) != v} }")


LANGUAGE_TAGS = ("lang-zh", "lang-en")


def _lang(cell) -> str | None:
    tags = [t for t in cell.get("metadata", {}).get("tags", []) if t in LANGUAGE_TAGS]
    assert len(tags) <= 1, f"a cell carries both language tags: {cell.get('id')}"
    return tags[0] if tags else None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_narrative_exists_in_both_languages(path):
    """Every markdown cell is in one language, and followed by its twin in the other."""
    cells = _load(path)["cells"]
    for i, cell in enumerate(cells):
        if cell["cell_type"] != "markdown":
            continue
        lang = _lang(cell)
        assert lang, f"{path.name}: markdown cell {i} carries no language tag (lang-zh or lang-en)"
        if lang == "lang-zh":
            twin = cells[i + 1] if i + 1 < len(cells) else None
            assert twin is not None and twin["cell_type"] == "markdown" and _lang(twin) == "lang-en", (
                f"{path.name}: markdown cell {i} (zh) has no English twin right after it")
        else:
            assert i > 0 and _lang(cells[i - 1]) == "lang-zh", f"{path.name}: cell {i} (en) has no Chinese twin"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_bookkeeping_cells_are_tagged(path):
    """What a reader should not see is removed by tags, not by convention."""
    for i, cell in enumerate(_load(path)["cells"]):
        source = _source(cell)
        if cell["cell_type"] == "code" and ("record.save(" in source or "import " in source):
            tags = cell.get("metadata", {}).get("tags", [])
            assert "remove-cell" in tags, f"{path.name}: cell {i} is bookkeeping but not tagged remove-cell"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_papermill_finds_the_parameters_cell(path):
    """papermill (what injects the parameters) finds the cell; it skips values spread over several
    lines (a dict literal), so only a subset is required of its inspection."""
    import papermill

    inferred = set(papermill.inspect_notebook(str(path)))
    assert "output_dir" in inferred
    assert inferred <= set(MODELS[path.stem].model_fields) | set(BUILD_OPTIONS)


@pytest.mark.parametrize("name", sections.names())
def test_registry_entry_has_its_notebook(name):
    section = sections.get(name)
    if not section.notebook.is_file():
        pytest.fail(f"notebooks/{name}.ipynb does not exist")
    assert MODELS[name].__name__ == section.params_model
    assert section.data, f"{name} declares no data files (the cache key would ignore data changes)"
    assert section.data_files(PROJECT_ROOT / "data"), f"{name}: none of its declared data files exists"
