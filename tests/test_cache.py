"""lib/ecrights/run/cache.py: what the key hashes, and entries that are never used."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import PROJECT_ROOT
from ecrights.run import cache, publish


def _notebook(path, cells):
    nb = {"cells": cells, "metadata": {"kernelspec": {"name": "python3"}}, "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def _md(text):
    return {"cell_type": "markdown", "metadata": {}, "source": text}


def _code(text, tags=()):
    return {"cell_type": "code", "metadata": {"tags": list(tags)} if tags else {}, "source": text,
            "outputs": [], "execution_count": None}


CELLS = [
    _md("# 标题\nWhat this section checks."),
    _code("window = 1  # months\noutput_dir = None", tags=["parameters"]),
    _code("from ecrights import data\nofficial = data.load_official()"),
    _md("## 图1"),
    _code("print(len(official))"),
]


@pytest.fixture
def project(tmp_path, monkeypatch):
    root = tmp_path / "project"
    (root / "data" / "official").mkdir(parents=True)
    (root / "data" / "published").mkdir(parents=True)
    (root / "notebooks").mkdir()
    (root / "data" / "official" / "a.csv").write_text("a\n1\n", encoding="utf-8")
    (root / "data" / "published" / "b.csv").write_text("b\n2\n", encoding="utf-8")
    (root / "data" / "official" / "other.csv").write_text("c\n3\n", encoding="utf-8")
    _notebook(root / "notebooks" / "s.ipynb", CELLS)
    monkeypatch.setenv("ECRIGHTS_ROOT", str(root))
    return root


def _key(root, parameters=None, lib="lib-1", env="env-1"):
    files = [root / "data" / "official" / "a.csv", root / "data" / "published" / "b.csv"]
    return cache.task_key(root / "notebooks" / "s.ipynb", parameters or {"window": 1, "language": "zh"},
                          files, lib, env)


def _edit_cells(root, change):
    cells = json.loads(json.dumps(CELLS))
    change(cells)
    _notebook(root / "notebooks" / "s.ipynb", cells)


def test_key_is_stable(project):
    assert _key(project) == _key(project)
    assert len(_key(project)) == 24


def test_key_changes_with_notebook_code(project):
    before = _key(project)
    _edit_cells(project, lambda c: c[4].update(source="print(len(official) + 1)"))
    assert _key(project) != before


def test_key_changes_when_a_code_cell_is_added(project):
    before = _key(project)
    _edit_cells(project, lambda c: c.append(_code("x = 1")))
    assert _key(project) != before


def test_key_ignores_markdown(project):
    before = _key(project)
    _edit_cells(project, lambda c: c[0].update(source="# 新标题\nReworded prose."))
    assert _key(project) == before
    _edit_cells(project, lambda c: c.insert(3, _md("A new paragraph of prose.")))
    assert _key(project) == before


def test_key_ignores_reader_tags_outputs_and_source_as_list(project):
    before = _key(project)

    def change(cells):
        cells[2]["metadata"] = {"tags": ["hide-input", "remove-cell", "lang-zh", "audience-audit"],
                                "jupyter": {"source_hidden": True}}
        cells[4]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "1409\n"}]
        cells[4]["execution_count"] = 7
        cells[2]["source"] = ["from ecrights import data\n", "official = data.load_official()"]
    _edit_cells(project, change)
    assert _key(project) == before


@pytest.mark.parametrize("change", ["tag raises-exception", "tag skip-execution", "move the parameters tag",
                                    "swap two code cells", "code cell to markdown"])
def test_key_changes_with_what_decides_execution(project, change):
    before = _key(project)

    def edit(cells):
        if change.startswith("tag "):
            cells[4]["metadata"] = {"tags": [change[4:]]}
        elif change == "move the parameters tag":
            cells[1]["metadata"], cells[2]["metadata"] = {}, {"tags": ["parameters"]}
        elif change == "swap two code cells":
            cells[2], cells[4] = cells[4], cells[2]
        else:
            cells[4]["cell_type"] = "markdown"
    _edit_cells(project, edit)
    assert _key(project) != before


@pytest.mark.parametrize("tags", ["none", "two cells", "on markdown"])
def test_a_notebook_without_exactly_one_parameters_cell_is_an_input_error(project, tags):
    from ecrights.errors import InputError

    def edit(cells):
        if tags == "two cells":
            cells[2]["metadata"] = {"tags": ["parameters"]}
        elif tags == "on markdown":
            cells[1]["metadata"], cells[0]["metadata"] = {}, {"tags": ["parameters"]}
        else:
            cells[1]["metadata"] = {"tags": ["remove-input"]}
    _edit_cells(project, edit)
    with pytest.raises(InputError, match=r"s\.ipynb: .*tagged 'parameters'; expected exactly one code cell"):
        _key(project)


def test_key_changes_with_parameters(project):
    assert _key(project, {"window": 2, "language": "zh"}) != _key(project, {"window": 1, "language": "zh"})
    assert _key(project, {"window": 1, "language": "zh"}) == _key(project, {"language": "zh", "window": 1})
    assert _key(project, {"window": 1, "language": "zh", "months": [6, 11]}) != \
        _key(project, {"window": 1, "language": "zh", "months": [11, 6]})


def test_key_changes_with_a_declared_data_file(project):
    before = _key(project)
    (project / "data" / "published" / "b.csv").write_text("b\n3\n", encoding="utf-8")
    assert _key(project) != before


def test_key_ignores_undeclared_data_files(project):
    before = _key(project)
    (project / "data" / "official" / "other.csv").write_text("c\n4\n", encoding="utf-8")
    (project / "data" / "official" / "new.csv").write_text("d\n", encoding="utf-8")
    assert _key(project) == before


def test_key_changes_with_library_and_environment(project):
    assert _key(project, lib="lib-2") != _key(project)
    assert _key(project, env="env-2") != _key(project)


@pytest.fixture(scope="module")
def lib_copy(tmp_path_factory):
    lib = tmp_path_factory.mktemp("lib") / "ecrights"
    shutil.copytree(PROJECT_ROOT / "lib" / "ecrights", lib, ignore=shutil.ignore_patterns("__pycache__"))
    return lib


def _section_hashes(lib):
    from ecrights import sections

    return {name: cache.section_code_hash(sections.get(name), lib) for name in sections.names()}


def _changed_by(lib, relative: str, text: str = "\n# an edit\n") -> set[str]:
    """The sections whose key changes when lib/ecrights/<relative> is edited (then restored)."""
    path = lib / relative
    before, original = _section_hashes(lib), path.read_bytes()
    try:
        path.write_bytes(original + text.encode())
        after = _section_hashes(lib)
    finally:
        path.write_bytes(original)
    assert _section_hashes(lib) == before
    return {name for name in before if after[name] != before[name]}


def test_editing_one_sections_analysis_changes_that_sections_key_only(lib_copy):
    from ecrights import sections

    for name in sections.names():
        assert _changed_by(lib_copy, f"sections/{name}/analysis.py") == {name}
        assert _changed_by(lib_copy, f"sections/{name}/texts.yaml", "# a comment\n") == {name}


def test_a_shared_module_changes_the_keys_of_the_sections_that_import_it(lib_copy):
    from ecrights import sections

    everyone = set(sections.names())
    # index_composition is imported by three sections' notebooks (and their analyses), not by the others
    assert {"retail_growth", "promotion_effects"}.isdisjoint(_changed_by(lib_copy, "index_composition.py"))
    assert "index_trend" in _changed_by(lib_copy, "index_composition.py")
    # what every record reads: the results module, the shared texts, the frozen plot style
    for shared in ("results.py", "texts.yaml", "house_style.json", "data/load.py"):
        assert _changed_by(lib_copy, shared) == everyone, shared
    # the runner and the report do not compute results; nor does compiled bytecode
    assert _changed_by(lib_copy, "run/cli.py") == set()
    assert _changed_by(lib_copy, "report/assemble.py") == set()
    (lib_copy / "__pycache__").mkdir(exist_ok=True)
    (lib_copy / "__pycache__" / "derive.cpython-311.pyc").write_bytes(b"\0")
    assert _changed_by(lib_copy, "__pycache__/derive.cpython-311.pyc") == set()


def test_import_closure_sees_relative_lazy_and_registry_imports(tmp_path):
    from ecrights import codehash

    lib = tmp_path / "ecrights"
    (lib / "sections" / "one").mkdir(parents=True)
    (lib / "__init__.py").write_text("")
    (lib / "shared.py").write_text("def f():\n    from .lazy import g  # read when f runs\n")
    (lib / "lazy.py").write_text("")
    (lib / "unused.py").write_text("")
    (lib / "sections" / "__init__.py").write_text("SECTION_ORDER = ('one',)\n")
    (lib / "sections" / "one" / "__init__.py").write_text("from ...shared import f\n")
    names = {p.relative_to(lib).as_posix() for p in codehash.closure({"ecrights.sections"}, lib)}
    assert names == {"__init__.py", "shared.py", "lazy.py", "sections/__init__.py", "sections/one/__init__.py"}


def test_section_key_is_of_the_imported_package_not_ecrights_root(tmp_path, monkeypatch):
    # ECRIGHTS_ROOT (here a tmp project with notebooks but no lib/) moves data, not the code that runs
    from ecrights import sections

    shutil.copytree(PROJECT_ROOT / "notebooks", tmp_path / "notebooks")
    monkeypatch.setenv("ECRIGHTS_ROOT", str(tmp_path))
    section = sections.get("index_trend")
    assert cache.section_code_hash(section) == cache.section_code_hash(section, PROJECT_ROOT / "lib" / "ecrights")


def test_notebook_code_hash_ignores_prose(project):
    nb = project / "notebooks" / "s.ipynb"
    before = cache.notebook_code_hash(nb)
    _edit_cells(project, lambda c: c[3].update(source="## 图1 (revised)"))
    assert cache.notebook_code_hash(nb) == before


# -- entries ----------------------------------------------------------------

@pytest.fixture
def run_dir(tmp_path):
    run = tmp_path / "run"
    for sub, name, content in [("notebooks", "s.ipynb", b'{"cells": []}'),
                               ("results", "s.json", '{"value": 45.6, "标题": "贡献率"}'.encode()),
                               ("figures", "s-fig1.png", b"\x89PNG fake"),
                               ("figures", "s-fig2.png", b"\x89PNG other")]:
        (run / sub).mkdir(parents=True, exist_ok=True)
        (run / sub / name).write_bytes(content)
    return run


def _files(directory):
    return {p.relative_to(directory).as_posix(): p.read_bytes()
            for p in directory.rglob("*") if p.is_file() and p.name != cache.COMPLETE}


def test_store_lookup_round_trip(tmp_path, run_dir):
    root = tmp_path / "cache"
    assert cache.lookup(root, "s", "k1") is None
    entry = cache.store(root, "s", "k1", run_dir)
    assert cache.lookup(root, "s", "k1") == entry
    assert _files(entry) == _files(run_dir)
    marker = json.loads((entry / cache.COMPLETE).read_text(encoding="utf-8"))
    assert marker["key"] == "k1" and set(marker["files"]) == set(_files(run_dir))
    assert cache.lookup(root, "s", "k2") is None
    assert cache.lookup(root, "other", "k1") is None
    # nothing left under a temporary name
    assert [p.name for p in (root / "s").iterdir()] == ["k1"]


def test_store_replaces_an_existing_entry(tmp_path, run_dir):
    root = tmp_path / "cache"
    cache.store(root, "s", "k1", run_dir)
    (run_dir / "results" / "s.json").write_text('{"value": 1}', encoding="utf-8")
    entry = cache.store(root, "s", "k1", run_dir)
    assert cache.lookup(root, "s", "k1") == entry
    assert (entry / "results" / "s.json").read_text(encoding="utf-8") == '{"value": 1}'


@pytest.mark.parametrize("damage", ["edit", "delete", "add", "bad_marker"])
def test_corrupted_entry_is_never_used(tmp_path, run_dir, damage):
    root = tmp_path / "cache"
    entry = cache.store(root, "s", "k1", run_dir)
    if damage == "edit":
        (entry / "results" / "s.json").write_text('{"value": 99.9}', encoding="utf-8")
    elif damage == "delete":
        (entry / "figures" / "s-fig2.png").unlink()
    elif damage == "add":
        (entry / "figures" / "s-fig3.png").write_bytes(b"stray")
    else:
        (entry / cache.COMPLETE).write_text("{not json", encoding="utf-8")
    assert cache.lookup(root, "s", "k1") is None
    assert cache.lookup(root, "s", "k1") is None  # never used later either
    assert cache.store(root, "s", "k1", run_dir) == entry and cache.lookup(root, "s", "k1") == entry  # replaced


def test_incomplete_entry_is_never_used(tmp_path, run_dir):
    root = tmp_path / "cache"
    entry = cache.store(root, "s", "k1", run_dir)
    (entry / cache.COMPLETE).unlink()
    assert cache.lookup(root, "s", "k1") is None
    # an interrupted store leaves only a temporary directory, never the entry's name
    partial = root / "s" / ".k2-abcdef"
    shutil.copytree(run_dir, partial)
    assert cache.lookup(root, "s", "k2") is None


def test_publish_from_entry(tmp_path, run_dir):
    root, out = tmp_path / "cache", tmp_path / "build"
    entry = cache.store(root, "s", "k1", run_dir)
    (out / "figures").mkdir(parents=True)
    (out / "figures" / "s-stale.png").write_bytes(b"old figure of this section")
    (out / "figures" / "t-fig1.png").write_bytes(b"another section's figure")
    (out / "failed" / "20261206T200000Z").mkdir(parents=True)
    (out / "failed" / "20261206T200000Z" / "s.ipynb").write_text("{}", encoding="utf-8")
    publish.publish_from_cache(entry, out, "s")
    assert (out / "results" / "s.json").read_bytes() == (run_dir / "results" / "s.json").read_bytes()
    assert (out / "notebooks" / "s.ipynb").is_file()
    assert sorted(p.name for p in (out / "figures").iterdir()) == ["s-fig1.png", "s-fig2.png", "t-fig1.png"]
    assert (out / "failed" / "20261206T200000Z" / "s.ipynb").exists()  # a failure's evidence is never erased
    assert cache.lookup(root, "s", "k1") == entry  # the entry is copied, not moved
    assert not any((out / ".staging").iterdir())
