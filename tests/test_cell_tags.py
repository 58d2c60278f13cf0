"""The tagging scheme (README, "Cell tags"): every cell's audience, language and visibility
decided by tags, and the notebooks stored reading in one language in JupyterLab."""

import json

import pytest

from ecrights import lab_language, paths
from ecrights.report import cells

NOTEBOOKS = sorted(paths.notebooks_dir().glob("*.ipynb"))
VISIBILITY = {"parameters", "remove-cell", "remove-input", "remove-output", "hide-input"}
KNOWN = VISIBILITY | set(cells.LANG_TAGS) | set(cells.AUDIENCE_TAGS)
HIDDEN = {"parameters", "remove-cell"}


def _cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _tags(cell):
    return set(cell.get("metadata", {}).get("tags", []))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_tag_is_known_and_no_cell_is_in_two_audiences_or_languages(path):
    for i, cell in enumerate(_cells(path)):
        tags = _tags(cell)
        assert tags <= KNOWN, f"{path.name} cell {i}: unknown tags {sorted(tags - KNOWN)}"
        assert len(tags & set(cells.AUDIENCE_TAGS)) <= 1, f"{path.name} cell {i}: two audiences"
        assert len(tags & set(cells.LANG_TAGS)) <= 1, f"{path.name} cell {i}: two languages"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_visible_code_cell_has_an_audience(path):
    """A code cell whose output shows is analysis output (tables, checks, figures): it must say
    whom it is for. Only markdown may be left untagged, meaning both documents."""
    undecided = [i for i, c in enumerate(_cells(path)) if c["cell_type"] == "code"
                 and not _tags(c) & HIDDEN and not _tags(c) & set(cells.AUDIENCE_TAGS)]
    assert not undecided, f"{path.name}: code cells {undecided} show output but have no audience tag"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_language_twins_make_the_same_audience_decision(path):
    """A lang-zh cell and the lang-en cell right after it are one passage in two languages."""
    cs = _cells(path)
    for i, (a, b) in enumerate(zip(cs, cs[1:])):
        if "lang-zh" in _tags(a) and "lang-en" in _tags(b):
            assert _tags(a) & set(cells.AUDIENCE_TAGS) == _tags(b) & set(cells.AUDIENCE_TAGS), \
                f"{path.name} cells {i}, {i + 1}: twins in different audiences"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
@pytest.mark.parametrize("language", ["zh", "en"])
def test_each_notebook_speaks_to_readers_in_each_language(path, language):
    spoken = [c for c in _cells(path) if c["cell_type"] == "markdown"
              and cells.cell_audience(c) in (None, "reader") and cells.cell_language(c) in (None, language)]
    assert spoken, f"{path.name}: nothing for the reader's edition in {language}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_notebooks_read_in_one_language_in_jupyterlab(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert lab_language.reads_in(nb) == lab_language.STORED
    assert lab_language.set_language(nb, "en") and lab_language.reads_in(nb) == "en"
    assert lab_language.set_language(nb, "zh") and lab_language.reads_in(nb) == "zh"
    assert not lab_language.set_language(nb, "zh")  # idempotent


def test_audience_and_visibility_tags_are_not_in_the_cache_key(tmp_path):
    from ecrights.run.cache import notebook_code_hash

    nb = json.loads(NOTEBOOKS[0].read_text(encoding="utf-8"))
    before = tmp_path / "a.ipynb"
    before.write_text(json.dumps(nb), encoding="utf-8")
    for cell in nb["cells"]:
        tags = [t for t in cell.get("metadata", {}).get("tags", []) if t not in cells.AUDIENCE_TAGS]
        cell.setdefault("metadata", {})["tags"] = tags + ["audience-reader", "hide-input"]
    lab_language.set_language(nb, "en")
    after = tmp_path / "b.ipynb"
    after.write_text(json.dumps(nb), encoding="utf-8")
    assert notebook_code_hash(before) == notebook_code_hash(after)
