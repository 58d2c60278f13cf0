"""What code a computation reads, found statically: the import closure of a set
of modules within the `ecrights` package, and a hash of it.

Used by the runner's cache key (a section's key covers its notebook's imports
and theirs, its own package with texts.yaml, and the data files the shared
modules read — not all of lib/) and by the memo store (a memoized step's key
covers its module and what that imports). Imports are read with `ast`, nothing
is imported: a module is in the closure if any `import` statement anywhere in
a module of the closure names it (imports inside functions too, since a
function run later reads them).
"""

from __future__ import annotations

import ast
import hashlib
from functools import lru_cache
from pathlib import Path

PACKAGE = "ecrights"
ROOT = Path(__file__).resolve().parent  # lib/ecrights: the package that is imported (and run)


def dynamic_imports(name: str, tree: ast.Module) -> set[str]:
    """Imports made by name at run time, which an `import` statement does not show:
    the section registry (ecrights.sections) imports each package its SECTION_ORDER
    names (read here from the assignment, not by importing)."""
    if name != f"{PACKAGE}.sections":
        return set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "SECTION_ORDER" for t in node.targets):
            return {f"{name}.{sub}" for sub in ast.literal_eval(node.value)}
    raise ValueError(f"{name}: no SECTION_ORDER assignment (the registry's sections cannot be found)")


def module_file(name: str, root: Path = ROOT) -> Path | None:
    """lib/ecrights/a/b.py or lib/ecrights/a/b/__init__.py for `ecrights.a.b`; None if neither."""
    if name != PACKAGE and not name.startswith(PACKAGE + "."):
        return None
    base = Path(root).joinpath(*name.split(".")[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def imported_names(source: str, module: str = "", is_package: bool = False) -> set[str]:
    """Every module name an `import` in `source` may load (relative imports resolved
    against `module`); for `from X import y`, both X and X.y (y may be a submodule)."""
    return set(_imported_names(source, module, is_package))


@lru_cache(maxsize=4096)
def _imported_names(source: str, module: str, is_package: bool) -> frozenset[str]:
    """Cached by the source text itself (parsing is most of a key's cost; an edited file is a new key)."""
    tree = ast.parse(source)
    names: set[str] = dynamic_imports(module, tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = module.split(".") if is_package else module.split(".")[:-1]
                base = package[:len(package) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names.add(target)
            names.update(f"{target}.{alias.name}" for alias in node.names)
    return frozenset(names)


def _parents(name: str) -> list[str]:
    """Importing a.b.c runs a/__init__ and a/b/__init__ first."""
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def closure(roots: set[str], root: Path = ROOT) -> list[Path]:
    """The files of the ecrights modules that importing `roots` loads, sorted."""
    seen: set[str] = set()
    todo = [n for r in roots for n in (*_parents(r), r)]
    files: set[Path] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        path = module_file(name, root)
        if path is None:
            continue
        files.add(path)
        found = imported_names(path.read_text(encoding="utf-8"), name, path.name == "__init__.py")
        todo.extend(n for f in found for n in (*_parents(f), f) if n not in seen)
    return sorted(files)


def data_files(modules: list[Path], root: Path = ROOT) -> list[Path]:
    """Non-Python files the shared modules read (texts.yaml, house_style.json): those
    beside a module of the closure, outside sections/ (a section's own files are its
    package's, counted with that section only)."""
    sections_dir = Path(root) / "sections"
    dirs = {p.parent for p in modules if sections_dir != p.parent and sections_dir not in p.parents}
    return sorted(f for d in dirs for f in d.iterdir() if f.is_file() and f.suffix not in (".py", ".pyc"))


def package_files(directory: Path) -> list[Path]:
    """Every file of a package directory (code and data), bytecode aside."""
    return sorted(p for p in Path(directory).rglob("*")
                  if p.is_file() and p.suffix != ".pyc" and "__pycache__" not in p.parts)


def files_hash(files: list[Path], root: Path = ROOT) -> str:
    h = hashlib.sha256()
    for path in sorted(set(files)):
        h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


@lru_cache(maxsize=None)
def module_hash(module: str) -> str:
    """A module's code and everything it imports within ecrights (memo keys). Cached
    per process: a kernel's code does not change while it runs."""
    modules = closure({module})
    return files_hash(modules + data_files(modules))
