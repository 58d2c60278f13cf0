"""How the library is put together: knowledge in one home, arrows that point down.

Read from the source (ast), so these run in milliseconds and import nothing heavy."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

from conftest import PROJECT_ROOT
from ecrights.claims import STATUSES
from ecrights.i18n import LANGUAGES

LIB = PROJECT_ROOT / "lib" / "ecrights"
def _modules() -> list[Path]:
    return sorted(LIB.rglob("*.py"))


@cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


def _literal_collections(tree: ast.Module):
    for node in ast.walk(tree):
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            yield node, [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]


def _imports(tree: ast.Module) -> list[str]:
    """Every module a file imports, as written ('..claims', 'pandas', '.registry')."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            out += [base] if node.module else [f"{base}{a.name}" for a in node.names]
    return out


MAX_LINES = 600
LONG_REASON = "longer than 600 lines because"  # how a module's docstring gives its reason


def test_no_module_over_600_lines_without_a_reason_in_its_docstring():
    """Each module one concern: one that grows past 600 lines is split, or its docstring says
    why it stays whole ("Longer than 600 lines because …")."""
    long = {p: len(p.read_text(encoding="utf-8").splitlines()) for p in _modules()}
    unexplained = [f"{p.relative_to(LIB)} ({n} lines)" for p, n in long.items() if n > MAX_LINES
                   and LONG_REASON not in " ".join((ast.get_docstring(_tree(p)) or "").lower().split())]
    assert not unexplained, f"modules over {MAX_LINES} lines without a reason in their docstring: {unexplained}"
    assert max(long.values()) > 300  # the lines are counted (a glob that found nothing would pass)


def test_claim_statuses_are_listed_in_claims_py_only():
    """The scorecard, the runner's summary and the record count the same statuses, in one order.
    (Two of the words may name another vocabulary: retail_growth's method checks.)"""
    listed = [f"{p.relative_to(LIB)}:{node.lineno}" for p in _modules() if p.name != "claims.py"
              for node, strings in _literal_collections(_tree(p)) if len(set(strings) & set(STATUSES)) >= 3]
    assert not listed, f"claim statuses listed outside claims.py (import claims.STATUSES): {listed}"


def test_the_languages_are_typed_in_i18n_only():
    typed = [f"{p.relative_to(LIB)}:{node.lineno}" for p in _modules() if p.name != "i18n.py"
             for node, strings in _literal_collections(_tree(p)) if set(strings) == set(LANGUAGES)]
    assert not typed, f"the editions' languages typed again (use i18n.LANGUAGES): {typed}"


def test_the_section_registry_is_a_leaf_of_plain_metadata():
    """params, data and results read the registry; the registry reads nothing of theirs."""
    registry = [LIB / "sections" / "__init__.py", LIB / "sections" / "registry.py",
                *sorted((LIB / "sections").glob("*/__init__.py"))]
    for path in registry:
        project = [m for m in _imports(_tree(path)) if m.startswith(".")]
        allowed = {".registry", "..registry", "..paths", "...paths"}
        assert set(project) <= allowed, f"{path.relative_to(LIB)} imports {set(project) - allowed}"


@pytest.mark.parametrize("module, forbidden", [
    ("results.py", ("IPython", ".notebook", ".report", ".run")),  # the record collects and saves; it shows nothing
    ("params.py", (".run", ".report", ".results")),
    ("data/published.py", ("..run", "..report", "..results", "..claims")),
    ("claims.py", (".run", ".report", ".results")),
])
def test_no_arrow_runs_up(module, forbidden):
    imports = _imports(_tree(LIB / module))
    up = [m for m in imports if any(m == f or m.startswith(f + ".") for f in forbidden)]
    assert not up, f"{module} imports {up}"


def test_section_analyses_import_no_presentation_of_the_record():
    for path in _modules():
        if path.parent.parent.name == "sections" and path.name == "analysis.py":
            up = [m for m in _imports(_tree(path)) if m.lstrip(".") in ("results", "notebook")]
            assert not up, f"{path.relative_to(LIB)} imports {up}"


def test_the_iri_checks_left_out_serve_no_notebook_schema():
    """ecrights/__init__.py keeps jsonschema from importing rfc3987_syntax (1.5 s of CPU per process):
    that module checks only the `iri` formats; no notebook schema asks for them, and notebooks still validate."""
    import nbformat

    schemas = Path(nbformat.__file__).parent.rglob("*.json")
    assert not [p for p in schemas if '"iri' in p.read_text(encoding="utf-8")]
    nbformat.validate(nbformat.read(PROJECT_ROOT / "notebooks" / "retail_growth.ipynb", as_version=4))
